/**
 * Definitions as the discriminator reads them (lower-cased): KeNet synsets' definitions of their
 * members and the term list's own. A held-out build stores only the synsets it may see
 * (docs/evaluation.md, leakage), so held-out words have none.
 */
import type { Db } from './db.js';

/** Definitions of terms, by term id: their synsets' (in term id, definition id order), then their own (likewise). */
export function* readTermDefinitions(db: Db): Generator<[termId: number, text: string]> {
  yield* db
    .prepare(
      `SELECT t.id, lower(d.text) FROM definitions d JOIN synset_members m ON m.synset_id = d.synset_id JOIN terms t ON t.norm = m.norm
       WHERE d.kind = 'definition' ORDER BY t.id, d.id`,
    )
    .raw()
    .iterate() as IterableIterator<[number, string]>;
  yield* db.prepare(`SELECT term_id, lower(text) FROM definitions WHERE term_id IS NOT NULL AND kind = 'definition' ORDER BY term_id, id`).raw().iterate() as IterableIterator<[number, string]>;
}

/** Definitions of any word (a term or not) from the synsets it belongs to, in definition id order. */
export function synsetDefinitionsOfWord(db: Db): (norm: string) => string[] {
  const select = db.prepare("SELECT lower(d.text) FROM definitions d JOIN synset_members m ON m.synset_id = d.synset_id WHERE m.norm = ? AND d.kind = 'definition' ORDER BY d.id").pluck();
  return (norm) => select.all(norm) as string[];
}
