import { describe, it, expect, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BuiltinEncoder, createBuiltinEmbedder, trainBuiltin, type BuiltinModel } from '../src/embed/index.js';
import { defaultEncodeEngine } from '../src/embed/builtin/model.js';
import { loadBuiltinModel, saveBuiltinModel } from '../src/pipeline/index.js';
import { trainingDocuments } from '../src/embed/builtin/corpus.js';
import { tokenize } from '../src/embed/builtin/tokenize.js';
import { countCooccurrences, DEFAULT_BUILTIN_CONFIG, defaultCountEngine, svdVectors, toPpmi } from '../src/embed/builtin/train.js';
import { defaultKernelEngine } from '../src/util/row-parallel.js';
import { mulberry32 } from '../src/util/random.js';
import { DEFAULT_SPLIT, isHeldOut } from '../src/eval/index.js';
import type { KenetSynset } from '../src/lexicon/index.js';
import { openDb } from '../src/store/index.js';
import { QueryInputError } from '../src/errors.js';

// A small world: hot/warm drinks and cold/icy weather, seen only in context.
const sentences = [
  'sıcak çay içtik', 'ılık çay içtik', 'sıcak süt içtik', 'ılık süt içtik', 'sıcak kahve içtik', 'ılık kahve içtik',
  'soğuk hava esti', 'buzlu hava esti', 'soğuk rüzgar esti', 'buzlu rüzgar esti', 'soğuk kar yağdı', 'buzlu kar yağdı',
  'kitap okuduk', 'dergi okuduk', 'kitap aldık', 'dergi aldık', 'gazete okuduk', 'gazete aldık',
];
const docs = Array.from({ length: 20 }, () => sentences).flat().map((s) => ({ heads: [] as string[], tokens: tokenize(s) }));
const config = { dimensions: 16, buckets: 4096, seed: 3 };

const cosine = (v: Float32Array, i: number, j: number, d: number): number => {
  let s = 0;
  for (let k = 0; k < d; k++) s += v[i * d + k] * v[j * d + k];
  return s;
};

let dir: string | null = null;
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('builtin embedder training', () => {
  for (const method of ['svd', 'projection'] as const) {
    it(`${method}: deterministic, unit vectors, words sharing contexts closer than unrelated words`, async () => {
      const a = await trainBuiltin(docs, { config: { ...config, method } });
      const b = await trainBuiltin(docs, { config: { ...config, method } });
      expect(Array.from(a.model.vectors)).toEqual(Array.from(b.model.vectors));
      const enc = new BuiltinEncoder(a.model);
      const words = ['kitap', 'dergi', 'sıcak', 'ılık', 'soğuk'];
      const v = enc.encodeAll(words);
      for (let i = 0; i < words.length; i++) expect(cosine(v, i, i, 16)).toBeCloseTo(1, 5);
      expect(cosine(v, 0, 1, 16)).toBeGreaterThan(cosine(v, 0, 2, 16)); // kitap~dergi > kitap~sıcak
      expect(cosine(v, 2, 3, 16)).toBeGreaterThan(cosine(v, 2, 0, 16)); // sıcak~ılık > sıcak~kitap
    });
  }
});

