import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { nativeKernel } from '../src/candidates/native-kernel.js';
import { MemoryPairs, SpilledPairs } from '../src/candidates/raw-pairs.js';
import { mulberry32 } from '../src/util/random.js';

const parent = mkdtempSync(join(tmpdir(), 'synograph-raw-pairs-test-'));
afterAll(() => rmSync(parent, { recursive: true, force: true }));

/** Seeded raw pairs over `rows` rows (a < b), with repeats at other scores, as the scan finds them. */
function rawPairs(rows: number, count: number, seed: number): [number, number, number][] {
  const rnd = mulberry32(seed);
  const out: [number, number, number][] = [];
  for (let i = 0; i < count; i++) {
    const x = Math.floor(rnd() * rows);
    let y = Math.floor(rnd() * rows);
    if (y === x) y = (x + 1) % rows;
    const score = Math.fround(0.5 + rnd() / 2);
    out.push([Math.min(x, y), Math.max(x, y), score]);
    if (rnd() < 0.3) out.push([Math.min(x, y), Math.max(x, y), Math.fround(score - 0.01)]);
  }
  return out;
}

describe('raw candidate pairs', () => {
  // Spilled ranges are sorted by the compiled addon (native/sort-pairs.cc) when it is built, else in JS.
  it.each([true, false])('sorts the same pairs spilled to files by ranges of rows as in memory, and leaves no file behind (compiled %s)', (compiled) => {
    expect(nativeKernel()).not.toBeNull();
    const rows = 5000;
    const raw = rawPairs(rows, 200_000, 7);
    const memory = new MemoryPairs(rows);
    const dir = mkdtempSync(join(parent, 'spill-'));
    // Ranges of 700 rows, buffers flushed many times (200k pairs in 8 ranges).
    const spilled = new SpilledPairs(rows, 700, dir, undefined, compiled);
    memory.reserve(raw.length);
    for (const [a, b, c] of raw) {
      memory.push(a, b, c);
      spilled.push(a, b, c);
    }
    expect(spilled.length).toBe(raw.length);
    const want = memory.sorted();
    const a: number[] = [];
    const b: number[] = [];
    const c: number[] = [];
    let next = 0;
    let outside = 0;
    for (const chunk of spilled.chunks()) {
      expect(chunk.from).toBe(next);
      next = chunk.to;
      for (let i = 0; i < chunk.pairs.a.length; i++) {
        if (chunk.pairs.a[i] < chunk.from || chunk.pairs.a[i] >= chunk.to) outside++;
        a.push(chunk.pairs.a[i]);
        b.push(chunk.pairs.b[i]);
        c.push(chunk.pairs.cosine[i]);
      }
    }
    expect(next).toBe(rows);
    expect(outside).toBe(0);
    expect(a).toEqual(Array.from(want.a));
    expect(b).toEqual(Array.from(want.b));
    expect(c).toEqual(Array.from(want.cosine));
    // Sorted, unique, the higher score of a repeat.
    const best = new Map<string, number>();
    for (const [x, y, s] of raw) best.set(`${x},${y}`, Math.max(best.get(`${x},${y}`) ?? -1, s));
    expect(a.length).toBe(best.size);
    expect(c).toEqual(a.map((x, i) => best.get(`${x},${b[i]}`)));
    spilled.dispose();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses, compiled, a record whose row lies outside its range', () => {
    const words = Uint32Array.of(3, 9, 0, 12, 13, 0);
    const addon = nativeKernel()!;
    // Sorted on a thread (sortPairsStart); the refusal comes when the job is taken, and a job is taken once.
    expect(() => addon.sortPairsTake(addon.sortPairsStart(words, 10, 0))).toThrow(/outside the range/);
    const job = addon.sortPairsStart(words, 10, 3);
    expect(addon.sortPairsTake(job).a).toEqual(Uint32Array.of(3, 12));
    expect(() => addon.sortPairsTake(job)).toThrow(/taken already/);
    expect(() => addon.sortPairsStart(Uint32Array.of(1, 2), 10, 0)).toThrow(/bad argument/);
    expect(() => addon.sortPairsTake({} as never)).toThrow(/a job of sortPairsStart/);
    // A job never taken is waited for and freed with its handle.
    addon.sortPairsStart(words, 10, 3);
  });

  it('removes its files when disposed before they are read', () => {
    const dir = mkdtempSync(join(parent, 'unread-'));
    const spilled = new SpilledPairs(100, 10, dir);
    for (const [a, b, c] of rawPairs(100, 1000, 3)) spilled.push(a, b, c);
    expect(readdirSync(dir).length).toBe(1);
    spilled.dispose();
    expect(readdirSync(dir)).toEqual([]);
    expect(existsSync(dir)).toBe(true);
  });

  it('reads a range back as written, in pieces, and removes its file (the waiting offers)', () => {
    const dir = mkdtempSync(join(parent, 'records-'));
    const spilled = new SpilledPairs(3000, 1000, dir);
    // Over a million records in range 1 (rows 1000-1999), so more than one piece; a few elsewhere.
    const count = (1 << 20) + 5000;
    for (let i = 0; i < count; i++) {
      spilled.push(1000 + (i % 1000), i, Math.fround(i / count));
      if (i % 1000 === 0) spilled.push(i % 3 === 0 ? 5 : 2500, i, 0.5);
    }
    let pieces = 0;
    let i = 0;
    let wrong = 0;
    for (const { words, length } of spilled.pieces(1)) {
      pieces++;
      const c = new Float32Array(words.buffer, words.byteOffset, 3 * length);
      for (let j = 0; j < length; j++, i++) if (words[3 * j] !== 1000 + (i % 1000) || words[3 * j + 1] !== i || c[3 * j + 2] !== Math.fround(i / count)) wrong++;
    }
    expect(pieces).toBe(2);
    expect(i).toBe(count);
    expect(wrong).toBe(0);
    const [spillDir] = readdirSync(dir);
    expect(readdirSync(join(dir, spillDir)).sort()).toEqual(['0.pairs', '2.pairs']);
    spilled.dispose();
    expect(readdirSync(dir)).toEqual([]);
  });
});
