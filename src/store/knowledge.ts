/** Independent knowledge (bilingual dictionaries, WordNet antonymy) kept for a build's terms. */
import type { Db } from './db.js';
import { LargeSet } from '../util/large-map.js';

export interface TranslationRow {
  term: string;
  source: string;
  headword: string;
  sense: string;
}

/** Replaces the stored knowledge; the caller owns the transaction. Rows are deduplicated by key. */
export function writeKnowledge(db: Db, translations: Iterable<TranslationRow>, opposites: Iterable<{ a: string; b: string; source: string; kind: string }>): { translations: number; opposites: number } {
  db.prepare('DELETE FROM knowledge_translations').run();
  db.prepare('DELETE FROM knowledge_opposites').run();
  const t = db.prepare('INSERT OR IGNORE INTO knowledge_translations(term, source, headword, sense) VALUES (?, ?, ?, ?)');
  const o = db.prepare('INSERT OR IGNORE INTO knowledge_opposites(a, b, source, kind) VALUES (?, ?, ?, ?)');
  let nt = 0;
  let no = 0;
  for (const r of translations) nt += t.run(r.term, r.source, r.headword, r.sense).changes;
  for (const r of opposites) if (r.a !== r.b) no += o.run(r.a < r.b ? r.a : r.b, r.a < r.b ? r.b : r.a, r.source, r.kind).changes;
  return { translations: nt, opposites: no };
}

/** Every stored translation, in key order (term, source, headword, sense). */
export function readTranslations(db: Db): TranslationRow[] {
  return db.prepare('SELECT term, source, headword, sense FROM knowledge_translations ORDER BY term, source, headword, sense').all() as TranslationRow[];
}

/**
 * The id and normalised form of each term that a stored translation names, in id order: looked up
 * through the terms' norm index, where reading every term to keep these took 1.37 s at 928k terms
 * for 7,289 of them.
 */
export function readTranslatedTermIds(db: Db): [id: number, norm: string][] {
  return db.prepare('SELECT id, norm FROM terms WHERE norm IN (SELECT term FROM knowledge_translations) ORDER BY id').raw().all() as [number, string][];
}

/** Every stored pair of opposed headwords, in key order. */
export function readOpposites(db: Db): { a: string; b: string; source: string; kind: string }[] {
  return db.prepare('SELECT a, b, source, kind FROM knowledge_opposites ORDER BY a, b, source').all() as { a: string; b: string; source: string; kind: string }[];
}

/** Every word the build's knowledge may describe: its terms and the words of its labelled pairs. */
export function readKnowledgeVocabulary(db: Db): LargeSet<string> {
  const words = new LargeSet(db.prepare('SELECT norm FROM terms').pluck().all() as string[]);
  for (const w of db.prepare('SELECT a FROM gold_relations UNION SELECT b FROM gold_relations').pluck().all() as string[]) words.add(w);
  return words;
}
