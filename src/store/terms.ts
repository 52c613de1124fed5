/** Reads and writes of the terms table that stages page through (ids in order, resumable). */
import { getMeta, setMeta, type Db } from './db.js';

/**
 * A counter bumped by every write that adds terms (a build's terms stage, `synograph ingest`):
 * the stages that read the terms table fingerprint it, so terms added by any route reach them.
 */
export function termsGeneration(db: Db): number {
  return Number(getMeta(db, 'terms_generation') ?? 0);
}

/** Bumps the terms generation; call inside the transaction that added the terms. */
export function bumpTermsGeneration(db: Db): void {
  setMeta(db, 'terms_generation', String(termsGeneration(db) + 1));
}

export function countTerms(db: Db): number {
  return db.prepare('SELECT count(*) FROM terms').pluck().get() as number;
}

/** Terms after `afterId`, in id order, at most `limit` (a keyset page). */
export function readTermPage(db: Db, afterId: number, limit: number): [id: number, norm: string][] {
  return db.prepare('SELECT id, norm FROM terms WHERE id > ? ORDER BY id LIMIT ?').raw().all(afterId, limit) as [number, string][];
}

export function countTermsWithoutLemma(db: Db): number {
  return db.prepare('SELECT count(*) FROM terms WHERE lemma IS NULL').pluck().get() as number;
}

/** Terms without a lemma after `afterId`, in id order, at most `limit`. */
export function readTermsWithoutLemma(db: Db, afterId: number, limit: number): { id: number; norm: string }[] {
  return db.prepare('SELECT id, norm FROM terms WHERE lemma IS NULL AND id > ? ORDER BY id LIMIT ?').all(afterId, limit) as { id: number; norm: string }[];
}

/**
 * Stores, in one transaction, the lemmas of the terms without one whose ids lie in `from` .. `to`
 * (inclusive): `lemmas[i]` for term `ids[i]`, and the term itself for every other. Most terms are
 * their own lemma (91% of the 1M-line bench:e2e list), and one statement sets those: at its 928k
 * terms, the writes took 2.8 s where one UPDATE a term took 4.8.
 */
export function writeLemmas(db: Db, from: number, to: number, ids: readonly number[], lemmas: readonly string[]): void {
  const unchanged = db.prepare('UPDATE terms SET lemma = norm WHERE id BETWEEN ? AND ? AND lemma IS NULL');
  const update = db.prepare('UPDATE terms SET lemma = ? WHERE id = ?');
  db.transaction(() => {
    for (let i = 0; i < ids.length; i++) update.run(lemmas[i], ids[i]);
    unchanged.run(from, to);
  })();
}

/** Each node's normalised term, for nodes that are terms in `termOf` order (term id -> node via `nodeOf`). */
export function readNorms(db: Db, nodeOf: Int32Array, nodes: number): string[] {
  const norms = new Array<string>(nodes);
  for (const [id, norm] of db.prepare('SELECT id, norm FROM terms').raw().iterate() as IterableIterator<[number, string]>) {
    const node = id < nodeOf.length ? nodeOf[id] : -1;
    if (node >= 0) norms[node] = norm;
  }
  return norms;
}

/** Every term's id and normalised form. */
export function* readTermIds(db: Db): Generator<[id: number, norm: string]> {
  yield* db.prepare('SELECT id, norm FROM terms').raw().iterate() as IterableIterator<[number, string]>;
}

/** Every term's id, normalised form and lemma (null when none was stored), in id order; read as it is iterated. */
export function* readTermsWithLemmas(db: Db): Generator<[id: number, norm: string, lemma: string | null]> {
  yield* db.prepare('SELECT id, norm, lemma FROM terms ORDER BY id').raw().iterate() as IterableIterator<[number, string, string | null]>;
}
