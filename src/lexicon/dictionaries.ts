/**
 * Bilingual dictionaries and WordNet antonymy: evidence about Turkish words that does not come
 * from KeNet (issue 11), so a held-out build may use it for every word (docs/evaluation.md,
 * "Independent resources"). Shipped in data/dictionaries (made by scripts/build-dictionaries.ts
 * from Debian's FreeDict packages and Princeton WordNet 3.1; licences in its LICENSES.md); a user
 * adds a dictionary or thesaurus of their own in the same TSV shape.
 *
 * A translation row: `source<TAB>headword<TAB>sense<TAB>term`. `source` names the dictionary;
 * its language is what precedes the first `-` (`eng-tur` -> `eng`; `tur-eng` is read backwards,
 * so its language is the second part). Two terms given in one sense of one headword are the
 * strongest cue; sense `0` means the dictionary gives no senses (one record per translation).
 * A Turkish thesaurus is the same shape with its entries as headwords (source `tur`, say).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { InputError } from '../errors.js';
import { packageRoot } from '../util/package.js';
import { normalizeTerm } from './normalize.js';

/** The shipped dictionaries' languages, each a feature group of the discriminator. */
export const DICTIONARY_LANGUAGES = ['eng', 'deu', 'fra', 'ita', 'pol', 'swe', 'kur'] as const;
/** What a source reads as: a shipped language, or `user` for every other source. */
export type KnowledgeSource = (typeof DICTIONARY_LANGUAGES)[number] | 'wordnet' | 'user';
export const KNOWLEDGE_SOURCES: readonly KnowledgeSource[] = [...DICTIONARY_LANGUAGES, 'wordnet', 'user'];
/** The shipped sources a build uses unless told otherwise (`user` is every dictionary you give). */
export const DEFAULT_KNOWLEDGE_SOURCES: readonly string[] = [...DICTIONARY_LANGUAGES, 'wordnet'];

export interface Translation {
  source: string;
  headword: string;
  /** `0`: the dictionary has no senses. */
  sense: string;
  term: string;
}

export interface Opposite {
  a: string;
  b: string;
  /** `direct`: WordNet antonym pointer; `similar`: an adjective similar to one end. */
  kind: string;
}

/** The language a source's rows count under (`eng-tur`, `tur-eng` -> `eng`; others -> `user`). */
export function languageOf(source: string): KnowledgeSource {
  const parts = source.split('-');
  const lang = parts[0] === 'tur' && parts.length === 2 ? parts[1] : parts[0];
  return (DICTIONARY_LANGUAGES as readonly string[]).includes(lang) ? (lang as KnowledgeSource) : 'user';
}

export function dictionariesDir(): string {
  return join(packageRoot(), 'data', 'dictionaries');
}

function readText(file: string): string {
  if (!existsSync(file)) throw new InputError(file, null, 'no such file');
  const raw = readFileSync(file);
  return (file.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
}

/**
 * Rows of a translation TSV (gzip when the name ends in .gz). A user's file may have a header
 * line (`source headword sense term`) and may leave `source` out (three columns: headword, sense,
 * term; the source is then `defaultSource`). A line with another field count stops with file:line.
 */
export function readTranslations(file: string, defaultSource = 'user'): Translation[] {
  const out: Translation[] = [];
  readText(file)
    .split('\n')
    .forEach((line, i) => {
      if (line.trim() === '' || line.startsWith('#')) return;
      const f = line.replace(/\r$/u, '').split('\t');
      if (i === 0 && f.includes('headword') && f.includes('term')) return;
      let row: Translation;
      if (f.length === 4) row = { source: f[0].trim(), headword: f[1].trim(), sense: f[2].trim() || '0', term: normalizeTerm(f[3]) };
      else if (f.length === 3) row = { source: defaultSource, headword: f[0].trim(), sense: f[1].trim() || '0', term: normalizeTerm(f[2]) };
      else throw new InputError(file, i + 1, `expected 3 or 4 tab-separated fields (source, headword, sense, term), got ${f.length}`);
      if (row.headword === '' || row.term === '' || row.source === '') throw new InputError(file, i + 1, 'empty headword, term or source');
      out.push(row);
    });
  return out;
}

/** WordNet's opposed English headwords (`a<TAB>b<TAB>kind`). */
export function readOpposites(file: string): Opposite[] {
  const out: Opposite[] = [];
  readText(file)
    .split('\n')
    .forEach((line, i) => {
      if (line === '') return;
      const f = line.split('\t');
      if (f.length !== 3) throw new InputError(file, i + 1, `expected 3 tab-separated fields (a, b, kind), got ${f.length}`);
      out.push({ a: f[0], b: f[1], kind: f[2] });
    });
  return out;
}

/** The shipped files: every dictionary's translations and WordNet's opposites. */
export function shippedKnowledgeFiles(): { translations: string; opposites: string } {
  const dir = dictionariesDir();
  return { translations: join(dir, 'translations.tsv.gz'), opposites: join(dir, 'wordnet-antonyms.tsv.gz') };
}
