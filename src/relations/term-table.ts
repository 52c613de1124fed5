/**
 * Everything the discriminator knows about each term, in flat typed arrays on shared memory:
 * the text (UTF-16 code units), the embedding, the morphology/dictionary signature and the
 * definition stem keys. Built once per stage in the main thread and handed to scoring workers
 * without copying (SharedArrayBuffer), so feature extraction in the hot loop touches no objects.
 */
import { Lemmatizer } from '../lexicon/lemmatize.js';
import type { RelationLabel } from '../types.js';
import { indexOfSorted } from '../util/sorted.js';
import { LargeMap } from '../util/large-map.js';
import { definitionSignature, FLAG, SIG, SIG_FIELDS, surfaceSignature, wordKey } from './morphology.js';
import { buildKnowledgeTable, type KnowledgeInput, type KnowledgeTable } from './knowledge-table.js';
import { SignatureHelper, type SignatureBatch } from './signature-helper.js';

export interface TermTable {
  rows: number;
  /** Term id -> row, -1 where absent (length maxTermId + 1). */
  rowOf: Int32Array;
  termId: Int32Array;
  textStart: Int32Array;
  text: Uint16Array;
  dims: number;
  vectors: Float32Array;
  signature: Int32Array;
  defStart: Int32Array;
  defTokens: Int32Array;
  /** Known relations of single words (sorted keys of wordPairKey, and their KNOWN_RELATION codes). */
  wordPairKeys: Float64Array;
  wordPairCodes: Uint8Array;
  /** Independent knowledge (dictionaries, WordNet) of each row. */
  knowledge: KnowledgeTable;
}

/** Codes of a known word pair's relation; KeNet's derivation links are `derived`. */
export const KNOWN_RELATION = { synonym: 1, antonym: 2, cohyponym: 3, derived: 4 } as const;
const CODE_OF_LABEL: Record<RelationLabel, number> = { synonym: KNOWN_RELATION.synonym, antonym: KNOWN_RELATION.antonym, 'co-hyponym': KNOWN_RELATION.cohyponym };

/** One exact-enough number for an unordered pair of word hashes: 21 bits of the larger, all 32 of the smaller. */
export function wordPairKey(x: number, y: number): number {
  const a = x >>> 0;
  const b = y >>> 0;
  const lo = a < b ? a : b;
  const hi = a < b ? b : a;
  return (hi >>> 11) * 4294967296 + lo;
}

/** The known relation code of two word hashes, 0 when unknown (binary search: the hot loop reaches it only for phrases differing in one word). */
export function knownRelation(t: TermTable, x: number, y: number): number {
  const i = indexOfSorted(t.wordPairKeys, wordPairKey(x, y));
  return i < 0 ? 0 : t.wordPairCodes[i];
}

/** Known word pairs as words and codes (the first code given for a pair wins). */
export type WordPairs = readonly (readonly [string, string, number])[];

function wordPairTable(pairs: WordPairs): { keys: Float64Array; codes: Uint8Array } {
  const byKey = new Map<number, number>();
  for (const [a, b, code] of pairs) {
    const key = wordPairKey(wordKey(a), wordKey(b));
    if (!byKey.has(key)) byKey.set(key, code);
  }
  const sorted = [...byKey.keys()].sort((x, y) => x - y);
  const keys = new Float64Array(new SharedArrayBuffer(Math.max(1, sorted.length) * 8)).subarray(0, sorted.length);
  const codes = shared(Uint8Array, sorted.length).subarray(0, sorted.length);
  sorted.forEach((k, i) => {
    keys[i] = k;
    codes[i] = byKey.get(k) as number;
  });
  return { keys, codes };
}

/**
 * What the build knows about single words: labelled pairs first (in their stored order), then
 * KeNet's derivation links (`derived`) when given.
 */
export function wordPairsOf(labelled: Iterable<readonly [string, string, RelationLabel]>, derivations: Iterable<readonly [string, string]> = []): WordPairs {
  const out: [string, string, number][] = [];
  for (const [a, b, label] of labelled) out.push([a, b, CODE_OF_LABEL[label]]);
  for (const [a, b] of derivations) out.push([a, b, KNOWN_RELATION.derived]);
  return out;
}

