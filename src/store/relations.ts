/**
 * Discriminator verdicts and cannot-links in the store. Pairs arrive in typed-array batches
 * (millions per build), stored once per unordered pair with a < b, each with its three
 * probabilities and gate decision so a user can ask why an edge was kept or dropped.
 */
import type { RelationLabel, TermId } from '../types.js';
import type { Db } from './db.js';

export type RelationOrigin = 'model' | 'seed';

/** Label codes used in typed batches: index into RELATION_CODES. */
export const RELATION_CODES: readonly RelationLabel[] = ['synonym', 'antonym', 'co-hyponym'];

/** A batch of scored pairs; probs holds [p_synonym, p_antonym, p_cohyponym] per pair. */
export interface RelationBatch {
  a: Int32Array;
  b: Int32Array;
  probs: Float32Array;
  label: Uint8Array;
  gated: Uint8Array;
  origin: RelationOrigin;
  length: number;
}

export interface RelationVerdict {
  a: TermId;
  b: TermId;
  pSynonym: number;
  pAntonym: number;
  pCohyponym: number;
  label: RelationLabel;
  gated: boolean;
  origin: RelationOrigin;
}

export function clearRelations(db: Db): void {
  db.prepare('DELETE FROM relation_predictions').run();
  db.prepare('DELETE FROM cannot_links').run();
}

/**
 * Inserts one batch; the caller owns the transaction. A seed verdict replaces a model one for
 * the same pair (curated knowledge wins); a model verdict never replaces a seed.
 */
export function writeRelationBatch(db: Db, batch: RelationBatch): void {
  const sql =
    batch.origin === 'seed'
      ? 'INSERT OR REPLACE INTO relation_predictions(a, b, p_synonym, p_antonym, p_cohyponym, label, gated, origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'
      : 'INSERT OR IGNORE INTO relation_predictions(a, b, p_synonym, p_antonym, p_cohyponym, label, gated, origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?)';
  const insert = db.prepare(sql);
  const { a, b, probs, label, gated } = batch;
  for (let i = 0; i < batch.length; i++) {
    let x = a[i];
    let y = b[i];
    if (x === y) continue;
    if (x > y) [x, y] = [y, x];
    insert.run(x, y, probs[3 * i], probs[3 * i + 1], probs[3 * i + 2], RELATION_CODES[label[i]], gated[i], batch.origin);
  }
}

/** Stores antonym cannot-links (a, b in any order); the caller owns the transaction. */
export function writeCannotLinks(db: Db, a: Int32Array, b: Int32Array, origin: RelationOrigin, length = a.length): void {
  const insert = db.prepare('INSERT OR IGNORE INTO cannot_links(a, b, origin) VALUES (?, ?, ?)');
  for (let i = 0; i < length; i++) {
    const x = Math.min(a[i], b[i]);
    const y = Math.max(a[i], b[i]);
    if (x !== y) insert.run(x, y, origin);
  }
}

interface VerdictRow {
  a: number;
  b: number;
  p_synonym: number;
  p_antonym: number;
  p_cohyponym: number;
  label: RelationLabel;
  gated: number;
  origin: RelationOrigin;
}

function toVerdict(r: VerdictRow): RelationVerdict {
  return { a: r.a, b: r.b, pSynonym: r.p_synonym, pAntonym: r.p_antonym, pCohyponym: r.p_cohyponym, label: r.label, gated: r.gated === 1, origin: r.origin };
}

/** The stored verdict for one pair (either order), or null when the pair was never scored. */
export function readRelation(db: Db, a: TermId, b: TermId): RelationVerdict | null {
  const row = db.prepare('SELECT * FROM relation_predictions WHERE a = ? AND b = ?').get(Math.min(a, b), Math.max(a, b)) as VerdictRow | undefined;
  return row ? toVerdict(row) : null;
}

/** Every stored verdict touching one term, strongest synonym evidence first. */
export function readRelationsOf(db: Db, term: TermId, limit = 200): RelationVerdict[] {
  const rows = db
    .prepare('SELECT * FROM (SELECT * FROM relation_predictions WHERE a = ? UNION ALL SELECT * FROM relation_predictions WHERE b = ?) ORDER BY p_synonym DESC, a, b LIMIT ?')
    .all(term, term, limit) as VerdictRow[];
  return rows.map(toVerdict);
}

/**
 * Gated synonym edges streamed in typed-array chunks (weight = P(synonym)), the clusterer's
 * input. Ordered by (a, b) so the graph is the same whatever order the pairs were written in.
 */
export function* readGatedEdges(db: Db, chunk = 1 << 20): Generator<{ a: Int32Array; b: Int32Array; weight: Float32Array; length: number }> {
  let a = new Int32Array(chunk);
  let b = new Int32Array(chunk);
  let w = new Float32Array(chunk);
  let n = 0;
  for (const row of db.prepare('SELECT a, b, p_synonym FROM relation_predictions WHERE gated = 1 ORDER BY a, b').raw().iterate() as IterableIterator<[number, number, number]>) {
    a[n] = row[0];
    b[n] = row[1];
    w[n] = row[2];
    if (++n === chunk) {
      yield { a, b, weight: w, length: n };
      a = new Int32Array(chunk);
      b = new Int32Array(chunk);
      w = new Float32Array(chunk);
      n = 0;
    }
  }
  if (n > 0) yield { a, b, weight: w, length: n };
}

/** All cannot-links as two id arrays. */
export function readCannotLinks(db: Db): { a: Int32Array; b: Int32Array } {
  const rows = db.prepare('SELECT a, b FROM cannot_links ORDER BY a, b').raw().all() as [number, number][];
  const a = new Int32Array(rows.length);
  const b = new Int32Array(rows.length);
  rows.forEach((r, i) => {
    a[i] = r[0];
    b[i] = r[1];
  });
  return { a, b };
}
