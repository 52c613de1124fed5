import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb, ingestTerms, writeCandidates, writeEmbeddings, storeGoldRelations, readRelation, writeEvidence, type Db } from '../src/store/index.js';
import { candidateRows } from './candidate-helpers.js';
import { InputError } from '../src/lexicon/index.js';
import { privative, verbPolarity, negPrefixStem, isReduplicated } from '../src/relations/morphology.js';
import { readLabelledPairs, featureLayout, PairScorer, gatedLabel, trainRelationModel, rowOfTerm, modelVerdicts, verdictFloor, STORE_EVERY_VERDICT_UP_TO, VERDICT_FLOOR } from '../src/relations/index.js';
import { loadTermTable, runRelationsStage } from '../src/pipeline/index.js';
import { loadTermTableInWorker } from '../src/pipeline/term-table.js';
import { prepareRelations } from '../src/pipeline/stages/relations-run.js';
import { Lemmatizer } from '../src/lexicon/lemmatize.js';
import { readVectorsBeside } from '../src/pipeline/vector-reader.js';
import { extractFeatures } from '../src/relations/features.js';
import { CLASS_COUNT, modelFromArtifact, RELATION_MODEL_VERSION, scoreRow } from '../src/relations/model.js';
import { mulberry32 } from '../src/util/random.js';
import { SynographError } from '../src/errors.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'synograph-relations-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('Turkish morphology cues', () => {
  it('finds privative pairs, negative infinitives, negating prefixes and reduplication', () => {
    expect(privative('tapusuz')).toEqual({ stem: 'tapu', polarity: -1 });
    expect(privative('tapulu')).toEqual({ stem: 'tapu', polarity: 1 });
    expect(privative('ümitsizlik')).toEqual({ stem: 'ümit', polarity: -1 });
    expect(privative('ev')).toBeNull();
    expect(verbPolarity('gelmemek')).toEqual({ stem: 'gel', polarity: -1 });
    expect(verbPolarity('gelmek')).toEqual({ stem: 'gel', polarity: 1 });
    expect(negPrefixStem('gayrimeşru')).toBe('meşru');
    expect(negPrefixStem('namevcut')).toBe('mevcut');
    expect(negPrefixStem('nal')).toBeNull();
    expect(isReduplicated(['sıcak', 'sıcak'])).toBe(true);
    expect(isReduplicated(['kitap', 'mitap'])).toBe(true);
    expect(isReduplicated(['kitap', 'rafı'])).toBe(false);
  });
});

describe('labelled pair files', () => {
  it('reads term, related, label with an optional header, normalising terms and label spellings', async () => {
    const file = join(dir, 'pairs.tsv');
    writeFileSync(file, 'term\trelated\tlabel\nIşık\tAydınlık\tsynonym\n# a comment\n\nsıcak\tsoğuk\tantonym\nelma\tarmut\tCohyponym\n');
    expect(await readLabelledPairs(file)).toEqual([
      { a: 'ışık', b: 'aydınlık', label: 'synonym', line: 2 },
      { a: 'sıcak', b: 'soğuk', label: 'antonym', line: 5 },
      { a: 'elma', b: 'armut', label: 'co-hyponym', line: 6 },
    ]);
  });

  it('names the file and line of an unknown label or a malformed line', async () => {
    const bad = join(dir, 'bad.tsv');
    writeFileSync(bad, 'ak\tbeyaz\tsynonym\nak\tkara\topposite\n');
    await expect(readLabelledPairs(bad)).rejects.toThrow(InputError);
    await expect(readLabelledPairs(bad)).rejects.toThrow(`${bad}:2: unknown label "opposite"`);
    writeFileSync(bad, 'ak\tbeyaz\n');
    await expect(readLabelledPairs(bad)).rejects.toThrow(`${bad}:1: expected 3 tab-separated fields`);
    await expect(readLabelledPairs(join(dir, 'missing.tsv'))).rejects.toThrow(/missing\.tsv/);
  });
});