function shared<T extends Int32Array | Uint16Array | Float32Array | Uint8Array>(Ctor: { new (buffer: SharedArrayBuffer): T; BYTES_PER_ELEMENT: number }, length: number): T {
  return new Ctor(new SharedArrayBuffer(Math.max(1, length) * Ctor.BYTES_PER_ELEMENT));
}

/**
 * Words outside the term list that labelled pairs mention, with their vectors from the build's
 * embedder: the knowledge trains the model whatever the user's list holds. They get rows after
 * the terms, with term id -1, and take part in training only (never in seeds or scoring).
 */
export interface ExtraWords {
  norms: readonly string[];
  vectors: Float32Array;
  lemmatize: (norm: string) => string;
}

/**
 * What a build stored about its terms, as the table is made from it (src/pipeline/term-table.ts
 * reads it from the store): every embedded term, every term's text and lemma, and definitions.
 */
export interface StoredTerms {
  /**
   * Embedded terms in id order and their vectors, row after row. A matrix on a SharedArrayBuffer
   * with room for the extra words' rows after the terms' becomes the table's own (no copy: 0.45 GiB
   * at 928k terms of 128 dimensions).
   */
  embeddings: { termIds: Int32Array; vectors: Float32Array; dimensions: number };
  /** Every term in id order: id, normalised text, lemma (terms without a vector are skipped). */
  terms: Iterable<readonly [number, string, string | null]>;
  /** Definitions of terms by term id, in the order they count (absent: none). */
  definitions?: Iterable<readonly [number, string]>;
  extra?: ExtraWords & { definitions: (norm: string) => string[] };
  /** Which terms the embedder knows from its own training text (absent: all). */
  embedderKnows?: (norm: string) => boolean;
  wordPairs: WordPairs;
  knowledge?: KnowledgeInput;
  /** Sign on a second thread (default: big tables only); the same table either way. */
  signatureHelper?: boolean;
}

/** One row's text, lemma and definitions, as the table is filled row by row. */
type RowInput = readonly [row: number, norm: string, lemma: string | null, definitions: readonly string[]];

const NO_DEFINITIONS: readonly string[] = [];

/** The table of every embedded term (then the extra words), from what the build stored. */
export function termTableOf(input: StoredTerms): TermTable {
  const { termIds, vectors: stored, dimensions } = input.embeddings;
  const extra = input.extra;
  const termRows = termIds.length;
  const rows = termRows + (extra?.norms.length ?? 0);
  const maxId = termRows === 0 ? 0 : termIds[termRows - 1];
  const rowOf = shared(Int32Array, maxId + 1).fill(-1);
  const termId = shared(Int32Array, rows).fill(-1);
  const inPlace = stored.buffer instanceof SharedArrayBuffer && stored.length === rows * dimensions;
  const vectors = inPlace ? stored : shared(Float32Array, rows * dimensions);
  if (!inPlace) vectors.set(stored.subarray(0, termRows * dimensions));
  if (extra) {
    if (extra.vectors.length !== extra.norms.length * dimensions) throw new Error(`extra vectors have ${extra.vectors.length} values for ${extra.norms.length} words of ${dimensions} dimensions`);
    vectors.set(extra.vectors, termRows * dimensions);
  }
  for (let r = 0; r < termRows; r++) {
    rowOf[termIds[r]] = r;
    termId[r] = termIds[r];
  }

  const definitions = new LargeMap<number, string[]>();
  for (const [id, text] of input.definitions ?? []) {
    const list = definitions.get(id);
    if (list) list.push(text);
    else definitions.set(id, [text]);
  }
  // Terms arrive in id order, so their rows ascend: the table is filled as they are read, without
  // holding every term's strings (0.28 GiB of heap at 928k terms).
  function* entries(): Generator<RowInput> {
    for (const [id, norm, lemma] of input.terms) {
      const r = id < rowOf.length ? rowOf[id] : -1;
      if (r >= 0) yield [r, norm, lemma, definitions.get(id) ?? NO_DEFINITIONS];
    }
    if (extra) for (let i = 0; i < extra.norms.length; i++) yield [termRows + i, extra.norms[i], extra.lemmatize(extra.norms[i]), extra.definitions(extra.norms[i])];
  }
  return fillTable({
    rowOf,
    termId,
    vectors,
    dims: dimensions,
    rows,
    entries: entries(),
    lemmatizeWords: true,
    signatureHelper: input.signatureHelper,
    embedderKnows: input.embedderKnows,
    wordPairs: input.wordPairs,
    knowledge: input.knowledge,
  });
}