describe('builtin encoder', () => {
  let model: BuiltinModel;
  it('gives every string a unit vector: unseen, inflected, multiword, symbols, other scripts, 10k characters', async () => {
    model = (await trainBuiltin(docs, { config })).model;
    const enc = new BuiltinEncoder(model);
    const terms = ['kitaplarımızdan', 'hiçgörülmemişkelime', 'sıcak çay', '!', 'Ελληνικά', '漢字', 'ş'.repeat(10_000)];
    const v = enc.encodeAll(terms);
    for (let i = 0; i < terms.length; i++) expect(cosine(v, i, i, 16)).toBeCloseTo(1, 5);
    // Normalised first: Turkish casing does not change the vector.
    const [upper, lower] = [enc.encodeAll(['SICAK ÇAY']), enc.encodeAll(['sıcak çay'])];
    expect(Array.from(upper)).toEqual(Array.from(lower));
    // An inflected form lands near its lemma (shared lemma and n-grams).
    const w = enc.encodeAll(['kitaplarımızdan', 'kitap', 'soğuk']);
    expect(cosine(w, 0, 1, 16)).toBeGreaterThan(cosine(w, 0, 2, 16));
  });

  it('worker threads give the same vectors as the in-process encoder; an empty term is an error', async () => {
    const embedder = createBuiltinEmbedder(model, { threads: 2, batchSize: 3 });
    try {
      const terms = ['sıcak', 'ılık süt', 'kitap', 'dergi', 'soğuk hava', '!', 'gazete'];
      expect(Array.from(await embedder.embed(terms))).toEqual(Array.from(new BuiltinEncoder(model).encodeAll(terms)));
      await expect(embedder.embed(['kitap', '  '])).rejects.toThrow('empty term at index 1');
      await expect(embedder.embed([''])).rejects.toThrow(QueryInputError);
    } finally {
      await embedder.close();
    }
  });

  it('is stored in and restored from the database it built', () => {
    dir = mkdtempSync(join(tmpdir(), 'synograph-embed-'));
    const db = openDb(join(dir, 'm.db'));
    saveBuiltinModel(db, model);
    const back = loadBuiltinModel(db);
    db.close();
    expect(back.vocab).toEqual(model.vocab);
    expect(back.config).toEqual(model.config);
    expect(Array.from(new BuiltinEncoder(back).encodeAll(['sıcak çay']))).toEqual(Array.from(new BuiltinEncoder(model).encodeAll(['sıcak çay'])));
  });
});

describe('training text in a held-out build', () => {
  it('drops every synset holding a held-out word (definition, examples, membership), keeps the rest', async () => {
    const words = Array.from({ length: 40 }, (_, i) => `sözcük${i}`);
    const train = words.filter((w) => !isHeldOut(w, DEFAULT_SPLIT));
    const held = words.filter((w) => isHeldOut(w, DEFAULT_SPLIT));
    const synset = (id: string, lits: string[], def: string): KenetSynset => ({ id, pos: 'n', literals: lits.map((l) => ({ norm: l, original: l, sense: 1 })), definition: def, examples: [`örnek ${def}`], relations: [] });
    const kenet = [synset('A', [train[0], train[1]], `tanım ${held[0]}`), synset('B', [train[2], held[1]], 'gizli tanım')];
    const holdout = await trainingDocuments({ mode: 'holdout', split: DEFAULT_SPLIT, kenet, editions: false, news: false });
    // A's definition mentions a held-out word as a token: running text, it stays. B is gone whole.
    expect(holdout.documents).toEqual([
      { heads: [train[0], train[1]], tokens: ['tanım', held[0]] },
      { heads: [], tokens: ['örnek', 'tanım', held[0]] },
    ]);
    expect(holdout.stats.excludedSynsets).toBe(1);
    const full = await trainingDocuments({ mode: 'full', split: DEFAULT_SPLIT, kenet, editions: false, news: false });
    expect(full.documents).toHaveLength(4);
  });
});

