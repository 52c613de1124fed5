import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTransformersEmbedder } from '../src/embed/transformers.js';
import { mapLabels, relationProbabilities } from '../src/relations/cross-encoder-labels.js';
import { createCrossEncoder, pairTexts, type CrossEncoder } from '../src/relations/cross-encoder.js';
import type { RelationLabel } from '../src/types.js';
import { workerFile } from '../src/util/workers.js';
import { maxAbsDiff, modelError, offline } from './model-helpers.js';
import { QueryInputError } from '../src/errors.js';

const FIXTURE = resolve('test/fixtures/tiny-cross-encoder');
const EMBEDDER_FIXTURE = resolve('test/fixtures/tiny-bert');
/** The fixture's labels (config.json id2label), in output order, and what they mean. */
const MAPPING: Record<string, RelationLabel> = { 'eş anlamlı': 'synonym', 'zıt anlamlı': 'antonym', 'eş düzey': 'co-hyponym' };

type Pair = readonly [string, string];
const PAIRS: Pair[] = [
  ['iyi', 'kötü'],
  ['sıcak', 'soğuk'],
  ['ev', 'kitaplar'],
  ['hızlı', 'yavaş'],
  ['anne', 'baba'],
  ['doğru', 'yanlış'],
  ['öğretmen', 'öğrenci'],
];

function row(m: Float32Array, i: number): number[] {
  return Array.from(m.subarray(i * 3, (i + 1) * 3));
}

/** A copy of the fixture in `tmp` with config.json changed by `edit`. */
function fixtureCopy(tmp: string, name: string, edit: (config: Record<string, unknown>) => void): string {
  const dir = join(tmp, name);
  cpSync(FIXTURE, dir, { recursive: true });
  const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
  edit(config);
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  return dir;
}