describe('gate', () => {
  it('keeps a synonym only at P >= gate; an unconfident synonym or antonym becomes co-hyponym', () => {
    expect(gatedLabel([0.7, 0.1, 0.1], 0)).toBe(0);
    expect(gatedLabel([0.69, 0.1, 0.2], 0)).toBe(2);
    expect(gatedLabel([0.1, 0.8, 0.1], 0)).toBe(1);
    expect(gatedLabel([0.2, 0.5, 0.3], 0)).toBe(2);
    expect(gatedLabel([0.2, 0.2, 0.6], 0)).toBe(2);
    expect(gatedLabel([0.5, 0.1, 0.1], 0, 0.4)).toBe(0);
  });
});

/**
 * A small world with learnable relations: privative antonyms (X-li / X-siz), synonyms whose
 * vectors nearly coincide, co-hyponyms sharing a head word ("X balığı"), and random candidates.
 */
const DIMS = 16;
const STEMS = ['tapu', 'gelir', 'ümit', 'alerji', 'ahlak', 'akıl', 'renk', 'tuz', 'şeker', 'yağ', 'huzur', 'sabır', 'saygı', 'kusur', 'bilgi', 'görgü', 'sevgi', 'umut', 'hüner', 'değer', 'onur', 'kader', 'ceza', 'para', 'iş', 'kafa', 'güç', 'dert', 'şans', 'hata'];
const FISH = ['kırmızı', 'japon', 'kedi', 'kılıç', 'ay', 'sarı', 'kaya', 'çizgili', 'benekli', 'dev', 'pul', 'gece'];

async function world(file: string): Promise<{ db: Db; held: [string, string][] }> {
  const db = openDb(file);
  const random = mulberry32(7);
  const words = new Set<string>();
  const antonyms: [string, string][] = STEMS.map((s) => [`${s}li`, `${s}siz`]);
  const synonyms: [string, string][] = [];
  for (let i = 0; i < 30; i++) synonyms.push([`kelime${i}a`, `sözcük${i}b`]);
  const cohyponyms: [string, string][] = [];
  for (let i = 0; i + 1 < FISH.length; i++) cohyponyms.push([`${FISH[i]} balığı`, `${FISH[i + 1]} balığı`]);
  for (const [a, b] of [...antonyms, ...synonyms, ...cohyponyms]) words.add(a).add(b);
  for (let i = 0; i < 40; i++) words.add(`başka${i}`);
  const list = [...words].sort();
  await ingestTerms(
    db,
    (async function* () {
      yield list.map((term, i) => ({ term, line: i + 1 }));
    })(),
    { name: 'world', path: null },
  );
  const idOf = new Map((db.prepare('SELECT norm, id FROM terms').raw().all() as [string, number][]).map(([n, id]) => [n, id]));
  const vec = new Map<string, Float32Array>();
  const unit = (v: Float32Array): Float32Array => {
    const n = Math.hypot(...v);
    return v.map((x) => x / n);
  };
  const randomVector = (): Float32Array => unit(Float32Array.from({ length: DIMS }, () => random() * 2 - 1));
  for (const w of list) vec.set(w, randomVector());
  for (const [a, b] of synonyms) vec.set(b, unit(vec.get(a)!.map((x) => x + (random() - 0.5) * 0.1)));
  const ids = list.map((w) => idOf.get(w)!);
  const flat = new Float32Array(list.length * DIMS);
  list.forEach((w, i) => flat.set(vec.get(w)!, i * DIMS));
  writeEmbeddings(db, ids, flat, DIMS);

  // The last five antonym stems and five synonym pairs are held back: candidates only, never labelled.
  const held = [...antonyms.slice(-5), ...synonyms.slice(-5)];
  const labelled = [
    ...antonyms.slice(0, -5).map(([a, b]) => ({ a, b, label: 'antonym' as const, split: 'train' as const })),
    ...synonyms.slice(0, -5).map(([a, b]) => ({ a, b, label: 'synonym' as const, split: 'train' as const })),
    ...cohyponyms.map(([a, b]) => ({ a, b, label: 'co-hyponym' as const, split: 'train' as const })),
  ];
  storeGoldRelations(db, 1, labelled);
  const candidates = new Set<string>();
  const addCandidate = (x: string, y: string): void => {
    const [a, b] = [idOf.get(x)!, idOf.get(y)!].sort((p, q) => p - q);
    if (a !== b) candidates.add(`${a},${b}`);
  };
  for (const [a, b] of [...antonyms, ...synonyms, ...cohyponyms]) addCandidate(a, b);
  for (let i = 0; i < 400; i++) addCandidate(list[Math.floor(random() * list.length)], list[Math.floor(random() * list.length)]);
  await writeCandidates(db, candidateRows(candidates, 0.8));
  return { db, held };
}

