import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTransformersEmbedder, inspectModelFolder, MAX_CHARS_PER_TOKEN, modelText } from '../src/embed/transformers.js';
import type { Embedder } from '../src/embed/types.js';
import { workerFile } from '../src/util/workers.js';
import { maxAbsDiff, modelError, offline } from './model-helpers.js';
import { QueryInputError } from '../src/errors.js';

const FIXTURE = resolve('test/fixtures/tiny-bert');
const HIDDEN = (JSON.parse(readFileSync(join(FIXTURE, 'config.json'), 'utf8')) as { hidden_size: number }).hidden_size;

function row(vectors: Float32Array, i: number, dims: number): Float32Array {
  return vectors.subarray(i * dims, (i + 1) * dims);
}

function norm(v: Float32Array): number {
  let s = 0;
  for (const x of v) s += x * x;
  return Math.sqrt(s);
}

describe('transformers embedder (tiny BERT fixture)', () => {
  let embedder: Embedder;
  let tmp: string;

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'synograph-embed-'));
    embedder = await createTransformersEmbedder({ modelDir: FIXTURE, threads: 2, batchSize: 3 });
  });

  afterAll(async () => {
    await embedder?.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('reports its info and validates the folder without loading it', () => {
    expect(embedder.info).toEqual({ backend: 'transformers', model: FIXTURE, dimensions: HIDDEN });
    expect(inspectModelFolder(FIXTURE)).toEqual({ dir: FIXTURE, quantized: false, hiddenSize: HIDDEN, maxTokens: 128 });
  });

  it('returns n × hidden rows of unit length, deterministic, distinct per term', async () => {
    const terms = ['ev', 'kitaplar', 'güzel', 'ev', 'sıcak', 'araba'];
    const v = await embedder.embed(terms);
    expect(v).toBeInstanceOf(Float32Array);
    expect(v.length).toBe(terms.length * HIDDEN);
    for (let i = 0; i < terms.length; i++) expect(Math.abs(norm(row(v, i, HIDDEN)) - 1)).toBeLessThan(1e-5);
    // Same input, same vector: within a call and across calls.
    expect(maxAbsDiff(row(v, 0, HIDDEN), row(v, 3, HIDDEN))).toBeLessThan(1e-6);
    expect(Array.from(await embedder.embed(terms))).toEqual(Array.from(v));
    // Different terms, different vectors.
    for (let i = 0; i < terms.length; i++) {
      for (let j = i + 1; j < terms.length; j++) {
        if (terms[i] !== terms[j]) expect(maxAbsDiff(row(v, i, HIDDEN), row(v, j, HIDDEN))).toBeGreaterThan(1e-3);
      }
    }
    expect((await embedder.embed([])).length).toBe(0);
  });

  it('applies the Turkish normaliser before tokenising', async () => {
    const v = await embedder.embed(['İSTANBUL', 'istanbul', '  İstanbul ', 'ISPARTA', 'ısparta', 'isparta']);
    expect(Array.from(row(v, 0, HIDDEN))).toEqual(Array.from(row(v, 1, HIDDEN)));
    expect(Array.from(row(v, 2, HIDDEN))).toEqual(Array.from(row(v, 1, HIDDEN)));
    // `I` is dotless `ı` in Turkish, not `i`.
    expect(maxAbsDiff(row(v, 3, HIDDEN), row(v, 4, HIDDEN))).toBeLessThan(1e-6);
    expect(maxAbsDiff(row(v, 3, HIDDEN), row(v, 5, HIDDEN))).toBeGreaterThan(1e-3);
  });

  it('gives the same vectors in batches (several in flight) as one by one', async () => {
    const terms = ['ev', 'evler', 'kitap', 'kitaplık', 'çiçekçi', 'öğretmenler', 'dağ', 'ağaçlar', 'rüzgâr', 'kâr', 'kar', 'bilgisayar mühendisi', 'yol'];
    const batched = await embedder.embed(terms);
    for (let i = 0; i < terms.length; i++) {
      const single = await embedder.embed([terms[i]]);
      expect(maxAbsDiff(row(batched, i, HIDDEN), single)).toBeLessThan(1e-5);
    }
  });

  it('changes the vector with a prefix (e5 `query: `)', async () => {
    const prefixed = await createTransformersEmbedder({ modelDir: FIXTURE, prefix: 'query: ', threads: 1 });
    try {
      const [a, b] = [await embedder.embed(['istanbul']), await prefixed.embed(['İSTANBUL'])];
      expect(Math.abs(norm(b) - 1)).toBeLessThan(1e-5);
      expect(maxAbsDiff(a, b)).toBeGreaterThan(1e-3);
    } finally {
      await prefixed.close();
    }
    await expect(prefixed.embed(['ev'])).rejects.toThrow(/closed/);
  });

  it('embeds a 10k-character term (truncated, documented) and non-Turkish scripts', async () => {
    const long = 'istanbul '.repeat(1200).slice(0, 10_000);
    const huge = 'a'.repeat(10_000);
    const terms = [long, huge, 'αβγ δέλτα', 'مرحبا بالعالم', '漢字テスト', '한국어'];
    const v = await embedder.embed(terms);
    expect(v.length).toBe(terms.length * HIDDEN);
    for (let i = 0; i < terms.length; i++) {
      const r = row(v, i, HIDDEN);
      expect(r.every(Number.isFinite)).toBe(true);
      expect(Math.abs(norm(r) - 1)).toBeLessThan(1e-5);
    }
    // Only the first 128 tokens count: a longer tail does not change the vector.
    const longer = await embedder.embed([long + ' kitap'.repeat(500)]);
    expect(maxAbsDiff(longer, row(v, 0, HIDDEN))).toBeLessThan(1e-6);
    expect(128 * MAX_CHARS_PER_TOKEN).toBeLessThan(10_000);
  });

  it('prepares model text: normalised, capped without splitting a surrogate pair, prefixed', () => {
    expect(modelText('  İSTANBUL  Boğazı ', 0, 'query: ', 100)).toBe('query: istanbul boğazı');
    expect(modelText('abcdef', 0, 'query: ', 4)).toBe('query: abcd');
    expect(modelText('abc😀d', 0, '', 4)).toBe('abc');
    expect(() => modelText(' \t ', 7, '', 100)).toThrow('empty term at index 7');
    expect(() => modelText('', 0, '', 100)).toThrow(QueryInputError);
  });

  it('sizes the token cap from tokenizer_config and the position table (e5 / XLM-R layout)', () => {
    const e5 = join(tmp, 'multilingual-e5-small');
    mkdirSync(join(e5, 'onnx'), { recursive: true });
    writeFileSync(join(e5, 'config.json'), JSON.stringify({ model_type: 'xlm-roberta', hidden_size: 384, max_position_embeddings: 514 }));
    writeFileSync(join(e5, 'tokenizer_config.json'), '{"model_max_length": 1000000000000000019884624838656}');
    writeFileSync(join(e5, 'tokenizer.json'), '{}');
    writeFileSync(join(e5, 'onnx', 'model_quantized.onnx'), '');
    expect(inspectModelFolder(e5)).toEqual({ dir: e5, quantized: true, hiddenSize: 384, maxTokens: 512 });
  });

  it('keeps a model loaded while another embedder still uses it', async () => {
    const a = await createTransformersEmbedder({ modelDir: FIXTURE, threads: 1 });
    const b = await createTransformersEmbedder({ modelDir: FIXTURE, threads: 1 });
    const before = await b.embed(['kitap']);
    await a.close();
    await a.close();
    expect(Array.from(await b.embed(['kitap']))).toEqual(Array.from(before));
    await b.close();
    await expect(b.embed(['kitap'])).rejects.toThrow(/closed/);
  });

  it('rejects an empty term with its index, before any work', async () => {
    await expect(embedder.embed(['ev', '   '])).rejects.toThrow(/^empty term at index 1\b/);
    await expect(embedder.embed([''])).rejects.toThrow(/empty term at index 0/);
  });

  it('throws ModelError naming the folder for a missing folder or files', async () => {
    const missing = join(tmp, 'no-such-model');
    const e1 = await modelError(createTransformersEmbedder({ modelDir: missing }));
    expect(e1.message).toContain(missing);
    expect(e1.model).toBe(missing);

    const noOnnx = join(tmp, 'no-onnx');
    mkdirSync(noOnnx);
    for (const f of ['config.json', 'tokenizer.json', 'tokenizer_config.json']) cpSync(join(FIXTURE, f), join(noOnnx, f));
    const e2 = await modelError(createTransformersEmbedder({ modelDir: noOnnx }));
    expect(e2.message).toContain(noOnnx);
    expect(e2.message).toContain('onnx/model.onnx');

    const noTokenizer = join(tmp, 'no-tokenizer');
    cpSync(FIXTURE, noTokenizer, { recursive: true });
    rmSync(join(noTokenizer, 'tokenizer.json'));
    const e3 = await modelError(createTransformersEmbedder({ modelDir: noTokenizer }));
    expect(e3.message).toContain(noTokenizer);
    expect(e3.message).toContain('tokenizer.json');

    const noConfig = join(tmp, 'no-config');
    cpSync(FIXTURE, noConfig, { recursive: true });
    rmSync(join(noConfig, 'config.json'));
    expect(() => inspectModelFolder(noConfig)).toThrow(/no-config: missing config\.json/);
  });

  it('throws ModelError when config hidden_size disagrees with the ONNX output', async () => {
    const wrong = join(tmp, 'wrong-hidden');
    cpSync(FIXTURE, wrong, { recursive: true });
    const config = JSON.parse(readFileSync(join(wrong, 'config.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(wrong, 'config.json'), JSON.stringify({ ...config, hidden_size: HIDDEN * 2 }));
    const err = await modelError(createTransformersEmbedder({ modelDir: wrong, threads: 1 }));
    expect(err.message).toContain(wrong);
    expect(err.message).toMatch(/hidden size mismatch.*64.*32/);
  });

  it('throws ModelError for a corrupt ONNX file', async () => {
    const corrupt = join(tmp, 'corrupt');
    cpSync(FIXTURE, corrupt, { recursive: true });
    writeFileSync(join(corrupt, 'onnx', 'model.onnx'), 'not a model');
    const err = await modelError(createTransformersEmbedder({ modelDir: corrupt, threads: 1 }));
    expect(err.message).toContain(corrupt);
    expect(err.message).toContain('cannot load the model');
  });

  it('never downloads: remote models are off and a model not on disk fails without a fetch', async () => {
    const result = await offline<{ error: string | null }>(
      workerFile('embed-transformers'),
      `try {
        await worker.embedBatch({ modelDir: ${JSON.stringify(join(tmp, 'Xenova', 'multilingual-e5-small'))}, quantized: true, texts: ['ev'] });
      } catch (err) {
        result.error = String(err && err.message);
      }`,
    );
    expect(result.allowRemoteModels).toBe(false);
    expect(result.error).toMatch(/allowRemoteModels=false|local_files_only/);
    expect(result.fetched).toBe(0);
  });
});