describe('cross-encoder relation backend (tiny cross-encoder fixture)', () => {
  let encoder: CrossEncoder;
  let asymmetric: CrossEncoder;
  let tmp: string;

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'synograph-xenc-'));
    encoder = await createCrossEncoder({ modelDir: FIXTURE, labels: MAPPING, threads: 1, batchSize: 3 });
    asymmetric = await createCrossEncoder({ modelDir: FIXTURE, labels: MAPPING, threads: 1, symmetric: false });
  });

  afterAll(async () => {
    await encoder?.close();
    await asymmetric?.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('reports its info', () => {
    expect(encoder.info).toEqual({ modelDir: FIXTURE, labels: MAPPING, quantized: false });
  });

  it('returns finite probabilities, 3 per pair, rows summing to 1, differing per pair, deterministic', async () => {
    const p = await encoder.score(PAIRS);
    expect(p).toBeInstanceOf(Float32Array);
    expect(p.length).toBe(PAIRS.length * 3);
    for (const x of p) {
      expect(Number.isFinite(x)).toBe(true);
      expect(x).toBeGreaterThan(0);
      expect(x).toBeLessThan(1);
    }
    for (let i = 0; i < PAIRS.length; i++) expect(Math.abs(row(p, i).reduce((s, x) => s + x, 0) - 1)).toBeLessThan(1e-5);
    for (let i = 1; i < PAIRS.length; i++) expect(maxAbsDiff(row(p, 0), row(p, i))).toBeGreaterThan(1e-3);
    expect(Array.from(await encoder.score(PAIRS))).toEqual(Array.from(p));
    expect((await encoder.score([])).length).toBe(0);
  });

  it('puts the columns in our label order through the mapping: a permuted map permutes them', async () => {
    const base = await asymmetric.score(PAIRS);
    // Model label 2 is now synonym, 0 antonym, 1 co-hyponym.
    const permuted = await createCrossEncoder({
      modelDir: FIXTURE,
      labels: { 'eş düzey': 'synonym', 'eş anlamlı': 'antonym', 'zıt anlamlı': 'co-hyponym' },
      threads: 1,
      symmetric: false,
    });
    try {
      const p = await permuted.score(PAIRS);
      for (let i = 0; i < PAIRS.length; i++) {
        const [syn, ant, co] = row(base, i);
        // The columns differ, so a mapping ignored or applied the wrong way would fail here.
        expect(Math.min(Math.abs(syn - ant), Math.abs(ant - co), Math.abs(syn - co))).toBeGreaterThan(1e-4);
        expect(maxAbsDiff(row(p, i), [co, syn, ant])).toBeLessThan(1e-6);
      }
    } finally {
      await permuted.close();
    }
  });

  it('maps config.json labels that already are relation names (any case, _ or -)', async () => {
    const named = fixtureCopy(tmp, 'named-labels', (c) => {
      c.id2label = { 0: 'Synonym', 1: 'ANTONYM', 2: 'co_hyponym' };
    });
    const auto = await createCrossEncoder({ modelDir: named, threads: 1, symmetric: false });
    try {
      expect(auto.info.labels).toEqual({ Synonym: 'synonym', ANTONYM: 'antonym', co_hyponym: 'co-hyponym' });
      expect(maxAbsDiff(await auto.score(PAIRS), await asymmetric.score(PAIRS))).toBeLessThan(1e-6);
    } finally {
      await auto.close();
    }
  });

  it('is symmetric by default: (a, b) and (b, a) get the same row, the mean of both orders', async () => {
    const reversed = PAIRS.map(([a, b]): Pair => [b, a]);
    const [p, q] = [await encoder.score(PAIRS), await encoder.score(reversed)];
    const [forward, backward] = [await asymmetric.score(PAIRS), await asymmetric.score(reversed)];
    for (let i = 0; i < PAIRS.length; i++) {
      expect(maxAbsDiff(row(p, i), row(q, i))).toBeLessThan(1e-6);
      // The fixture is order-sensitive (token types), so averaging does change something.
      expect(maxAbsDiff(row(forward, i), row(backward, i))).toBeGreaterThan(1e-3);
      expect(maxAbsDiff(row(p, i), row(forward, i).map((x, k) => (x + row(backward, i)[k]) / 2))).toBeLessThan(1e-6);
    }
  });

  it('gives the same numbers in batches (several in flight) as one pair at a time', async () => {
    for (const enc of [encoder, asymmetric]) {
      const batched = await enc.score(PAIRS);
      for (let i = 0; i < PAIRS.length; i++) expect(maxAbsDiff(row(batched, i), await enc.score([PAIRS[i]]))).toBeLessThan(1e-5);
    }
  });

  it('applies the Turkish normaliser before tokenising', async () => {
    const p = await asymmetric.score([
      ['İSTANBUL', ' Ankara  '],
      ['istanbul', 'ankara'],
      ['IŞIK', 'ev'],
      ['ışık', 'ev'],
      ['işik', 'ev'],
    ]);
    expect(row(p, 0)).toEqual(row(p, 1));
    // `I` is dotless `ı` in Turkish, not `i`.
    expect(maxAbsDiff(row(p, 2), row(p, 3))).toBeLessThan(1e-6);
    expect(maxAbsDiff(row(p, 2), row(p, 4))).toBeGreaterThan(1e-4);
    expect(pairTexts(['  İSTANBUL  Boğazı ', 'abc😀d'], 0, 4)).toEqual(['ista', 'abc']);
  });

  it('rejects an empty term with its pair index, before any work', async () => {
    await expect(encoder.score([['ev', 'yol'], ['ev', '  ']])).rejects.toThrow(/^empty term in pair 1\b/);
    await expect(encoder.score([['  ', 'yol']])).rejects.toThrow(QueryInputError);
  });

  it('runs next to the transformers embedder in the one inference thread', async () => {
    const embedder = await createTransformersEmbedder({ modelDir: EMBEDDER_FIXTURE, threads: 1 });
    try {
      const [v, p] = await Promise.all([embedder.embed(['ev', 'yol']), asymmetric.score(PAIRS)]);
      expect(v.length).toBe(2 * embedder.info.dimensions);
      expect(Array.from(p)).toEqual(Array.from(await asymmetric.score(PAIRS)));
    } finally {
      await embedder.close();
    }
  });

  it('keeps a model loaded while another cross-encoder still uses it', async () => {
    const a = await createCrossEncoder({ modelDir: FIXTURE, labels: MAPPING, threads: 1 });
    const b = await createCrossEncoder({ modelDir: FIXTURE, labels: MAPPING, threads: 1 });
    const before = await b.score(PAIRS);
    await a.close();
    await a.close();
    expect(Array.from(await b.score(PAIRS))).toEqual(Array.from(before));
    await b.close();
    await expect(b.score(PAIRS)).rejects.toThrow(/closed/);
  });

  it('throws ModelError naming the folder for a missing folder or config.json', async () => {
    const missing = join(tmp, 'no-such-model');
    const e1 = await modelError(createCrossEncoder({ modelDir: missing, labels: MAPPING }));
    expect(e1.model).toBe(missing);
    expect(e1.message).toContain(missing);

    const noConfig = join(tmp, 'no-config');
    cpSync(FIXTURE, noConfig, { recursive: true });
    rmSync(join(noConfig, 'config.json'));
    const e2 = await modelError(createCrossEncoder({ modelDir: noConfig, labels: MAPPING }));
    expect(e2.message).toContain(noConfig);
    expect(e2.message).toContain('config.json');
  });

  it('throws ModelError naming the folder and listing the labels when they cannot be mapped', async () => {
    const err = await modelError(createCrossEncoder({ modelDir: FIXTURE }));
    expect(err.model).toBe(FIXTURE);
    expect(err.message).toContain(FIXTURE);
    for (const name of Object.keys(MAPPING)) expect(err.message).toContain(`"${name}"`);
    expect(err.message).toContain('--relations-labels');

    const unknown = await modelError(createCrossEncoder({ modelDir: FIXTURE, labels: { ...MAPPING, LABEL_0: 'synonym' } }));
    expect(unknown.message).toMatch(/"LABEL_0", which is not a label of the model/);
    const twice = await modelError(createCrossEncoder({ modelDir: FIXTURE, labels: { 'eş anlamlı': 'synonym', 'zıt anlamlı': 'synonym', 'eş düzey': 'co-hyponym' } }));
    expect(twice.message).toMatch(/two model labels map to synonym/);
    const missing = await modelError(createCrossEncoder({ modelDir: FIXTURE, labels: { 'eş anlamlı': 'synonym', 'eş düzey': 'co-hyponym' } }));
    expect(missing.message).toMatch(/no model label maps to antonym/);
    const notRelation = await modelError(createCrossEncoder({ modelDir: FIXTURE, labels: { ...MAPPING, 'eş düzey': 'hypernym' as RelationLabel } }));
    expect(notRelation.message).toMatch(/"hypernym", which is not a relation/);

    const noLabels = fixtureCopy(tmp, 'no-id2label', (c) => {
      delete c.id2label;
    });
    expect((await modelError(createCrossEncoder({ modelDir: noLabels }))).message).toMatch(/no-id2label: config\.json has no id2label/);
  });

  it('throws ModelError when config.json and the model disagree, or the model is no classifier', async () => {
    const four = fixtureCopy(tmp, 'four-labels', (c) => {
      c.id2label = { 0: 'synonym', 1: 'antonym', 2: 'co-hyponym', 3: 'unrelated' };
    });
    const e1 = await modelError(createCrossEncoder({ modelDir: four, threads: 1 }));
    expect(e1.message).toContain(four);
    expect(e1.message).toMatch(/id2label has 4 labels, but the model's logits have shape \[1, 3\]/);

    // A feature-extraction model with relation labels added: loads, but has no logits.
    const embedding = join(tmp, 'embedding-model');
    cpSync(EMBEDDER_FIXTURE, embedding, { recursive: true });
    const config = JSON.parse(readFileSync(join(embedding, 'config.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(embedding, 'config.json'), JSON.stringify({ ...config, id2label: { 0: 'synonym', 1: 'antonym', 2: 'co-hyponym' } }));
    const e2 = await modelError(createCrossEncoder({ modelDir: embedding, threads: 1 }));
    expect(e2.message).toContain(embedding);
    expect(e2.message).toMatch(/logits/);
  });

  it('drops extra classes: the softmax runs over all logits, so the three relations sum to less than 1', () => {
    const names = ['synonym', 'unrelated', 'antonym', 'cohyponym'];
    const auto = mapLabels('m', names);
    expect(Array.from(auto.columns)).toEqual([0, -1, 1, 2]);
    expect(auto.labels).toEqual({ synonym: 'synonym', antonym: 'antonym', cohyponym: 'co-hyponym' });
    // Unmentioned labels of an explicit map are dropped too.
    const explicit = mapLabels('m', ['LABEL_0', 'LABEL_1', 'LABEL_2', 'LABEL_3'], { LABEL_3: 'synonym', LABEL_0: 'antonym', LABEL_2: 'co-hyponym' });
    expect(Array.from(explicit.columns)).toEqual([1, -1, 2, 0]);

    const logits = Float32Array.from([1, 2, 0.5, -1, 0, 0, 0, 0]);
    const p = relationProbabilities(logits, auto.columns);
    const e = [Math.exp(1), Math.exp(2), Math.exp(0.5), Math.exp(-1)];
    const z = e.reduce((s, x) => s + x, 0);
    expect(maxAbsDiff(p.subarray(0, 3), [e[0] / z, e[2] / z, e[3] / z])).toBeLessThan(1e-12);
    expect(p[0] + p[1] + p[2]).toBeCloseTo(1 - e[1] / z, 12);
    expect(Array.from(p.subarray(3))).toEqual([0.25, 0.25, 0.25]);
    // Huge logits do not overflow.
    expect(Array.from(relationProbabilities(Float32Array.from([1000, 1000, 1000]), Int8Array.from([0, 1, 2]))).every(Number.isFinite)).toBe(true);
  });

  it('never downloads: remote models are off, the fixture scores and a missing model fails without a fetch', async () => {
    const result = await offline<{ logits: number; error: string | null }>(
      workerFile('cross-encoder'),
      `result.logits = (await worker.scorePairs({ modelDir: ${JSON.stringify(FIXTURE)}, quantized: false, a: ['iyi'], b: ['kötü'] })).length;
      try {
        await worker.scorePairs({ modelDir: ${JSON.stringify(join(tmp, 'Xenova', 'turkish-e5-large-relations'))}, quantized: true, a: ['ev'], b: ['yol'] });
      } catch (err) {
        result.error = String(err && err.message);
      }`,
    );
    expect(result.allowRemoteModels).toBe(false);
    expect(result.logits).toBe(3);
    expect(result.error).toMatch(/allowRemoteModels=false|local_files_only/);
    expect(result.fetched).toBe(0);
  });
});
