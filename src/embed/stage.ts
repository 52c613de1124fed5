/** The embed stage: every stored term gets a vector from the active embedder, page by page. */
import { clearEmbeddings, writeEmbeddings, type Db } from '../store/index.js';
import type { Embedder } from './types.js';

export interface EmbedStageReport {
  terms: number;
  dimensions: number;
  seconds: number;
  termsPerSecond: number;
}

export async function embedAllTerms(db: Db, embedder: Embedder, options: { pageSize?: number; onProgress?: (done: number, total: number) => void } = {}): Promise<EmbedStageReport> {
  const started = performance.now();
  const pageSize = options.pageSize ?? 20_000;
  const total = db.prepare('SELECT count(*) FROM terms').pluck().get() as number;
  const page = db.prepare('SELECT id, norm FROM terms WHERE id > ? ORDER BY id LIMIT ?').raw();
  // A rerun after an interruption starts clean: the stage is only recorded done at the end.
  clearEmbeddings(db);
  let after = 0;
  let done = 0;
  for (;;) {
    const rows = page.all(after, pageSize) as [number, string][];
    if (rows.length === 0) break;
    after = rows[rows.length - 1][0];
    const vectors = await embedder.embed(rows.map((r) => r[1]));
    writeEmbeddings(db, rows.map((r) => r[0]), vectors, embedder.info.dimensions);
    done += rows.length;
    options.onProgress?.(done, total);
  }
  const seconds = (performance.now() - started) / 1000;
  return { terms: done, dimensions: embedder.info.dimensions, seconds, termsPerSecond: done / Math.max(seconds, 1e-9) };
}
