/** Surface evidence between terms (src/evidence), by term id, one row per pair. */
import type { Db } from './db.js';
import { dropIndex } from './indexes.js';
import { rowInserter } from './row-insert.js';

export interface EvidenceRow {
  a: number;
  b: number;
  kind: string;
  detail: string;
}

/**
 * Replaces the stored evidence; the caller owns the transaction. The index on `b` is dropped while
 * the rows go in, many to a statement (row-insert.ts), and built once after (0.8 s): at 928k terms of
 * the 1M-line bench:e2e list (1.15M pairs) the stage's write took 3.8 and 4.1 s this way, against
 * 6.4 and 6.4 s row by row into the index (runs alternated; the index dropped alone: 5.9 against
 * 8.5). 15M generated pairs (a ascending, b at random above it) took 63.0 s against 99.5, with a
 * peak RSS of 0.58 GiB against 0.34 (SQLite sorts the index's keys in memory).
 */
export function writeEvidence(db: Db, rows: Iterable<EvidenceRow>): number {
  db.prepare('DELETE FROM term_evidence').run();
  const rebuildIndex = dropIndex(db, 'term_evidence_b');
  const insert = rowInserter(db, 'INSERT OR REPLACE INTO term_evidence(a, b, kind, detail)', 4);
  let n = 0;
  for (const r of rows) {
    if (r.a === r.b) continue;
    insert.add(Math.min(r.a, r.b), Math.max(r.a, r.b), r.kind, r.detail);
    n++;
  }
  insert.finish();
  rebuildIndex();
  return n;
}

/**
 * Every stored pair and its kind as an index into `kinds` (255: none of them), in key order, as
 * typed columns: a 100k-line domain list stores 1.2M pairs, nearly all siblings.
 */
export function readEvidence(db: Db, kinds: readonly string[]): { a: Int32Array; b: Int32Array; kind: Uint8Array } {
  const { n } = db.prepare('SELECT count(*) AS n FROM term_evidence').get() as { n: number };
  const code = new Map(kinds.map((k, i) => [k, i]));
  const a = new Int32Array(n);
  const b = new Int32Array(n);
  const kind = new Uint8Array(n);
  let i = 0;
  for (const [x, y, k] of db.prepare('SELECT a, b, kind FROM term_evidence ORDER BY a, b').raw().iterate() as IterableIterator<[number, number, string]>) {
    a[i] = x;
    b[i] = y;
    kind[i++] = code.get(k) ?? 255;
  }
  return { a, b, kind };
}

/** The pairs of the given kinds as term-id arrays, in key order (typed: one pair per family edge at scale). */
export function readEvidencePairs(db: Db, kinds: readonly string[]): { a: Int32Array; b: Int32Array } {
  if (kinds.length === 0) return { a: new Int32Array(0), b: new Int32Array(0) };
  const rows = db.prepare(`SELECT a, b FROM term_evidence WHERE kind IN (${kinds.map(() => '?').join(', ')}) ORDER BY a, b`).raw().all(...kinds) as [number, number][];
  const a = new Int32Array(rows.length);
  const b = new Int32Array(rows.length);
  rows.forEach(([x, y], i) => {
    a[i] = x;
    b[i] = y;
  });
  return { a, b };
}

/** The evidence touching one term: the other term and what was seen. */
export function readEvidenceOf(db: Db, term: number): { other: number; term: string; kind: string; detail: string }[] {
  return db
    .prepare(
      `SELECT b AS other, (SELECT norm FROM terms WHERE id = b) AS term, kind, detail FROM term_evidence WHERE a = ?
       UNION ALL SELECT a, (SELECT norm FROM terms WHERE id = a), kind, detail FROM term_evidence WHERE b = ?`,
    )
    .all(term, term) as { other: number; term: string; kind: string; detail: string }[];
}

/** Every term's id, normalised form and first spelling (null when that was the normalised form), by id. */
export function readTermSpellings(db: Db): { ids: Int32Array; norms: string[]; originals: (string | null)[] } {
  // A column at a time, in one read transaction: a row's array for each term, taken apart after,
  // took 18.1 and 18.8 s at the 4.4M terms of the 5M-line bench:e2e list, the columns 7.9 and 9.8.
  const column = (name: string) => db.prepare(`SELECT ${name} FROM terms ORDER BY id`).pluck();
  return db.transaction(() => ({
    ids: Int32Array.from(column('id').all() as number[]),
    norms: column('norm').all() as string[],
    originals: column('original').all() as (string | null)[],
  }))();
}

/** The first few stored pairs of some kinds, in key order (what `build` shows of a user's list). */
export function readEvidenceExamples(db: Db, kinds: readonly string[], limit: number): { a: string; b: string; kind: string; detail: string }[] {
  const marks = kinds.map(() => '?').join(', ');
  return db
    .prepare(`SELECT ta.norm AS a, tb.norm AS b, e.kind, e.detail FROM term_evidence e JOIN terms ta ON ta.id = e.a JOIN terms tb ON tb.id = e.b WHERE e.kind IN (${marks}) ORDER BY e.a, e.b LIMIT ?`)
    .all(...kinds, limit) as { a: string; b: string; kind: string; detail: string }[];
}

/** Stored evidence pairs by kind. */
export function countEvidenceByKind(db: Db): Record<string, number> {
  const out: Record<string, number> = {};
  for (const { kind, n } of db.prepare('SELECT kind, count(*) AS n FROM term_evidence GROUP BY kind').all() as { kind: string; n: number }[]) out[kind] = n;
  return out;
}
