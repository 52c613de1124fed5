/** What the stored lexicon says about single words: their synsets, and the antonym links between synsets. */
import type { Db } from './db.js';

export interface LexiconWords {
  /** Single-word literal -> the synsets it belongs to, its most common sense (lowest sense number) first. */
  synsetsOf: Map<string, string[]>;
  /** Synset -> the synsets it is an antonym of (both directions). */
  antonymsOf: Map<string, string[]>;
}

export function readLexiconWords(db: Db): LexiconWords {
  const synsetsOf = new Map<string, string[]>();
  for (const [norm, synset] of db.prepare("SELECT norm, synset_id FROM synset_members WHERE instr(norm, ' ') = 0 ORDER BY norm, coalesce(sense, 2147483647), synset_id").raw().iterate() as IterableIterator<[string, string]>) {
    const list = synsetsOf.get(norm);
    if (list) list.push(synset);
    else synsetsOf.set(norm, [synset]);
  }
  const antonymsOf = new Map<string, string[]>();
  const add = (x: string, y: string) => {
    const list = antonymsOf.get(x);
    if (list) list.push(y);
    else antonymsOf.set(x, [y]);
  };
  for (const [a, b] of db.prepare("SELECT synset_id, target_id FROM synset_relations WHERE type = 'ANTONYM'").raw().iterate() as IterableIterator<[string, string]>) {
    add(a, b);
    add(b, a);
  }
  return { synsetsOf, antonymsOf };
}
