/**
 * A content hash of what a build stored: terms, independent knowledge, embeddings, candidates,
 * verdicts, cannot-links, evidence, clusters and memberships, each table hashed over its rows in
 * key order. Two builds of the same inputs must hash the same (determinism; a resumed build equals
 * an uninterrupted one), and a refactoring must leave it unchanged.
 */
import { createHash } from 'node:crypto';
import { STORED_ORIGINS, candidateBlocks } from './candidates.js';
import type { Db } from './db.js';

/** A table's rows in a total order, for tables whose rows are not SQL rows. */
type Rows = (db: Db) => Iterable<readonly unknown[]>;

/**
 * The candidate pairs as the rows (a, b, cosine, origin) they were before they were stored in
 * blocks, in (a, b) order: a database's hash does not depend on how the pairs are laid out.
 */
function* candidateRows(db: Db): Generator<readonly unknown[]> {
  for (const block of candidateBlocks(db, 'all')) for (let i = 0; i < block.n; i++) yield [block.a[i], block.b[i], block.cosine[i], STORED_ORIGINS[block.origin[i]]];
}

/** Tables and the order their rows are hashed in (a total order on each table's key), or the rows themselves. */
const TABLES: readonly [table: string, orderBy: string | Rows][] = [
  ['terms', 'id'],
  ['knowledge_translations', 'term, source, headword, sense'],
  ['knowledge_opposites', 'a, b, source'],
  ['embeddings', 'term_id'],
  ['candidate_blocks', candidateRows],
  ['term_evidence', 'a, b'],
  ['relation_predictions', 'a, b'],
  ['cannot_links', 'a, b'],
  ['clusters', 'id'],
  ['memberships', 'term_id, cluster_id'],
];

export type ContentHash = Record<string, string> & { all: string };

export function contentHash(db: Db): ContentHash {
  const out: Record<string, string> = {};
  const all = createHash('sha256');
  for (const [table, orderBy] of TABLES) {
    const h = createHash('sha256');
    const exists = db.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?").pluck().get(table) === 1;
    if (exists) {
      const rows = typeof orderBy === 'string' ? (db.prepare(`SELECT * FROM ${table} ORDER BY ${orderBy}`).raw().iterate() as IterableIterator<unknown[]>) : orderBy(db);
      for (const row of rows) {
        for (const v of row) {
          if (v instanceof Uint8Array) h.update(v);
          else h.update(v === null ? '\u0000null' : typeof v === 'number' ? `n${v}` : `s${String(v)}`);
          h.update('\u0001');
        }
        h.update('\u0002');
      }
    }
    out[table] = h.digest('hex').slice(0, 16);
    all.update(out[table]);
  }
  return { ...out, all: all.digest('hex').slice(0, 16) };
}