describe('what a large build stores of the model verdicts', () => {
  it('keeps every verdict up to the size limit; beyond it, kept edges, antonyms and verdicts over the floor only, every label counted', () => {
    expect(verdictFloor(STORE_EVERY_VERDICT_UP_TO)).toBe(0);
    const floor = verdictFloor(STORE_EVERY_VERDICT_UP_TO + 1);
    expect(floor).toBe(VERDICT_FLOOR);
    // Class probabilities (synonym, antonym, co-hyponym, unrelated, derived) of five pairs of term ids:
    // 1-2 a kept edge; 1-3 an antonym; 2-3 P(synonym) at the floor; 3-4 and 2-4 under it.
    const page = { a: Int32Array.of(0, 0, 1, 2, 1), b: Int32Array.of(1, 2, 2, 3, 3), termA: Int32Array.of(1, 1, 2, 3, 2), termB: Int32Array.of(2, 3, 3, 4, 4), n: 5 };
    const pc = Float32Array.of(0.9, 0, 0.05, 0.05, 0, 0.01, 0.8, 0.05, 0.14, 0, floor, 0.01, 0.5, 0.49 - floor, 0, 0.01, 0.01, 0.6, 0.38, 0, floor / 2, floor / 2, 0.5, 0.5 - floor, 0);
    expect(pc.length).toBe(page.n * CLASS_COUNT);
    const kept = modelVerdicts(page, pc, 0.7, floor);
    expect(kept.counts).toEqual({ synonym: 1, antonym: 1, cohyponym: 3 });
    expect([...kept.batch.a].map((x, i) => `${x}-${kept.batch.b[i]}`)).toEqual(['1-2', '1-3', '2-3']);
    expect([...kept.batch.label]).toEqual([0, 1, 2]);
    expect([...kept.batch.gated]).toEqual([1, 0, 0]);
    expect([...kept.batch.probs.subarray(6, 9)]).toEqual([...pc.subarray(10, 13)]);
    expect(kept.cannotLinks).toEqual({ a: Int32Array.of(1), b: Int32Array.of(3) });
    // Without a floor (every build up to the limit) all five are kept, with the same counts.
    const all = modelVerdicts(page, pc, 0.7);
    expect(all.batch.length).toBe(5);
    expect(all.counts).toEqual(kept.counts);
  });
});