/**
 * A table from plain arrays: what the benchmark and tests use to score pairs without a store.
 * `texts[r]` is row r's normalised term, `termIds[r]` its id (or -1).
 */
export function buildTermTable(input: {
  termIds: Int32Array;
  texts: readonly string[];
  lemmas?: readonly (string | null)[];
  definitions?: readonly (readonly string[])[];
  vectors: Float32Array;
  dims: number;
  /** Which terms the embedder knows from its own training text (default: all). */
  embedderKnows?: (norm: string) => boolean;
  wordPairs?: WordPairs;
  knowledge?: KnowledgeInput;
  /** Sign on a second thread (default: big tables only); the same table either way. */
  signatureHelper?: boolean;
}): TermTable {
  const rows = input.texts.length;
  let maxId = 0;
  for (const id of input.termIds) if (id > maxId) maxId = id;
  const rowOf = shared(Int32Array, maxId + 1).fill(-1);
  const termId = shared(Int32Array, rows).fill(-1);
  input.termIds.forEach((id, r) => {
    if (id >= 0) rowOf[id] = r;
    termId[r] = id;
  });
  const vectors = shared(Float32Array, rows * input.dims);
  vectors.set(input.vectors.subarray(0, rows * input.dims));
  const entries = input.texts.map((norm, r): RowInput => [r, norm, input.lemmas?.[r] ?? null, input.definitions?.[r] ?? NO_DEFINITIONS]);
  return fillTable({ rowOf, termId, vectors, dims: input.dims, rows, entries, embedderKnows: input.embedderKnows, wordPairs: input.wordPairs ?? [], knowledge: input.knowledge, signatureHelper: input.signatureHelper });
}

/** Values appended in fixed-size chunks, then copied once to shared memory: no doubling copies. */
class Chunks<T extends Uint16Array | Int32Array> {
  private readonly full: T[] = [];
  private current: T;
  private at = 0;
  length = 0;

  constructor(private readonly make: (n: number) => T, private readonly size = 1 << 20) {
    this.current = make(size);
  }

  push(value: number): void {
    if (this.at === this.size) {
      this.full.push(this.current);
      this.current = this.make(this.size);
      this.at = 0;
    }
    this.current[this.at++] = value;
    this.length++;
  }

  /** Everything pushed, in a shared array of its own. */
  toShared(Ctor: { new (buffer: SharedArrayBuffer): T; BYTES_PER_ELEMENT: number }): T {
    const out = shared(Ctor, this.length);
    let o = 0;
    for (const c of this.full) {
      out.set(c, o);
      o += c.length;
    }
    out.set(this.current.subarray(0, this.at), o);
    return out;
  }
}

/** Rows from which a table signs on a second thread: its start (~0.3 s) is then a small share. */
const SIGNATURE_HELPER_ROWS = 100_000;
const SIGNATURE_BATCH = 4096;

/**
 * Signatures, text and definition keys of every row, on shared memory, from the rows' inputs in
 * ascending row order (a row not given is an empty text).
 */
