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
