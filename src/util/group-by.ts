/** Stable counting sort into CSR form: the candidates' cells and the evidence stage's runs. */

/** CSR of `keys` (values in 0..buckets-1): positions grouped by key, ascending within a key. */
export function groupBy(keys: Int32Array, stride: number, offset: number, count: number, buckets: number, filter?: (i: number) => boolean): { offsets: Int32Array; items: Int32Array } {
  const offsets = new Int32Array(buckets + 1);
  for (let i = 0; i < count; i++) if (!filter || filter(i)) offsets[keys[i * stride + offset] + 1]++;
  for (let b = 0; b < buckets; b++) offsets[b + 1] += offsets[b];
  const items = new Int32Array(offsets[buckets]);
  const cursor = offsets.slice(0, buckets);
  for (let i = 0; i < count; i++) if (!filter || filter(i)) items[cursor[keys[i * stride + offset]]++] = i;
  return { offsets, items };
}
