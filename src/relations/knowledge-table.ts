/**
 * What independent knowledge says of each term-table row (issue 11), in flat sorted lists on
 * shared memory so the scoring workers read it without copying: the foreign headwords a row
 * translates (per language), the dictionary senses it is given in, and the English headwords
 * WordNet opposes to its own English ones. Pair cues are then sorted-list intersections.
 */
import { KNOWLEDGE_SOURCES, languageOf, type KnowledgeSource } from '../lexicon/dictionaries.js';
import { indexOfSorted } from '../util/sorted.js';

/** Languages whose translations are compared (every knowledge source but WordNet). */
export const TRANSLATION_LANGUAGES = KNOWLEDGE_SOURCES.filter((s) => s !== 'wordnet') as Exclude<KnowledgeSource, 'wordnet'>[];
const LANGUAGE_INDEX = new Map<string, number>(TRANSLATION_LANGUAGES.map((l, i) => [l, i]));
export const LANGUAGE_COUNT = TRANSLATION_LANGUAGES.length;
const ENGLISH = LANGUAGE_INDEX.get('eng') as number;

export interface KnowledgeTable {
  /** Row r's headword ids: heads[headStart[r] .. headStart[r + 1]), ascending. */
  headStart: Int32Array;
  heads: Int32Array;
  /** Language index (TRANSLATION_LANGUAGES) of each headword id. */
  headLanguage: Uint8Array;
  /** Row r's sense ids (senses of dictionaries that number them), ascending. */
  senseStart: Int32Array;
  senses: Int32Array;
  senseLanguage: Uint8Array;
  /**
   * Weight of each headword and sense as evidence: 1 / sqrt(n - 1) for n rows translating it, so
   * one shared by two words counts 1 and one shared by seventeen (`get`) a quarter.
   */
  headWeight: Float32Array;
  senseWeight: Float32Array;
  /** Headword ids WordNet opposes to one of row r's English headwords: directly, or through a similar adjective. */
  directStart: Int32Array;
  direct: Int32Array;
  similarStart: Int32Array;
  similar: Int32Array;
  /**
   * Translated single-word rows by word: wordKeys ascending (morphology.ts wordKey), wordRows the
   * row of each, so that a derived word's root finds its translations (`saygısızlık` -> `saygı`).
   */
  wordKeys: Int32Array;
  wordRows: Int32Array;
}

function shared<T extends Int32Array | Uint8Array>(Ctor: { new (buffer: SharedArrayBuffer): T; BYTES_PER_ELEMENT: number }, length: number): T {
  return new Ctor(new SharedArrayBuffer(Math.max(1, length) * Ctor.BYTES_PER_ELEMENT));
}

/** Sorted unique lists per row into CSR arrays on shared memory (most rows have none: no array per row). */
function csr(lists: readonly (readonly number[] | undefined)[], rows: number): { start: Int32Array; values: Int32Array } {
  const sorted = new Map<number, number[]>();
  lists.forEach((list, r) => {
    if (list && r < rows) sorted.set(r, [...new Set(list)].sort((x, y) => x - y));
  });
  const start = shared(Int32Array, rows + 1);
  let total = 0;
  for (let r = 0; r < rows; r++) {
    start[r] = total;
    total += sorted.get(r)?.length ?? 0;
  }
  start[rows] = total;
  const values = shared(Int32Array, total);
  for (const [r, list] of sorted) values.set(list, start[r]);
  return { start, values };
}

export interface KnowledgeInput {
  translations: readonly { term: string; source: string; headword: string; sense: string }[];
  opposites: readonly { a: string; b: string; source: string; kind: string }[];
}

/**
 * The knowledge table of `rows` rows, `rowOf` giving the row of a normalised term (-1 when absent)
 * and `wordKeyOf` the word key of a single-word row (0 for a phrase).
 */
