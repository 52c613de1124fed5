import { describe, expect, it } from 'vitest';
import { LaterBars, MemoryOffers } from '../src/candidates/offers.js';
import { mulberry32 } from '../src/util/random.js';

/** The k best (score descending, then other ascending) of a row's offers, as "score,other" keys. */
function topK(offers: [number, number][], k: number): Set<string> {
  const sorted = [...offers].sort((x, y) => y[0] - x[0] || x[1] - y[1]);
  return new Set(sorted.slice(0, k).map(([s, o]) => `${s},${o}`));
}

describe('offers for rows of later passes', () => {
  it.each([
    [8, 0.6],
    [100, 0.6],
    [300, -1],
  ])('drop only offers outside the row top-%i (floor %f), and bar the kernel under every kept one', (k, floor) => {
    const from = 1000;
    const rows = 40;
    const bars = new LaterBars(from, from + rows, k, floor);
    const rnd = mulberry32(k);
    const all: [number, number][][] = Array.from({ length: rows }, () => []);
    const kept: [number, number][][] = Array.from({ length: rows }, () => []);
    let dropped = 0;
    for (let i = 0; i < rows * k * 6; i++) {
      const x = Math.floor(rnd() * rows);
      // Scores cluster in a few buckets, with exact ties and values at bucket edges.
      const raw = rnd() < 0.2 ? floor + (1 - floor) * (Math.floor(rnd() * 32) / 32) : floor + (1 - floor) * rnd() ** (1 + (x % 3));
      const score = Math.fround(Math.min(1, raw));
      const other = Math.floor(rnd() * 1e6);
      all[x].push([score, other]);
      if (bars.take(from + x, score)) kept[x].push([score, other]);
      else dropped++;
    }
    expect(dropped).toBeGreaterThan(rows * k);
    for (let x = 0; x < rows; x++) {
      const want = topK(all[x], k);
      // Every offer of the row's final top-k was kept, and none is under the kernel's bar.
      const got = new Set(kept[x].map(([s, o]) => `${s},${o}`));
      for (const key of want) expect(got.has(key)).toBe(true);
      const worst = Math.min(...[...want].map((key) => Number(key.split(',')[0])));
      expect(bars.bar(from + x)).toBeLessThan(worst);
      expect(bars.bar(from + x)).toBeGreaterThan(floor - 1e-9);
    }
  });

  it('hand each pass its rows and keep the rest waiting', () => {
    const offers = new MemoryOffers();
    for (let r = 0; r < 30; r++) offers.push(r, 100 + r, r / 30);
    const rowsOf = (lo: number, hi: number): number[][] => {
      const out: number[][] = [];
      for (const { words, length } of offers.pieces(lo, hi)) {
        const scores = new Float32Array(words.buffer, words.byteOffset, 3 * length);
        for (let i = 0; i < length; i++) out.push([words[3 * i], words[3 * i + 1], scores[3 * i + 2]]);
      }
      return out;
    };
    const seen = rowsOf(10, 20);
    expect(seen.map(([row]) => row)).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    for (const [row, other, score] of seen) {
      expect(other).toBe(100 + row);
      expect(score).toBeCloseTo(row / 30, 6);
    }
    const rest = rowsOf(0, 30).map(([row]) => row);
    expect(rest).toEqual([...Array(10).keys(), ...Array.from({ length: 10 }, (_, i) => 20 + i)]);
  });
});