describe('n-gram vectors of unknown strings', () => {
  /**
   * Word vectors that share one direction, as SVD word vectors of real text do: strings known by
   * their n-grams alone then crowd together unless the common directions are taken out.
   */
  it('do not crowd together once the common directions are taken out', async () => {
    const { ngramVectors, DEFAULT_BUILTIN_CONFIG: defaults } = await import('../src/embed/builtin/train.js');
    const { mulberry32 } = await import('../src/util/random.js');
    const dims = 16;
    const rand = mulberry32(11);
    const letters = 'abcçdefgğhıijklmnoöprsştuüvyz';
    const word = (n: number) => Array.from({ length: n }, () => letters[Math.floor(rand() * letters.length)]).join('');
    const vocab = Array.from({ length: 400 }, () => word(7)).sort();
    const common = Float32Array.from({ length: dims }, () => rand() - 0.5);
    const vectors = new Float32Array(vocab.length * dims);
    for (let w = 0; w < vocab.length; w++) {
      let s = 0;
      for (let d = 0; d < dims; d++) s += (vectors[w * dims + d] = 2 * common[d] + (rand() - 0.5)) ** 2;
      for (let d = 0; d < dims; d++) vectors[w * dims + d] /= Math.sqrt(s);
    }
    const unknown = Array.from({ length: 40 }, () => `${word(9)} ${word(8)}`);
    const medianCosine = (directions: number): number => {
      const config = { ...defaults, dimensions: dims, buckets: 4096, ngramCommonDirections: directions };
      const ngrams = ngramVectors(vocab, vectors, new Float32Array(vocab.length).fill(1), config);
      // No word has a vector of its own here (`vectors` of zeros): every string lives on n-grams alone.
      const enc = new BuiltinEncoder({ config, vocab, vectors: new Float32Array(vocab.length * dims), ngrams, metric: null });
      const v = enc.encodeAll(unknown);
      const cos: number[] = [];
      for (let i = 0; i < unknown.length; i++) for (let j = i + 1; j < unknown.length; j++) cos.push(cosine(v, i, j, dims));
      return cos.sort((x, y) => x - y)[cos.length >> 1];
    };
    const before = medianCosine(0);
    const after = medianCosine(3);
    expect(before).toBeGreaterThan(0.7);
    expect(after).toBeLessThan(0.3);
  });
});

describe.skipIf(defaultCountEngine() !== 'native')('the compiled co-occurrence count', () => {
  it('gives the JS count bit for bit, window pairs and weighted gloss heads alike, and refuses ids outside the vocabulary', () => {
    // Zipf-like ids, so that pairs repeat (counts above 1) and neighbours are sometimes equal (skipped).
    const random = mulberry32(17);
    const size = 3000;
    const id = (): number => Math.floor(size * random() ** 3);
    const encoded = Array.from({ length: 4000 }, () => ({
      heads: Int32Array.from({ length: random() < 0.3 ? 1 + Math.floor(random() * 2) : 0 }, id),
      tokens: Int32Array.from({ length: Math.floor(random() * 12) }, id),
    }));
    const full = { ...DEFAULT_BUILTIN_CONFIG, window: 4, glossWeight: 3 };
    const js = countCooccurrences(encoded, size, full, 'js');
    const native = countCooccurrences(encoded, size, full, 'native');
    expect(native.size).toBe(size);
    expect(Buffer.from(native.offsets.buffer).equals(Buffer.from(js.offsets.buffer))).toBe(true);
    expect(Buffer.from(native.columns.buffer, 0, native.columns.byteLength).equals(Buffer.from(js.columns.buffer, 0, js.columns.byteLength))).toBe(true);
    expect(Buffer.from(native.values.buffer, 0, native.values.byteLength).equals(Buffer.from(js.values.buffer, 0, js.values.byteLength))).toBe(true);
    expect(Math.max(...js.values)).toBeGreaterThan(3);
    expect(js.columns.length).toBeGreaterThan(10_000);
    const bad = [{ heads: new Int32Array(0), tokens: Int32Array.of(1, size) }];
    expect(() => countCooccurrences(bad, size, full, 'native')).toThrow(/token id outside the vocabulary/);
  });
});

