import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildTermTable, rowOfTerm, termTableOf, termText, type StoredTerms, type TermTable } from '../src/relations/term-table.js';
import { SignatureHelper } from '../src/relations/signature-helper.js';
import { SIG_FIELDS, surfaceSignature } from '../src/relations/morphology.js';
import { Lemmatizer } from '../src/lexicon/lemmatize.js';
import { generateTerms } from '../scripts/generate-terms.js';

const DIMS = 4;
const TERMS: [number, string, string | null][] = [
  [2, 'kara', 'kara'],
  [5, 'siyah', 'siyah'],
  [7, 'kara gün', null],
  [9, 'kapı', 'kapı'],
];
// Term 9 has no vector: it is skipped, as the store's terms without an embedding are.
const EMBEDDED = Int32Array.of(2, 5, 7);
const EXTRA = ['ak', 'beyaz'];

function vectors(rows: number, spare: number, shared: boolean): Float32Array {
  const out = shared ? new Float32Array(new SharedArrayBuffer((rows + spare) * DIMS * 4)) : new Float32Array((rows + spare) * DIMS);
  for (let i = 0; i < rows * DIMS; i++) out[i] = i + 1;
  return out;
}

function input(matrix: Float32Array): StoredTerms {
  return {
    embeddings: { termIds: EMBEDDED, vectors: matrix, dimensions: DIMS },
    terms: TERMS,
    definitions: [[5, 'kömür renginde olan']],
    extra: { norms: EXTRA, vectors: Float32Array.from({ length: EXTRA.length * DIMS }, (_, i) => -(i + 1)), lemmatize: (w) => w, definitions: (w) => (w === 'ak' ? ['süt renginde olan'] : []) },
    wordPairs: [['kara', 'siyah', 1]],
    knowledge: { translations: [{ term: 'siyah', source: 'eng', headword: 'black', sense: '0' }, { term: 'kara', source: 'eng', headword: 'black', sense: '0' }], opposites: [] },
  };
}

/** Every array of the table, as plain numbers, so two tables compare by content. */
function contents(t: TermTable): unknown {
  const plain = (o: object): unknown => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, ArrayBuffer.isView(v) ? Array.from(v as Int32Array) : typeof v === 'object' ? plain(v as object) : v]));
  return plain(t);
}

describe('termTableOf', () => {
  it('uses a shared matrix with room for the extra words as its own, and fills the same table as from a copied one', () => {
    const inPlace = vectors(EMBEDDED.length, EXTRA.length, true);
    const fromShared = termTableOf(input(inPlace));
    const fromPlain = termTableOf(input(vectors(EMBEDDED.length, 0, false)));
    expect(fromShared.vectors).toBe(inPlace);
    expect(fromPlain.vectors).not.toBe(inPlace);
    expect(contents(fromShared)).toEqual(contents(fromPlain));

    const t = fromShared;
    expect(t.rows).toBe(5);
    expect(Array.from({ length: t.rows }, (_, r) => termText(t, r))).toEqual(['kara', 'siyah', 'kara gün', 'ak', 'beyaz']);
    expect(Array.from(t.termId)).toEqual([2, 5, 7, -1, -1]);
    expect(rowOfTerm(t, 5)).toBe(1);
    expect(rowOfTerm(t, 9)).toBe(-1);
    // The extra words' vectors follow the terms'.
    expect(Array.from(t.vectors.subarray(2 * DIMS, 4 * DIMS))).toEqual([9, 10, 11, 12, -1, -2, -3, -4]);
    // Definitions: siyah's and ak's, nobody else's.
    const defined = Array.from({ length: t.rows }, (_, r) => t.defStart[r + 1] > t.defStart[r]);
    expect(defined).toEqual([false, true, false, true, false]);
    // Both translated rows share the headword.
    const heads = (r: number): number[] => Array.from(t.knowledge.heads.subarray(t.knowledge.headStart[r], t.knowledge.headStart[r + 1]));
    expect(heads(0)).toEqual(heads(1));
    expect(heads(0)).toHaveLength(1);
    expect(heads(2)).toEqual([]);
  });

  it('refuses terms whose rows do not ascend', () => {
    const shuffled = { ...input(vectors(EMBEDDED.length, 0, false)), terms: [TERMS[1], TERMS[0], TERMS[2]] };
    expect(() => termTableOf(shuffled)).toThrow(/row 0 out of order/);
  });
});

