/**
 * Development probe for choosing the builtin embedder's defaults and the candidate search beam.
 * Trains the embedder on a held-out view of KeNet (as `build --holdout` does) and prints, for
 * the DEV split only, synonym recall@k by exact search over the KeNet vocabulary and, per search
 * beam, recall@k among the candidate pairs the build would keep (HNSW, top-k, cosine threshold).
 * The test split is never read here: it is scored once per reported figure by `synograph eval`
 * (docs/evaluation.md, "Choosing defaults").
 *
 * Usage: node dist/scripts/probe-builtin.js [--config JSON] [--sample N] [--beams 128,256] [--min-cosines 0.5,0.7]
 *        [--editions false]
 */
import { parseArgs } from 'node:util';
import usearch from 'usearch';
import { loadKenet, kenetPath } from '../src/lexicon/index.js';
import { buildGold, DEFAULT_SPLIT, visibleSynsets } from '../src/eval/index.js';
import { findCandidates } from '../src/candidates/index.js';
import { applyMetric, learnSynonymMetric } from '../src/embed/builtin/metric.js';
import { trainingDocuments } from '../src/embed/builtin/corpus.js';
import { trainBuiltin, BuiltinEncoder, ownVectorTest } from '../src/embed/builtin/model.js';
import { mulberry32 } from '../src/util/random.js';

const SPLIT = 'dev';

const { values } = parseArgs({ options: { config: { type: 'string' }, sample: { type: 'string' }, editions: { type: 'string' }, metric: { type: 'string' }, beams: { type: 'string' }, 'min-cosines': { type: 'string' } } });
const { synsets } = await loadKenet(kenetPath());
const gold = buildGold(synsets, { split: DEFAULT_SPLIT, cohyponymCap: 100 });
let t = performance.now();
const { documents, stats } = await trainingDocuments({ mode: 'holdout', split: DEFAULT_SPLIT, kenet: synsets, editions: values.editions !== 'false' });
const corpusSeconds = (performance.now() - t) / 1000;
const { model, report } = await trainBuiltin(documents, { config: values.config ? JSON.parse(values.config) : {} });
const vocab = [...gold.vocabulary].sort();
t = performance.now();
const enc = new BuiltinEncoder(model);
const vectors = enc.encodeAll(vocab);
const encodeSeconds = (performance.now() - t) / 1000;
const index = new Map(vocab.map((w, i) => [w, i]));
let metricInfo: unknown = null;
if (values.metric) {
  const opts = JSON.parse(values.metric) as { regularization?: number; power?: number };
  const known = buildGold(visibleSynsets(synsets, DEFAULT_SPLIT).visible, { split: DEFAULT_SPLIT, cohyponymCap: 100 });
  const syn = known.pairs.filter((p) => p.label === 'synonym').map((p) => [index.get(p.a) as number, index.get(p.b) as number] as const);
  const r2 = mulberry32(7);
  const others = Array.from({ length: 20000 }, () => [Math.floor(r2() * vocab.length), Math.floor(r2() * vocab.length)] as const);
  const metric = learnSynonymMetric(vectors, model.config.dimensions, syn, others, opts);
  applyMetric(metric, vectors);
  metricInfo = { trainPairs: syn.length, ...opts };
}
const devPairs = gold.pairs.filter((p) => p.label === 'synonym' && p.split === SPLIT);
const rand = mulberry32(1);
const n = Number(values.sample ?? devPairs.length);
const sample = devPairs.filter(() => rand() < n / devPairs.length);
const queries = [...new Set(sample.flatMap((p) => [p.a, p.b]))];
const dims = model.config.dimensions;
const q = new Float32Array(queries.length * dims);
queries.forEach((w, i) => q.set(vectors.subarray((index.get(w) as number) * dims, ((index.get(w) as number) + 1) * dims), i * dims));
t = performance.now();
const res = usearch.exactSearch(vectors, q, dims, 101, usearch.MetricKind.IP, 2) as unknown as { keys: BigUint64Array; distances: Float32Array };
const knnSeconds = (performance.now() - t) / 1000;
const rank = new Map<string, Map<number, number>>();
queries.forEach((w, i) => {
  const m = new Map<number, number>();
  let r = 0;
  for (let k = 0; k < 101; k++) {
    const key = Number(res.keys[i * 101 + k]);
    if (key === index.get(w)) continue;
    m.set(key, ++r);
  }
  rank.set(w, m);
});
const recall = (k: number): number =>
  sample.filter((p) => (rank.get(p.a)?.get(index.get(p.b) as number) ?? 999) <= k || (rank.get(p.b)?.get(index.get(p.a) as number) ?? 999) <= k).length / sample.length;
