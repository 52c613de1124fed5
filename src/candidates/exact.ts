/**
 * Exact neighbours of a few rows over every row: what the scan's recall is measured against
 * (ivf.ts) and what the probe count is chosen on (probe-count.ts).
 */
import { BLOCK_CELLS, type Kernel } from './kernel.js';
import { TopLists } from './top-lists.js';

/** Each of `rows`' top `k` other rows at or above `minCosine`, over all `n` rows (lists in TopLists order). */
export async function exactNeighbours(kernel: Kernel, n: number, rows: Int32Array, k: number, minCosine: number): Promise<TopLists> {
  const exact = new TopLists(rows.length, k);
  if (rows.length === 0) return exact;
  const slice = Math.max(1, Math.floor(BLOCK_CELLS / rows.length));
  for (let start = 0; start < n; start += slice) {
    const candidates = new Int32Array(Math.min(n, start + slice) - start);
    for (let i = 0; i < candidates.length; i++) candidates[i] = start + i;
    const bars = Float32Array.from(rows, (_, i) => exact.bar(i, minCosine) - 1e-6);
    const res = await kernel.block(rows, candidates, bars);
    for (let i = 0; i < res.query.length; i++) {
      const q = res.query[i];
      const row = candidates[res.row[i]];
      if (row !== rows[q] && res.scores[i] >= minCosine) exact.offer(q, row, res.scores[i]);
    }
  }
  return exact;
}