describe('the surface signatures on a second thread', () => {
  it('give the table the one thread gives, words lemmatised or not', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'synograph-signatures-'));
    try {
      const file = join(dir, 'terms.txt');
      await generateTerms(30_000, file, 3);
      const texts = [...new Set(readFileSync(file, 'utf8').split('\n').map((l) => l.trim().toLocaleLowerCase('tr-TR')).filter((l) => l.length > 0 && l.length < 200))];
      const ids = Int32Array.from(texts, (_, i) => i + 1);
      const stored = (signatureHelper: boolean): StoredTerms => ({
        embeddings: { termIds: ids, vectors: new Float32Array(texts.length * DIMS), dimensions: DIMS },
        terms: texts.map((t, i): [number, string, string | null] => [i + 1, t, i % 3 === 0 ? t.split(' ')[0] : null]),
        embedderKnows: (norm) => norm.length % 2 === 0,
        wordPairs: [],
        signatureHelper,
      });
      expect(contents(termTableOf(stored(true)))).toEqual(contents(termTableOf(stored(false))));
      const plain = (signatureHelper: boolean): TermTable => buildTermTable({ termIds: ids, texts, vectors: new Float32Array(texts.length * DIMS), dims: DIMS, signatureHelper });
      expect(contents(plain(true))).toEqual(contents(plain(false)));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('signs what it is given, and hands back what its worker could not sign', async () => {
    const norms = ['kitaplarımızdan', 'gelmemek', 'vergi kaçırmak', 'yedinci kat'];
    const rows = Int32Array.from(norms, (_, i) => 3 - i);
    const signature = new Int32Array(norms.length * SIG_FIELDS);
    const helper = new SignatureHelper(signature, true);
    helper.post({ rows, norms, lemmas: norms.map(() => null) });
    expect(helper.finish()).toEqual([]);
    const here = new Int32Array(norms.length * SIG_FIELDS);
    const lemmatizer = new Lemmatizer();
    norms.forEach((n, i) => surfaceSignature(n, null, here, rows[i] * SIG_FIELDS, (w) => lemmatizer.knownLemma(w)));
    expect(Array.from(signature)).toEqual(Array.from(here));
    expect(here.some((x) => x !== 0)).toBe(true);
    // A term the worker cannot read: it says so, and the batch comes back unsigned.
    const failing = new SignatureHelper(new Int32Array(SIG_FIELDS), false);
    const bad = { rows: Int32Array.of(0), norms: [null as unknown as string], lemmas: [null] };
    const after = { rows: Int32Array.of(0), norms: ['gelmek'], lemmas: [null] };
    failing.post(bad);
    failing.post(after);
    // Time for the worker to reach the second batch before the filler looks.
    await new Promise((resolve) => setTimeout(resolve, 300));
    // The batch after the failed one comes back too: counted done, it would have made the failed one look signed.
    expect(failing.finish()).toEqual([bad, after]);
  });

  it('refuses a row out of order while its helper is running, and stops the helper', () => {
    const texts = Array.from({ length: 5000 }, (_, i) => `terim ${i}`);
    const entries = texts.map((t, i) => [i + 1, t, null] as [number, string, string | null]);
    entries.push([3, 'geri', null]); // out of order: the table refuses it
    const stored: StoredTerms = { embeddings: { termIds: Int32Array.from(texts, (_, i) => i + 1), vectors: new Float32Array(texts.length * DIMS), dimensions: DIMS }, terms: entries, wordPairs: [], signatureHelper: true };
    expect(() => termTableOf(stored)).toThrow(/out of order/);
  });
});