describe.skipIf(defaultKernelEngine() !== 'native')('the compiled SVD kernels', () => {
  it('give the JS word vectors bit for bit, on one thread and on two, and refuse rows outside their arrays', async () => {
    const random = mulberry32(23);
    const size = 1500;
    const id = (): number => Math.floor(size * random() ** 2);
    const encoded = Array.from({ length: 3000 }, () => ({ heads: new Int32Array(0), tokens: Int32Array.from({ length: 2 + Math.floor(random() * 10) }, id) }));
    const config = { ...DEFAULT_BUILTIN_CONFIG, dimensions: 24 };
    const m = countCooccurrences(encoded, size, config, 'js');
    toPpmi(m, config.alpha);
    const js = svdVectors(m, config, { threads: 1, engine: 'js' });
    for (const threads of [1, 2]) {
      const native = svdVectors(m, config, { threads, engine: 'native' });
      expect(Buffer.from(native.buffer, native.byteOffset, native.byteLength).equals(Buffer.from(js.buffer, js.byteOffset, js.byteLength))).toBe(true);
    }
    expect(new Set(js).size).toBeGreaterThan(size);
    const { nativeAddon } = await import('../src/util/native-addon.js');
    const addon = nativeAddon() as { spmmRows: (...args: unknown[]) => void; gramRows: (...args: unknown[]) => void; mulRows: (...args: unknown[]) => void };
    const x = new Float64Array(4 * 3);
    expect(() => addon.spmmRows(Uint32Array.of(0, 1), Int32Array.of(4), Float32Array.of(1), x, 3, new Float64Array(3), 0, 1)).toThrow(/a column outside x/);
    expect(() => addon.spmmRows(Uint32Array.of(0, 1), Int32Array.of(1), Float32Array.of(1), x, 3, new Float64Array(3), 0, 2)).toThrow(/rows out of range/);
    expect(() => addon.gramRows(x, 3, new Float64Array(8), 0, 4)).toThrow(/g smaller/);
    expect(() => addon.mulRows(x, 3, new Float64Array(9), 3, new Float64Array(9), 0, 4)).toThrow(/rows out of range/);
  });
});

describe.skipIf(defaultEncodeEngine() !== 'native')('the compiled encoder sums', () => {
  it('give encode()’s vectors bit for bit: known and unknown words, phrases with a vector of their own, strings of nothing known, a metric', async () => {
    const { model } = await trainBuiltin([...docs, { heads: ['sıcak çay'], tokens: tokenize('sıcak çay içtik') }], { config });
    const terms = ['kitap', 'sıcak çay', 'sıcak çay içtik', 'ılık süt', 'kitaplarımızdan', 'zxqwv', 'çok uzun bir yeni terim burada', '!', '%%', '日本語', 'dergi', 'soğuk  rüzgar'];
    for (const metric of [null, { dimensions: 16, transform: Float64Array.from({ length: 256 }, (_, k) => (k % 17 === 0 ? 1 : 0.01 * ((k * 7) % 5))) }]) {
      const m = { ...model, metric };
      const js = new BuiltinEncoder(m).encodeAll(terms, 'js');
      const native = new BuiltinEncoder(m).encodeAll(terms, 'native');
      expect(Buffer.from(native.buffer).equals(Buffer.from(js.buffer))).toBe(true);
      const one = new Float32Array(16);
      new BuiltinEncoder(m).encode('sıcak çay', one);
      expect(Array.from(native.subarray(16, 32))).toEqual(Array.from(one));
    }
    // 18 dimensions: the compiled sums' last two lanes of each row take the scalar tail.
    const { model: odd } = await trainBuiltin(docs, { config: { ...config, dimensions: 18 } });
    const oddNative = new BuiltinEncoder(odd).encodeAll(terms, 'native');
    expect(Buffer.from(oddNative.buffer).equals(Buffer.from(new BuiltinEncoder(odd).encodeAll(terms, 'js').buffer))).toBe(true);
    const { nativeAddon } = await import('../src/util/native-addon.js');
    const addon = nativeAddon() as { encodePlans: (...args: unknown[]) => void };
    const out = new Float32Array(16);
    const run = (plan: number[]): void => addon.encodePlans(model.vectors, model.ngrams, 16, Int32Array.from(plan), Float64Array.of(1), 1, out, new Uint8Array(1));
    expect(() => run([-1, 1, -1, 1, model.ngrams.length / 16])).toThrow(/bucket outside/);
    expect(() => run([model.vectors.length / 16, 1, -1, 0])).toThrow(/own row/);
    expect(() => run([-1, 2, -1, 0])).toThrow(/ends early/);
  });
});
