/**
 * Piscina worker: the relations stage's term table, read on a connection of its own, so that it is
 * filled beside the candidates stage without holding the build's thread (whose continuations keep
 * the candidates kernel fed). The table's big arrays are on shared memory and go back without a copy.
 */
import { Lemmatizer } from '../src/lexicon/lemmatize.js';
import { loadTermTable } from '../src/pipeline/term-table.js';
import type { TermTable } from '../src/relations/index.js';
import { openDb } from '../src/store/index.js';

export function termTable(task: { file: string; extra: { norms: string[]; vectors: Float32Array } | null }): TermTable {
  const db = openDb(task.file, { readonly: true });
  try {
    const lemmatizer = new Lemmatizer();
    const extra = task.extra ? { ...task.extra, lemmatize: (w: string) => lemmatizer.lemmatize(w) } : undefined;
    return loadTermTable(db, { extra });
  } finally {
    db.close();
  }
}