describe('the term table read from the store', () => {
  it('is the same with its vectors read on a second thread', async () => {
    const { db } = await world(join(dir, 'reader.db'));
    const here = loadTermTable(db, { vectorReader: false });
    const beside = loadTermTable(db, { vectorReader: true });
    expect(here.rows).toBeGreaterThan(100);
    expect(beside.vectors.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(Array.from(beside.vectors)).toEqual(Array.from(here.vectors));
    expect(Array.from(beside.rowOf)).toEqual(Array.from(here.rowOf));
    expect(Array.from(beside.signature)).toEqual(Array.from(here.signature));
    expect(here.vectors.some((x) => x !== 0)).toBe(true);
    // The worker read every row (none was left to the filler), with two spare rows after them.
    const reader = readVectorsBeside(db, 2, 1)!;
    expect(reader.finish()).toBe(0);
    expect(Array.from(reader.embeddings.vectors)).toEqual([...here.vectors, ...new Array(2 * here.dims).fill(0)]);
    db.close();
  });
});

describe('the term table filled on a worker thread, and the preparation that waits for the candidates', () => {
  it('is the same table, words outside the list included, and its big arrays stay shared', async () => {
    const { db } = await world(join(dir, 'table-worker.db'));
    const dims = loadTermTable(db).dims;
    const norms = ['dışarıdaki', 'kelimeler'];
    const vectors = Float32Array.from({ length: norms.length * dims }, (_, i) => ((i % 7) - 3) / 10);
    const lemmatizer = new Lemmatizer();
    const here = loadTermTable(db, { extra: { norms, vectors, lemmatize: (w) => lemmatizer.lemmatize(w) } });
    const there = await loadTermTableInWorker(db.name, { norms, vectors });
    expect(there.rows).toBe(here.rows);
    expect(there.dims).toBe(here.dims);
    for (const key of ['rowOf', 'termId', 'textStart', 'text', 'vectors', 'signature', 'defStart', 'defTokens', 'wordPairKeys', 'wordPairCodes'] as const) expect([key, Array.from(there[key])]).toEqual([key, Array.from(here[key])]);
    for (const [key, value] of Object.entries(here.knowledge)) expect([key, Array.from(there.knowledge[key as keyof typeof there.knowledge])]).toEqual([key, Array.from(value)]);
    expect(there.vectors.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(there.signature.buffer).toBeInstanceOf(SharedArrayBuffer);
    db.close();
  });

  it('trains the same model once the candidates are in, and an abort while it waits ends it with the reason', async () => {
    const { db } = await world(join(dir, 'prepare-wait.db'));
    const options = { seed: 3 };
    const alone = await prepareRelations(db, options);
    // The candidates come 100 ms after the preparation asks for them (a thenable sees the asking).
    let asked = 0;
    const candidates = { then: (resolve: () => void) => ((asked += 1), setTimeout(resolve, 100)) } as unknown as Promise<void>;
    const waited = await prepareRelations(db, options, { tableInWorker: true, candidates });
    expect(asked).toBe(1);
    expect(Array.from(waited.trained.model.weights)).toEqual(Array.from(alone.trained.model.weights));
    expect(waited.trained.report.finalLoss).toBe(alone.trained.report.finalLoss);
    // The wait is asked for with `then`: aborted right then, the preparation ends with the reason.
    const controller = new AbortController();
    const never = { then: () => controller.abort('stopped while waiting') } as unknown as Promise<void>;
    await expect(prepareRelations(db, options, { signal: controller.signal, candidates: never })).rejects.toBe('stopped while waiting');
    db.close();
  });
});

describe('features and scoring', () => {
  it('pair features are symmetric, and the fused scorer equals features followed by the linear softmax', async () => {
    const { db } = await world(join(dir, 'features.db'));
    const table = loadTermTable(db);
    const layout = featureLayout('pair', table.dims);
    const x1 = new Float32Array(layout.width);
    const x2 = new Float32Array(layout.width);
    const random = mulberry32(3);
    const weights = Float32Array.from({ length: layout.width * CLASS_COUNT }, () => random() - 0.5);
    const model = { version: RELATION_MODEL_VERSION, kind: 'pair' as const, dims: table.dims, weights, bias: Float32Array.of(0.1, -0.2, 0.3, 0, -0.1), calibration: { temperature: 1, classBias: [0, 0, 0, 0, 0] }, disabledGroups: [] };
    const scorer = new PairScorer(model, table);
    const fused = new Float32Array(CLASS_COUNT);
    const reference = new Float32Array(CLASS_COUNT);
    for (let k = 0; k < 50; k++) {
      const a = Math.floor(random() * table.rows);
      const b = Math.floor(random() * table.rows);
      extractFeatures(layout, table, a, b, x1, 0);
      extractFeatures(layout, table, b, a, x2, 0);
      for (let f = 0; f < layout.width; f++) expect(x2[f]).toBeCloseTo(x1[f], 5);
      scorer.scoreRows(Int32Array.of(a), Int32Array.of(b), 1, fused);
      scoreRow(model, layout.width, x1, 0, reference, 0);
      for (let c = 0; c < CLASS_COUNT; c++) expect(fused[c]).toBeCloseTo(reference[c], 5);
    }
    // The default model has no product block: the scorer skips it, and must agree with the reference.
    const productFree = { ...model, weights: weights.map((w, k) => (layout.groups[Math.floor(k / CLASS_COUNT)] === 'product' ? 0 : w)), disabledGroups: ['product'] };
    const fast = new PairScorer(productFree, table);
    for (let k = 0; k < 20; k++) {
      const a = Math.floor(random() * table.rows);
      const b = Math.floor(random() * table.rows);
      extractFeatures(layout, table, a, b, x1, 0);
      fast.scoreRows(Int32Array.of(a), Int32Array.of(b), 1, fused);
      scoreRow(productFree, layout.width, x1, 0, reference, 0);
      for (let c = 0; c < CLASS_COUNT; c++) expect(fused[c]).toBeCloseTo(reference[c], 5);
    }
    const privativeColumn = layout.names.indexOf('privativeOpposite');
    const id = (w: string): number => db.prepare('SELECT id FROM terms WHERE norm = ?').pluck().get(w) as number;
    extractFeatures(layout, table, rowOfTerm(table, id('tapuli')), rowOfTerm(table, id('tapusiz')), x1, 0);
    expect(x1[privativeColumn]).toBe(1);
    db.close();
  });

  it('training is deterministic and refuses an empty training set', async () => {
    const layout = featureLayout('pair', 2);
    const empty = trainRelationModel(layout, { x: new Float32Array(0), y: new Uint8Array(0), n: 0 }, { x: new Float32Array(0), y: new Uint8Array(0), n: 0 }, { seed: 1 });
    await expect(empty).rejects.toThrow(/no training pairs/);
    // A user's list that meets no labelled pair: an input error (one line and exit status 2 at the command line), not a bug's stack.
    await expect(empty).rejects.toMatchObject({ code: 'input' });
    // A stored model of another version asks for a rebuild, as a store error.
    expect(() => modelFromArtifact({ version: RELATION_MODEL_VERSION + 1 }, new Map(), (b) => new Float32Array(b.buffer))).toThrow(SynographError);
    expect(() => modelFromArtifact({ version: RELATION_MODEL_VERSION + 1 }, new Map(), (b) => new Float32Array(b.buffer))).toThrow(/rebuild the relations stage/);
  });

  it('converges: the minibatch order does not move the weights of rare, overlapping features', async () => {
    // Two rare features that mostly fire together (as one headword's senses in two dictionaries do),
    // on 0.4% of the rows, nearly always synonyms: only their sum is pinned down by the data, and a
    // constant learning rate left the split wherever the last minibatches put it (weights spread by
    // 1.0 and 1.4 logits over these three seeds; 0.11 and 0.08 with the decaying rate).
    const layout = featureLayout('pair', 2);
    const width = layout.width;
    const [dense, rare, twin] = [0, 1, 6];
    const data = (n: number, seed: number): { x: Float32Array; y: Uint8Array; n: number } => {
      const random = mulberry32(seed);
      const x = new Float32Array(n * width);
      const y = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        y[i] = Math.floor(random() * 4);
        x[i * width + dense] = (y[i] === 0 ? 1 : y[i] === 3 ? -1 : 0) + (random() - 0.5) * 3;
        if (random() < 0.004) {
          x[i * width + rare] = 1;
          if (random() < 0.9) x[i * width + twin] = 1;
          if (random() < 0.8) y[i] = 0;
        }
        for (let f = 2; f < 6; f++) x[i * width + f] = random() - 0.5;
      }
      return { x, y, n };
    };
    const train = data(40000, 7);
    const validation = data(4000, 8);
    const weights: number[][] = [];
    for (const seed of [1, 2, 3]) {
      const { model } = await trainRelationModel(layout, train, validation, { seed });
      // Synonym against unrelated, the margin that decides a gated edge.
      weights.push([dense, rare, twin].map((f) => model.weights[f * CLASS_COUNT] - model.weights[f * CLASS_COUNT + 3]));
    }
    for (let k = 0; k < 3; k++) {
      const values = weights.map((w) => w[k]);
      expect(Math.max(...values) - Math.min(...values)).toBeLessThan(0.3);
    }
    expect(weights[0][1]).toBeGreaterThan(3);
  }, 60_000);
});

describe('relations stage', () => {
  it('scores candidates with an external cross-encoder (labels mapped by the user), seeds unchanged', async () => {
    const { db } = await world(join(dir, 'cross.db'));
    const modelDir = join(process.cwd(), 'test', 'fixtures', 'tiny-cross-encoder');
    const report = await runRelationsStage(db, { seed: 42, threads: 1, crossEncoder: { modelDir, labels: { 'eş anlamlı': 'synonym', 'zıt anlamlı': 'antonym', 'eş düzey': 'co-hyponym' } } });
    expect(report.backend).toBe('cross-encoder');
    expect(report.scored).toBe(report.candidates);
    const rows = db.prepare("SELECT p_synonym + p_antonym + p_cohyponym AS s, p_synonym, gated FROM relation_predictions WHERE origin = 'model'").all() as { s: number; p_synonym: number; gated: number }[];
    expect(rows.length).toBeGreaterThan(100);
    for (const r of rows) {
      expect(r.s).toBeCloseTo(1, 4); // three labels, none dropped
      expect(r.gated === 1).toBe(r.p_synonym >= 0.7);
    }
    expect(db.prepare("SELECT count(*) FROM relation_predictions WHERE origin = 'seed'").pluck().get()).toBe(25 + 25 + FISH.length - 1);
    db.close();
  }, 60_000);

  it('stores seeds, labels every candidate with probabilities, learns privative antonyms, and is deterministic', async () => {
    const { db, held } = await world(join(dir, 'stage.db'));
    const report = await runRelationsStage(db, { seed: 42, threads: 1 });
    expect(report.scored).toBe(report.candidates);
    expect(report.seeds).toEqual({ synonym: 25, antonym: 25, cohyponym: FISH.length - 1 });
    const id = (w: string): number => db.prepare('SELECT id FROM terms WHERE norm = ?').pluck().get(w) as number;

    // Seeds: a known synonym is a kept edge, a known antonym a cannot-link, whatever the model thinks.
    expect(readRelation(db, id('kelime0a'), id('sözcük0b'))).toMatchObject({ origin: 'seed', label: 'synonym', gated: true, pSynonym: 1 });
    expect(readRelation(db, id('tapuli'), id('tapusiz'))).toMatchObject({ origin: 'seed', label: 'antonym', gated: false });
    expect(db.prepare("SELECT count(*) FROM cannot_links WHERE origin = 'seed'").pluck().get()).toBe(25);

    // Model verdicts: probabilities in range, gated exactly when P(synonym) clears the gate.
    const rows = db.prepare("SELECT p_synonym, p_antonym, p_cohyponym, label, gated FROM relation_predictions WHERE origin = 'model'").all() as { p_synonym: number; p_antonym: number; p_cohyponym: number; label: string; gated: number }[];
    expect(rows.length).toBeGreaterThan(100);
    for (const r of rows) {
      expect(r.p_synonym + r.p_antonym + r.p_cohyponym).toBeLessThanOrEqual(1 + 1e-5);
      expect(r.gated === 1).toBe(r.p_synonym >= 0.7);
    }

    // Held-back privative pairs (never labelled): the model ranks antonym first for each.
    for (const [a, b] of held.slice(0, 5)) {
      const v = readRelation(db, id(a), id(b))!;
      expect(v.origin).toBe('model');
      expect(v.pAntonym).toBeGreaterThan(Math.max(v.pSynonym, v.pCohyponym));
    }

    const snapshot = db.prepare('SELECT * FROM relation_predictions ORDER BY a, b').all();
    await runRelationsStage(db, { seed: 42, threads: 2 });
    expect(db.prepare('SELECT * FROM relation_predictions ORDER BY a, b').all()).toEqual(snapshot);
    db.close();
  }, 60_000);
});

describe('surface evidence in the relations stage', () => {
  it('enters as seeds: spellings kept as edges, a number as a cannot-link, never over a pair the knowledge labels', async () => {
    const { db, held } = await world(join(dir, 'evidence.db'));
    const id = (w: string): number => db.prepare('SELECT id FROM terms WHERE norm = ?').pluck().get(w) as number;
    const [x, y] = held[held.length - 1]; // an unlabelled synonym pair
    const [p, q] = held[0]; // an unlabelled privative pair
    db.transaction(() =>
      writeEvidence(db, [
        { a: id(x), b: id(y), kind: 'surface', detail: 'test' },
        { a: id(p), b: id(q), kind: 'number', detail: 'test' },
        { a: id('kelime0a'), b: id('sözcük0b'), kind: 'sibling', detail: 'test: the lexicon says synonym' },
      ]),
    )();
    const report = await runRelationsStage(db, { seed: 42, threads: 1 });
    expect(report.evidenceSeeds).toEqual({ synonym: 1, antonym: 0, cohyponym: 1, cannotLinks: 1 });
    expect(readRelation(db, id(x), id(y))).toMatchObject({ origin: 'seed', label: 'synonym', gated: true, pSynonym: 1 });
    expect(readRelation(db, id(p), id(q))).toMatchObject({ origin: 'seed', label: 'co-hyponym', gated: false });
    const link = db.prepare('SELECT count(*) FROM cannot_links WHERE a = ? AND b = ?').pluck();
    expect(link.get(Math.min(id(p), id(q)), Math.max(id(p), id(q)))).toBe(1);
    expect(readRelation(db, id('kelime0a'), id('sözcük0b'))).toMatchObject({ origin: 'seed', label: 'synonym', gated: true });
    db.close();
  }, 60_000);
});

describe('edit similarity', () => {
  it('equals the dynamic-programming Levenshtein similarity (bit-parallel implementation)', async () => {
    const { editSimilarity, MAX_EDIT } = await import('../src/relations/features.js');
    const levenshtein = (x: string, y: string): number => {
      const row = Array.from({ length: y.length + 1 }, (_, j) => j);
      for (let i = 1; i <= x.length; i++) {
        let prev = row[0];
        row[0] = i;
        for (let j = 1; j <= y.length; j++) {
          const tmp = row[j];
          row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (x[i - 1] === y[j - 1] ? 0 : 1));
          prev = tmp;
        }
      }
      return row[y.length];
    };
    const random = mulberry32(9);
    const alphabet = 'abcçdeğıişöüs ';
    for (let k = 0; k < 500; k++) {
      const word = (): string => Array.from({ length: Math.floor(random() * 30) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
      const x = word();
      const y = word();
      const text = Uint16Array.from([...x, ...y].map((c) => c.charCodeAt(0)));
      const cx = x.slice(0, MAX_EDIT);
      const cy = y.slice(0, MAX_EDIT);
      const expected = cx.length === 0 || cy.length === 0 ? 0 : 1 - levenshtein(cx, cy) / Math.max(cx.length, cy.length);
      expect(editSimilarity(text, 0, x.length, x.length, y.length)).toBeCloseTo(expected, 10);
    }
    // Many strings in one text, asked as scoring asks them (runs of one first string, then another,
    // the same start with another length): the first string's masks are kept between calls.
    const words = Array.from({ length: 40 }, () => Array.from({ length: 1 + Math.floor(random() * 30) }, () => alphabet[Math.floor(random() * alphabet.length)]).join(''));
    const starts = [0];
    for (const w of words) starts.push(starts[starts.length - 1] + w.length);
    const shared = Uint16Array.from([...words.join('')].map((c) => c.charCodeAt(0)));
    for (let k = 0; k < 600; k++) {
      const i = Math.floor(k / 15) % words.length;
      const j = Math.floor(random() * words.length);
      const cut = k % 4 === 0 ? Math.max(1, words[i].length - 2) : words[i].length;
      const cx = words[i].slice(0, Math.min(cut, MAX_EDIT));
      const cy = words[j].slice(0, MAX_EDIT);
      const expected = 1 - levenshtein(cx, cy) / Math.max(cx.length, cy.length);
      expect(editSimilarity(shared, starts[i], cut, starts[j], words[j].length)).toBeCloseTo(expected, 10);
    }
  });
});

describe('training samples', () => {
  it('draw the positions a shuffled copy would, without the copy', async () => {
    const { sample, samplePositions } = await import('../src/relations/training-data.js');
    // The reference: a seeded Fisher-Yates over a full copy, its first `max` items, ascending.
    const shuffled = (items: number[], max: number, seed: number): number[] => {
      if (items.length <= max) return [...items];
      const random = mulberry32(seed);
      const copy = [...items];
      for (let i = 0; i < max; i++) {
        const j = i + Math.floor(random() * (copy.length - i));
        [copy[i], copy[j]] = [copy[j], copy[i]];
      }
      return copy.slice(0, max).sort((x, y) => x - y);
    };
    for (const [n, max, seed] of [
      [10, 3, 1],
      [1000, 999, 2],
      [50_000, 2_000, 3],
      [40, 40, 4],
      [7, 0, 5],
    ]) {
      const items = Array.from({ length: n }, (_, i) => (i * 7919) % 100_003);
      expect(sample(items, max, seed)).toEqual(shuffled(items, max, seed));
      expect(samplePositions(n, max, seed)).toEqual(shuffled(Array.from({ length: n }, (_, i) => i), max, seed));
    }
  });
});
