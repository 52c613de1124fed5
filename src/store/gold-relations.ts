/** Stores labelled pairs (KeNet knowledge or a user's thesaurus) in `gold_relations`. */
import type { RelationLabel } from '../types.js';
import type { Db } from './db.js';

export interface LabelledPair {
  a: string;
  b: string;
  label: RelationLabel;
  split: 'train' | 'dev' | 'test' | 'crossing';
}

export function storeGoldRelations(db: Db, sourceId: number, pairs: Iterable<LabelledPair>): number {
  const insert = db.prepare('INSERT OR IGNORE INTO gold_relations(a, b, label, split, source_id) VALUES (?, ?, ?, ?, ?)');
  let n = 0;
  db.transaction(() => {
    for (const p of pairs) {
      const [a, b] = p.a < p.b ? [p.a, p.b] : [p.b, p.a];
      n += insert.run(a, b, p.label, p.split, sourceId).changes;
    }
  })();
  return n;
}

/** Removes every labelled pair (a knowledge stage rewrites them all). */
export function clearGoldRelations(db: Db): void {
  db.prepare('DELETE FROM gold_relations').run();
}

/** Records a source of labelled pairs (the user's file) and returns its id. */
export function addPairsSource(db: Db, name: string, path: string, records: number): number {
  return Number(db.prepare("INSERT INTO sources(kind, name, path, added_at, records) VALUES ('pairs', ?, ?, ?, ?)").run(name, path, new Date().toISOString(), records).lastInsertRowid);
}

/**
 * A stored labelled pair with the term ids of its two words (null for a word outside the term
 * list): words a, b, ids of a and b, label.
 */
export type GoldRelationRow = [a: string, b: string, idA: number | null, idB: number | null, label: RelationLabel];

/** Every labelled pair with its words' term ids, in (a, b, source) order (a pair's first source first); read as it is iterated. */
export function* readGoldRelationsWithTermIds(db: Db): Generator<GoldRelationRow> {
  yield* db
    .prepare(
      `SELECT g.a, g.b, ta.id, tb.id, g.label FROM gold_relations g LEFT JOIN terms ta ON ta.norm = g.a LEFT JOIN terms tb ON tb.norm = g.b
       ORDER BY g.a, g.b, g.source_id`,
    )
    .raw()
    .iterate() as IterableIterator<GoldRelationRow>;
}

/** Words of labelled pairs that are not in the term list, sorted. */
export function readWordsOutsideTerms(db: Db): string[] {
  return db
    .prepare(
      `SELECT w FROM (SELECT a AS w FROM gold_relations UNION SELECT b FROM gold_relations)
       WHERE NOT EXISTS (SELECT 1 FROM terms t WHERE t.norm = w) ORDER BY w`,
    )
    .pluck()
    .all() as string[];
}
