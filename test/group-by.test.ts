import { describe, expect, it } from 'vitest';
import { groupBy, groupColumns } from '../src/util/group-by.js';
import { mulberry32 } from '../src/util/random.js';

/** Positions of keys in columns from .. to - 1 grouped by key, ascending, the plain way. */
function reference(keys: Int32Array, stride: number, from: number, to: number, count: number, buckets: number): number[][] {
  const out: number[][] = Array.from({ length: buckets }, () => []);
  for (let p = 0; p < count * stride; p++) if (p % stride >= from && p % stride < to) out[keys[p]].push(p);
  return out;
}

describe('groupColumns', () => {
  it('groups the positions of a range of columns by key, ascending within a key', () => {
    const random = mulberry32(5);
    const stride = 7;
    const count = 500;
    const buckets = 40;
    const keys = Int32Array.from({ length: count * stride }, () => Math.floor(random() * buckets));
    for (const [from, to] of [[0, 2], [2, 7], [3, 4], [0, 7], [5, 5]]) {
      const { offsets, items } = groupColumns(keys, stride, from, to, count, buckets);
      const want = reference(keys, stride, from, to, count, buckets);
      expect(offsets.length).toBe(buckets + 1);
      for (let b = 0; b < buckets; b++) expect(Array.from(items.subarray(offsets[b], offsets[b + 1]))).toEqual(want[b]);
    }
  });

  it('over every column, holds what groupBy of the flat keys holds', () => {
    const keys = Int32Array.from([3, 0, 1, 3, 2, 0, 1, 1, 3]);
    const flat = groupBy(keys, 1, 0, keys.length, 4);
    const columns = groupColumns(keys, 3, 0, 3, 3, 4);
    expect(Array.from(columns.offsets)).toEqual(Array.from(flat.offsets));
    expect(Array.from(columns.items)).toEqual(Array.from(flat.items));
  });
});