export function buildKnowledgeTable(rows: number, rowOf: (norm: string) => number, input: KnowledgeInput, wordKeyOf: (row: number) => number = () => 0): KnowledgeTable {
  const headId = new Map<string, number>();
  const headLanguage: number[] = [];
  const senseId = new Map<string, number>();
  const senseLanguage: number[] = [];
  const heads: number[][] = [];
  const senses: number[][] = [];
  const push = (lists: number[][], r: number, v: number): void => {
    (lists[r] ??= []).push(v);
  };
  /** The id of a key, numbered in order of first sight, its language recorded. */
  const idOf = (ids: Map<string, number>, languages: number[], key: string, lang: number): number => {
    let id = ids.get(key);
    if (id === undefined) {
      id = languages.length;
      ids.set(key, id);
      languages.push(lang);
    }
    return id;
  };
  for (const t of input.translations) {
    const r = rowOf(t.term);
    if (r < 0) continue;
    const lang = LANGUAGE_INDEX.get(languageOf(t.source)) as number;
    push(heads, r, idOf(headId, headLanguage, `${lang}\u0000${t.headword}`, lang));
    if (t.sense !== '0') push(senses, r, idOf(senseId, senseLanguage, `${t.source}\u0000${t.headword}\u0000${t.sense}`, lang));
  }
  // WordNet's opposites between English headwords some row translates.
  const opposed = new Map<number, { direct: number[]; similar: number[] }>();
  for (const o of input.opposites) {
    const a = headId.get(`${ENGLISH}\u0000${o.a}`);
    const b = headId.get(`${ENGLISH}\u0000${o.b}`);
    if (a === undefined || b === undefined) continue;
    for (const [x, y] of [
      [a, b],
      [b, a],
    ]) {
      let e = opposed.get(x);
      if (!e) opposed.set(x, (e = { direct: [], similar: [] }));
      (o.kind === 'direct' ? e.direct : e.similar).push(y);
    }
  }
  const direct: number[][] = [];
  const similar: number[][] = [];
  heads.forEach((list, r) => {
    for (const h of list) {
      const e = opposed.get(h);
      if (!e) continue;
      for (const y of e.direct) push(direct, r, y);
      for (const y of e.similar) push(similar, r, y);
    }
  });
  const h = csr(heads, rows);
  const s = csr(senses, rows);
  const d = csr(direct, rows);
  const m = csr(similar, rows);
  const weights = (lists: number[][], count: number): Float32Array => {
    const rowsOf = new Int32Array(count);
    for (const list of lists) if (list) for (const id of new Set(list)) rowsOf[id]++;
    const w = new Float32Array(new SharedArrayBuffer(Math.max(1, count) * 4));
    for (let i = 0; i < count; i++) w[i] = rowsOf[i] <= 1 ? 1 : 1 / Math.sqrt(rowsOf[i] - 1);
    return w;
  };
  const headWeight = weights(heads, headLanguage.length);
  const senseWeight = weights(senses, senseLanguage.length);
  const hl = shared(Uint8Array, headLanguage.length);
  hl.set(headLanguage);
  const sl = shared(Uint8Array, senseLanguage.length);
  sl.set(senseLanguage);
  const words = wordIndex(h.start, rows, wordKeyOf);
  return { headStart: h.start, heads: h.values, headLanguage: hl, senseStart: s.start, senses: s.values, senseLanguage: sl, headWeight, senseWeight, directStart: d.start, direct: d.values, similarStart: m.start, similar: m.values, wordKeys: words.keys, wordRows: words.rows };
}

/** Translated single-word rows sorted by word key (the first row of a key wins). */
function wordIndex(headStart: Int32Array, rows: number, wordKeyOf: (row: number) => number): { keys: Int32Array; rows: Int32Array } {
  const found: [number, number][] = [];
  for (let r = 0; r < rows; r++) {
    if (headStart[r] === headStart[r + 1]) continue;
    const key = wordKeyOf(r);
    if (key !== 0) found.push([key, r]);
  }
  found.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  const out = { keys: shared(Int32Array, found.length), rows: shared(Int32Array, found.length) };
  let n = 0;
  for (const [key, r] of found) {
    if (n > 0 && out.keys[n - 1] === key) continue;
    out.keys[n] = key;
    out.rows[n++] = r;
  }
  return { keys: out.keys.subarray(0, n), rows: out.rows.subarray(0, n) };
}

/** The translated row of a single word's key, or -1 (binary search). */
export function rowOfWord(k: KnowledgeTable, key: number): number {
  const i = indexOfSorted(k.wordKeys, key);
  return i < 0 ? -1 : k.wordRows[i];
}

/**
 * Per-language weighted sums of what two sorted id lists share, into `out` (languages indexed as
 * in `language`; `mode` 'sum' adds the weights, 'max' keeps the largest); returns the count.
 */
export function intersectByLanguage(values: Int32Array, sa: number, ea: number, sb: number, eb: number, language: Uint8Array, weight: Float32Array, out: Float32Array, mode: 'sum' | 'max'): number {
  let i = sa;
  let j = sb;
  let n = 0;
  while (i < ea && j < eb) {
    const x = values[i];
    const y = values[j];
    if (x === y) {
      const l = language[x];
      out[l] = mode === 'sum' ? out[l] + weight[x] : Math.max(out[l], weight[x]);
      n++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return n;
}

/** How many values two ascending lists (in two arrays) share. */
export function sharedCount(xs: Int32Array, sa: number, ea: number, ys: Int32Array, sb: number, eb: number): number {
  let i = sa;
  let j = sb;
  let n = 0;
  while (i < ea && j < eb) {
    const x = xs[i];
    const y = ys[j];
    if (x === y) {
      n++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return n;
}