function fillTable(t: {
  rowOf: Int32Array;
  termId: Int32Array;
  vectors: Float32Array;
  dims: number;
  rows: number;
  entries: Iterable<RowInput>;
  /** Look a term's single words up in the shipped lemma table (surfaceSignature's wordLemma). */
  lemmatizeWords?: boolean;
  /** Absent: every term counts as known (an embedder without a vocabulary of its own). */
  embedderKnows?: (norm: string) => boolean;
  wordPairs: WordPairs;
  knowledge?: KnowledgeInput;
  /** Sign on a second thread (default: tables of SIGNATURE_HELPER_ROWS rows or more). */
  signatureHelper?: boolean;
}): TermTable {
  const rows = t.rows;
  const lemmatizer = t.lemmatizeWords ? new Lemmatizer() : null;
  const wordLemma = lemmatizer ? (w: string): string | undefined => lemmatizer.knownLemma(w) : undefined;
  const knowledge = t.knowledge ?? { translations: [], opposites: [] };
  const signature = shared(Int32Array, rows * SIG_FIELDS);
  const textStart = shared(Int32Array, rows + 1);
  const defStart = shared(Int32Array, rows + 1);
  const text = new Chunks((n) => new Uint16Array(n));
  const defTokens = new Chunks((n) => new Int32Array(n));
  // The first row of each term the knowledge translates.
  const knowledgeRow = new Map<string, number>();
  for (const { term } of knowledge.translations) knowledgeRow.set(term, -1);
  // Surface signatures on a second thread for big tables (signature-helper.ts): rows go in
  // batches, to the helper while it keeps up, else signed here. The definition flags and the
  // embedder's bit are set once every row's signature is in place.
  const helper = (t.signatureHelper ?? rows >= SIGNATURE_HELPER_ROWS) ? new SignatureHelper(signature, t.lemmatizeWords === true) : null;
  const defFlags = new Int32Array(rows);
  const knows = new Uint8Array(rows);
  let batch: SignatureBatch = { rows: new Int32Array(SIGNATURE_BATCH), norms: [], lemmas: [] };
  const signHere = (b: SignatureBatch): void => {
    for (let i = 0; i < b.norms.length; i++) surfaceSignature(b.norms[i], b.lemmas[i], signature, b.rows[i] * SIG_FIELDS, wordLemma);
  };
  const flush = (): void => {
    const full = { rows: batch.rows.subarray(0, batch.norms.length), norms: batch.norms, lemmas: batch.lemmas };
    if (helper && helper.backlog() < 2 * SIGNATURE_BATCH) helper.post(full);
    else signHere(full);
    batch = { rows: new Int32Array(SIGNATURE_BATCH), norms: [], lemmas: [] };
  };
  let next = 0;
  const fill = (norm: string, lemma: string | null, definitions: readonly string[]): void => {
    const r = next++;
    batch.rows[batch.norms.length] = r;
    batch.norms.push(norm);
    batch.lemmas.push(lemma);
    if (batch.norms.length === SIGNATURE_BATCH) flush();
    if (!t.embedderKnows || t.embedderKnows(norm)) knows[r] = 1;
    const defs = definitionSignature(definitions);
    defFlags[r] = defs.flags;
    textStart[r] = text.length;
    for (let i = 0; i < norm.length; i++) text.push(norm.charCodeAt(i));
    defStart[r] = defTokens.length;
    for (let i = 0; i < defs.tokens.length; i++) defTokens.push(defs.tokens[i]);
    if (knowledgeRow.get(norm) === -1) knowledgeRow.set(norm, r);
  };
  try {
    for (const [row, norm, lemma, definitions] of t.entries) {
      if (row < next || row >= rows) throw new Error(`term table row ${row} out of order (next ${next} of ${rows})`);
      while (next < row) fill('', null, NO_DEFINITIONS);
      fill(norm, lemma, definitions);
    }
    while (next < rows) fill('', null, NO_DEFINITIONS);
    flush();
  } catch (err) {
    helper?.close(); // a table left unfinished (a bad row, a store read that failed): no thread left behind
    throw err;
  }
  for (const left of helper?.finish() ?? []) signHere(left);
  for (let r = 0; r < rows; r++) {
    if (knows[r]) signature[r * SIG_FIELDS + SIG.flags] |= FLAG.embedderKnows;
    signature[r * SIG_FIELDS + SIG.defFlags] = defFlags[r];
  }
  textStart[rows] = text.length;
  defStart[rows] = defTokens.length;
  const table = { rows, textStart, text: text.toShared(Uint16Array) };
  const pairs = wordPairTable(t.wordPairs);
  const knowledgeTable = buildKnowledgeTable(rows, (norm) => knowledgeRow.get(norm) ?? -1, knowledge, (r) => {
    const norm = termText(table, r);
    return norm.includes(' ') ? 0 : wordKey(norm);
  });
  return { rows, rowOf: t.rowOf, termId: t.termId, textStart, text: table.text, dims: t.dims, vectors: t.vectors, signature, defStart, defTokens: defTokens.toShared(Int32Array), wordPairKeys: pairs.keys, wordPairCodes: pairs.codes, knowledge: knowledgeTable };
}

/** The row's text back as a string (for messages and tests). */
export function termText(table: Pick<TermTable, 'text' | 'textStart'>, row: number): string {
  return String.fromCharCode(...table.text.subarray(table.textStart[row], table.textStart[row + 1]));
}

/** Row of a term id, or -1. */
export function rowOfTerm(table: TermTable, id: number): number {
  return id >= 0 && id < table.rowOf.length ? table.rowOf[id] : -1;
}