const cos = sample.map((p) => { const a = index.get(p.a) as number, b = index.get(p.b) as number; let s = 0; for (let d = 0; d < dims; d++) s += vectors[a * dims + d] * vectors[b * dims + d]; return s; }).sort((x, y) => x - y);

// What the candidates stage keeps at each beam: dev synonym pairs among the kept pairs.
const beams = (values.beams ?? '').split(',').filter((b) => b.trim() !== '').map(Number);
// Each beam is searched once at the lowest threshold; the higher ones filter its pairs.
const thresholds = (values['min-cosines'] ?? '0.7').split(',').filter((x) => x.trim() !== '').map(Number).sort((x, y) => x - y);
const candidates: Record<string, unknown> = {};
for (const beam of beams) {
  const result = findCandidates(vectors, dims, { topK: 100, minCosine: thresholds[0], expansionSearch: beam, seed: DEFAULT_SPLIT.seed });
  for (const minCosine of thresholds) {
    const kept = new Set<number>();
    for (let i = 0; i < result.pairs.a.length; i++) if (result.pairs.cosine[i] >= minCosine) kept.add(result.pairs.a[i] * vocab.length + result.pairs.b[i]);
    const found = sample.filter((p) => {
      const a = index.get(p.a) as number;
      const b = index.get(p.b) as number;
      return kept.has(Math.min(a, b) * vocab.length + Math.max(a, b));
    }).length;
    candidates[thresholds.length === 1 ? String(beam) : `${beam}@${minCosine}`] = { pairs: kept.size, devSynonymRecall: found / sample.length, annRecall: result.annRecall, seconds: result.seconds };
  }
}
// Collapse of the terms the model does not know (n-gram vectors only): random pairs of them, and
// how many have their nearest other such term above cosine 0.9.
const knows = ownVectorTest(model.vocab, model.vectors, dims);
const unknown = vocab.map((w, i) => (knows(w) ? -1 : i)).filter((i) => i >= 0);
const dot = (a: number, b: number): number => { let s = 0; for (let d = 0; d < dims; d++) s += vectors[a * dims + d] * vectors[b * dims + d]; return s; };
const r3 = mulberry32(3);
const randomCos = Array.from({ length: 20000 }, () => dot(unknown[Math.floor(r3() * unknown.length)], unknown[Math.floor(r3() * unknown.length)])).sort((x, y) => x - y);
const uq = new Float32Array(Math.min(2000, unknown.length) * dims);
const uSample = unknown.filter((_, i) => i % Math.max(1, Math.floor(unknown.length / 2000)) === 0).slice(0, 2000);
uSample.forEach((u, i) => uq.set(vectors.subarray(u * dims, (u + 1) * dims), i * dims));
const ub = new Float32Array(unknown.length * dims);
unknown.forEach((u, i) => ub.set(vectors.subarray(u * dims, (u + 1) * dims), i * dims));
const un = usearch.exactSearch(ub, uq.subarray(0, uSample.length * dims), dims, 2, usearch.MetricKind.IP, 2) as unknown as { distances: Float32Array };
let above = 0;
for (let i = 0; i < uSample.length; i++) if (1 - un.distances[i * 2 + 1] > 0.9) above++;
const unknownCollapse = { unknownTerms: unknown.length, randomPairCosine: { median: randomCos[10000], p90: randomCos[18000] }, nearestUnknownAbove09: above / uSample.length };

console.log(JSON.stringify({ split: SPLIT, metricInfo, unknownCollapse, stats, corpusSeconds, report, encodeSeconds, knnSeconds, pairs: sample.length, recallAt: { 1: recall(1), 10: recall(10), 50: recall(50), 100: recall(100) }, synonymCosine: { p10: cos[Math.floor(cos.length * 0.1)], median: cos[Math.floor(cos.length / 2)], p90: cos[Math.floor(cos.length * 0.9)] }, candidates }, null, 1));
