/**
 * Discriminator verdicts and cannot-links in the store. Pairs arrive in typed-array batches
 * (millions per build), stored once per unordered pair with a < b, each with its three
 * probabilities and gate decision so a user can ask why an edge was kept or dropped.
 */
import type { RelationLabel, TermId } from '../types.js';
import type { Db } from './db.js';
import { dropIndex } from './indexes.js';
import { insertSql, ROWS_PER_STATEMENT } from './row-insert.js';

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

const statements = new WeakMap<Db, Map<string, ReturnType<Db['prepare']>>>();

/** A cached INSERT of `rows` rows (one statement per multi-row shape: fewer calls into SQLite). */
function insertRows(db: Db, origin: RelationOrigin, rows: number): ReturnType<Db['prepare']> {
  let cache = statements.get(db);
  if (!cache) statements.set(db, (cache = new Map()));
  const key = `${origin}:${rows}`;
  let stmt = cache.get(key);
  if (!stmt) {
    const verb = origin === 'seed' ? 'INSERT OR REPLACE' : 'INSERT OR IGNORE';
    stmt = db.prepare(insertSql(`${verb} INTO relation_predictions(a, b, p_synonym, p_antonym, p_cohyponym, label, gated, origin)`, 8, rows));
    cache.set(key, stmt);
  }
  return stmt;
}

/**
 * Inserts one batch; the caller owns the transaction. A seed verdict replaces a model one for
 * the same pair (curated knowledge wins); a model verdict never replaces a seed. Rows go in
 * ROWS_PER_STATEMENT at a time: per-row statements cost ~7 µs a row on a million-pair build.
 * Which model verdicts a large build stores is the relations stage's choice (its verdictFloor).
 * Returns the rows written.
 */
export function writeRelationBatch(db: Db, batch: RelationBatch): number {
  const { a, b, probs, label, gated } = batch;
  const params: (number | string)[] = [];
  let rows = 0;
  let written = 0;
  const flush = (): void => {
    if (rows > 0) insertRows(db, batch.origin, rows).run(params);
    params.length = 0;
    rows = 0;
  };
  for (let i = 0; i < batch.length; i++) {
    let x = a[i];
    let y = b[i];
    if (x === y) continue;
    if (x > y) [x, y] = [y, x];
    params.push(x, y, probs[3 * i], probs[3 * i + 1], probs[3 * i + 2], RELATION_CODES[label[i]], gated[i], batch.origin);
    written++;
    if (++rows === ROWS_PER_STATEMENT) flush();
  }
  flush();
  return written;
}

/**
 * Runs a bulk rewrite of the verdicts with the reverse-lookup index dropped and rebuilt after:
 * building it once from sorted data is much cheaper than maintaining it row by row.
 */
export async function withoutReverseIndex<T>(db: Db, body: () => Promise<T>): Promise<T> {
  const rebuildIndex = dropIndex(db, 'relation_predictions_b');
  const result = await body();
  rebuildIndex();
  return result;
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
 * `minPSynonym` re-gates model verdicts at another threshold (seeds always count).
 */
export function* readGatedEdges(db: Db, options: { minPSynonym?: number; chunk?: number } = {}): Generator<{ a: Int32Array; b: Int32Array; weight: Float32Array; length: number }> {
  const chunk = options.chunk ?? 1 << 20;
  let a = new Int32Array(chunk);
  let b = new Int32Array(chunk);
  let w = new Float32Array(chunk);
  let n = 0;
  const rows =
    options.minPSynonym === undefined
      ? db.prepare('SELECT a, b, p_synonym FROM relation_predictions WHERE gated = 1 ORDER BY a, b').raw().iterate()
      : db.prepare("SELECT a, b, p_synonym FROM relation_predictions WHERE gated = 1 OR (origin = 'model' AND p_synonym >= ?) ORDER BY a, b").raw().iterate(options.minPSynonym);
  for (const row of rows as IterableIterator<[number, number, number]>) {
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

/** The stored verdicts (a, b, P(synonym)) whose smaller term is one of `ids`, a term at a time (a range of the key each). */
export function* readVerdictProbabilitiesFrom(db: Db, ids: Iterable<number>): Generator<[number, number, number]> {
  const from = db.prepare('SELECT b, p_synonym FROM relation_predictions WHERE a = ?').raw();
  for (const a of ids) for (const [b, p] of from.all(a) as [number, number][]) yield [a, b, p];
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

/** How many stored verdicts are kept synonym edges (gated). */
export function countGatedVerdicts(db: Db): number {
  return db.prepare('SELECT count(*) FROM relation_predictions WHERE gated = 1').pluck().get() as number;
}

/** How many cannot-links are stored. */
export function countCannotLinks(db: Db): number {
  return db.prepare('SELECT count(*) FROM cannot_links').pluck().get() as number;
}
