/**
 * The discriminator's term table read from the store: every embedded term with its text, lemma,
 * definitions, the build's word-pair knowledge and dictionaries (src/relations/term-table.ts makes
 * the table). Definitions come from the store, which in a held-out build holds only the synsets the
 * build may see (docs/evaluation.md, leakage), so held-out words have none.
 */
import { termTableOf, wordPairsOf, type ExtraWords, type StoredTerms, type TermTable, type WordPairs } from '../relations/index.js';
import { readDerivationPairs, readEmbeddings, readLabelledWordPairs, readOpposites, readTermDefinitions, readTermsWithLemmas, readTranslations, synsetDefinitionsOfWord, type Db } from '../store/index.js';
import { builtinKnownTerms } from './builtin-model.js';
import { readVectorsBeside } from './vector-reader.js';
import { workerPool } from '../util/pool.js';
import { workerFile } from '../util/workers.js';

export interface TermTableOptions {
  /** Read definitions (KeNet synsets' and the term list's own) for dictionary cues. Default true. */
  definitions?: boolean;
  /** Words outside the term list that labelled pairs mention, with their vectors (rows after the terms). */
  extra?: ExtraWords;
  /** Read the independent knowledge (dictionaries, WordNet). Default true. */
  knowledge?: boolean;
  /** Read the vectors on a second thread (default: VECTOR_READER_ROWS of them or more, from a file); the same table either way. */
  vectorReader?: boolean;
}

/** What the build knows about single words: labelled pairs first, then (optionally) KeNet's derivation links. */
export function storedWordPairs(db: Db, { derivations = true }: { derivations?: boolean } = {}): WordPairs {
  return wordPairsOf(readLabelledWordPairs(db), derivations ? readDerivationPairs(db, { singleWords: true }) : []);
}

/** Reads every term with an embedding (and the extra words) into the table. */
export function loadTermTable(db: Db, options: TermTableOptions = {}): TermTable {
  const spareRows = options.extra?.norms.length ?? 0;
  const reader = options.vectorReader === false ? null : readVectorsBeside(db, spareRows, options.vectorReader ? 1 : undefined);
  try {
    const table = tableOf(db, options, reader?.embeddings ?? readEmbeddings(db, { shared: true, spareRows }));
    reader?.finish();
    return table;
  } catch (err) {
    reader?.close();
    throw err;
  }
}

/**
 * loadTermTable's table (with its knowledge and definitions, and the extra words lemmatised there)
 * filled on a worker thread with a read connection of its own to the database file: the same table.
 * `signal` ends the worker.
 */
export async function loadTermTableInWorker(file: string, extra: Pick<ExtraWords, 'norms' | 'vectors'> | undefined, signal?: AbortSignal): Promise<TermTable> {
  const pool = workerPool(workerFile('term-table'), { name: 'termTable', maxThreads: 1, minThreads: 1 });
  try {
    return await pool.run<TermTable>({ file, extra: extra ? { norms: [...extra.norms], vectors: extra.vectors } : null }, { signal });
  } finally {
    await pool.destroy();
  }
}

function tableOf(db: Db, options: TermTableOptions, embeddings: StoredTerms['embeddings']): TermTable {
  return termTableOf({
    // The table's own shared matrix, with the extra words' rows after the terms'.
    embeddings,
    terms: readTermsWithLemmas(db),
    definitions: options.definitions === false ? undefined : readTermDefinitions(db),
    extra: options.extra ? { ...options.extra, definitions: synsetDefinitionsOfWord(db) } : undefined,
    embedderKnows: builtinKnownTerms(db) ?? undefined,
    wordPairs: storedWordPairs(db),
    knowledge: options.knowledge === false ? undefined : { translations: readTranslations(db), opposites: readOpposites(db) },
  });
}
