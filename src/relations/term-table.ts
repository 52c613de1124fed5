/**
 * Everything the discriminator knows about each term, in flat typed arrays on shared memory:
 * the text (UTF-16 code units), the embedding, the morphology/dictionary signature and the
 * definition stem keys. Built once per stage in the main thread and handed to scoring workers
 * without copying (SharedArrayBuffer), so feature extraction in the hot loop touches no objects.
 */
import type { Db } from '../store/db.js';
import { readEmbeddings } from '../store/embeddings.js';
import { definitionSignature, SIG, SIG_FIELDS, surfaceSignature } from './morphology.js';

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
}

function shared<T extends Int32Array | Uint16Array | Float32Array>(Ctor: { new (buffer: SharedArrayBuffer): T; BYTES_PER_ELEMENT: number }, length: number): T {
  return new Ctor(new SharedArrayBuffer(Math.max(1, length) * Ctor.BYTES_PER_ELEMENT));
}

export interface TermTableOptions {
  /** Read definitions (KeNet synsets' and the term list's own) for dictionary cues. Default true. */
  definitions?: boolean;
  /**
   * Words outside the term list that labelled pairs mention, with their vectors from the build's
   * embedder: the knowledge trains the model whatever the user's list holds. They get rows after
   * the terms, with term id -1, and take part in training only (never in seeds or scoring).
   */
  extra?: { norms: readonly string[]; vectors: Float32Array; lemmatize: (norm: string) => string };
}

/**
 * Reads every term with an embedding. Definitions come from the store, which in a held-out build
 * holds only the synsets the build may see (docs/evaluation.md, leakage), so held-out words have none.
 */
export function loadTermTable(db: Db, options: TermTableOptions = {}): TermTable {
  const { termIds, vectors: plain, dimensions } = readEmbeddings(db);
  const extra = options.extra;
  const termRows = termIds.length;
  const rows = termRows + (extra?.norms.length ?? 0);
  const maxId = termRows === 0 ? 0 : termIds[termRows - 1];
  const rowOf = shared(Int32Array, maxId + 1).fill(-1);
  const termId = shared(Int32Array, rows).fill(-1);
  const vectors = shared(Float32Array, rows * dimensions);
  vectors.set(plain);
  if (extra) {
    if (extra.vectors.length !== extra.norms.length * dimensions) throw new Error(`extra vectors have ${extra.vectors.length} values for ${extra.norms.length} words of ${dimensions} dimensions`);
    vectors.set(extra.vectors, plain.length);
  }
  for (let r = 0; r < termRows; r++) {
    rowOf[termIds[r]] = r;
    termId[r] = termIds[r];
  }

  const definitions = new Map<number, string[]>();
  if (options.definitions !== false) {
    const add = (id: number, text: string): void => {
      const list = definitions.get(id);
      if (list) list.push(text);
      else definitions.set(id, [text]);
    };
    for (const [id, text] of db
      .prepare(
        `SELECT t.id, lower(d.text) FROM definitions d JOIN synset_members m ON m.synset_id = d.synset_id JOIN terms t ON t.norm = m.norm
         WHERE d.kind = 'definition' ORDER BY t.id, d.id`,
      )
      .raw()
      .iterate() as IterableIterator<[number, string]>)
      add(id, text);
    for (const [id, text] of db.prepare(`SELECT term_id, lower(text) FROM definitions WHERE term_id IS NOT NULL AND kind = 'definition' ORDER BY term_id, id`).raw().iterate() as IterableIterator<[number, string]>)
      add(id, text);
  }

  const texts = new Array<string>(rows).fill('');
  const lemmas = new Array<string | null>(rows).fill(null);
  const defs = new Array<string[]>(rows);
  for (const [id, norm, lemma] of db.prepare('SELECT id, norm, lemma FROM terms ORDER BY id').raw().iterate() as IterableIterator<[number, string, string | null]>) {
    const r = id < rowOf.length ? rowOf[id] : -1;
    if (r < 0) continue;
    texts[r] = norm;
    lemmas[r] = lemma;
    defs[r] = definitions.get(id) ?? [];
  }
  const byNorm = extra ? db.prepare("SELECT lower(d.text) FROM definitions d JOIN synset_members m ON m.synset_id = d.synset_id WHERE m.norm = ? AND d.kind = 'definition' ORDER BY d.id").pluck() : null;
  extra?.norms.forEach((norm, i) => {
    texts[termRows + i] = norm;
    lemmas[termRows + i] = extra.lemmatize(norm);
    defs[termRows + i] = (byNorm?.all(norm) as string[] | undefined) ?? [];
  });
  return fillTable({ rowOf, termId, vectors, dims: dimensions, texts, lemmas, definitions: defs });
}

/**
 * A table from plain arrays: what the benchmark and tests use to score pairs without a store.
 * `texts[r]` is row r's normalised term, `termIds[r]` its id (or -1).
 */
export function buildTermTable(input: { termIds: Int32Array; texts: readonly string[]; lemmas?: readonly (string | null)[]; definitions?: readonly (readonly string[])[]; vectors: Float32Array; dims: number }): TermTable {
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
  return fillTable({ rowOf, termId, vectors, dims: input.dims, texts: input.texts, lemmas: input.lemmas ?? [], definitions: input.definitions ?? [] });
}

/** Signatures, text and definition keys of every row, on shared memory. */
function fillTable(t: {
  rowOf: Int32Array;
  termId: Int32Array;
  vectors: Float32Array;
  dims: number;
  texts: readonly string[];
  lemmas: readonly (string | null)[];
  definitions: readonly (readonly string[] | undefined)[];
}): TermTable {
  const rows = t.texts.length;
  const signature = shared(Int32Array, rows * SIG_FIELDS);
  const defParts = new Array<Int32Array>(rows);
  const textStart = shared(Int32Array, rows + 1);
  const defStart = shared(Int32Array, rows + 1);
  let textLength = 0;
  let defLength = 0;
  for (let r = 0; r < rows; r++) {
    const norm = t.texts[r];
    surfaceSignature(norm, t.lemmas[r] ?? null, signature, r * SIG_FIELDS);
    const defs = definitionSignature(t.definitions[r] ?? []);
    signature[r * SIG_FIELDS + SIG.defHead] = defs.head;
    signature[r * SIG_FIELDS + SIG.defFlags] = defs.flags;
    signature[r * SIG_FIELDS + SIG.giller] = defs.giller;
    defParts[r] = defs.tokens;
    textStart[r] = textLength;
    textLength += norm.length;
    defStart[r] = defLength;
    defLength += defs.tokens.length;
  }
  textStart[rows] = textLength;
  defStart[rows] = defLength;
  const text = shared(Uint16Array, textLength);
  const defTokens = shared(Int32Array, defLength);
  for (let r = 0; r < rows; r++) {
    const s = t.texts[r];
    const at = textStart[r];
    for (let i = 0; i < s.length; i++) text[at + i] = s.charCodeAt(i);
    defTokens.set(defParts[r], defStart[r]);
  }
  return { rows, rowOf: t.rowOf, termId: t.termId, textStart, text, dims: t.dims, vectors: t.vectors, signature, defStart, defTokens };
}

/** The row's text back as a string (for messages and tests). */
export function termText(table: TermTable, row: number): string {
  return String.fromCharCode(...table.text.subarray(table.textStart[row], table.textStart[row + 1]));
}

/** Row of a term id, or -1. */
export function rowOfTerm(table: TermTable, id: number): number {
  return id >= 0 && id < table.rowOf.length ? table.rowOf[id] : -1;
}
