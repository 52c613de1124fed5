import { describe, expect, it } from 'vitest';
import { KeyGroups } from '../src/relations/key-groups.js';
import { mulberry32 } from '../src/util/random.js';

/** What a Map of arrays filled row by row holds: the reference KeyGroups stands in for. */
function mapOf(rows: readonly number[], keyOf: (r: number) => number, skipZero: boolean): Map<number, number[]> {
  const m = new Map<number, number[]>();
  for (const r of rows) {
    const k = keyOf(r);
    if (skipZero && k === 0) continue;
    const list = m.get(k);
    if (list) list.push(r);
    else m.set(k, [r]);
  }
  return m;
}

describe('KeyGroups', () => {
  it('holds the groups a Map of arrays holds, in the same order, colliding keys and zero included', () => {
    const random = mulberry32(8);
    // Keys from a small range (many collisions, negatives, zero) and from the whole int32 range.
    const small = (r: number): number => ((r * 7919) % 61) - 30;
    const wide = Array.from({ length: 5000 }, () => (random() * 2 ** 32) | 0);
    const rows = Array.from({ length: 5000 }, (_, i) => (i * 37) % 5003);
    for (const [keyOf, skipZero] of [[small, true], [small, false], [(r: number) => wide[r % 5000], false]] as const) {
      const groups = new KeyGroups(rows, keyOf, skipZero);
      const expected = mapOf(rows, keyOf, skipZero);
      expect([...groups].map(([k, m]) => [k, Array.from(m)])).toEqual([...expected]);
      expect(groups.size).toBe(expected.size);
      for (const [k, m] of expected) expect(Array.from(groups.get(k)!)).toEqual(m);
    }
    const groups = new KeyGroups(rows, small, true);
    expect(groups.get(0)).toBeUndefined();
    expect(groups.get(31)).toBeUndefined();
    expect(groups.get(2.5)).toBeUndefined();
    expect(new KeyGroups([], small).size).toBe(0);
  });
});
