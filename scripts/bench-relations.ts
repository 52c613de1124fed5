/**
 * Relation scoring benchmark: the builtin discriminator's features + calibrated linear softmax over
 * candidate pairs in the scoring workers (the relations stage's hot loop), and the same scorer on
 * the main thread alone as the same-run baseline, compiled (native/relations.cc) and in JS.
 * Prints JSON.
 *
 *   npm run bench:relations [-- --terms 200000 --pairs 4000000 --dims 128 --threads 2]
 *
 * Terms are generated Turkish-like strings (scripts/generate-terms.ts) with random unit vectors;
 * pairs are random row pairs; the model's weights are seeded random numbers of the default
 * model's layout (throughput does not depend on their values). Store reads and writes are not included: they are
 * the relations stage's other cost, reported in its stage stats.
 */
import { cpus, tmpdir } from 'node:os';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildTermTable } from '../src/relations/term-table.js';
import { featureLayout } from '../src/relations/features.js';
import { defaultScoringEngine, PairScorer } from '../src/relations/score.js';
import { createScoringPool } from '../src/relations/pool.js';
import { CLASS_COUNT, RELATION_MODEL_VERSION, type RelationModel } from '../src/relations/model.js';
import { mulberry32 } from '../src/util/random.js';
import { DEFAULT_DISABLED_GROUPS } from '../src/relations/build-model.js';
import { peakRssBytes } from '../src/util/memory.js';
import { generateTerms } from './generate-terms.js';

const { values } = parseArgs({ options: { terms: { type: 'string' }, pairs: { type: 'string' }, dims: { type: 'string' }, threads: { type: 'string' } } });
const termCount = Number(values.terms ?? 200_000);
const pairCount = Number(values.pairs ?? 4_000_000);
const dims = Number(values.dims ?? 128);
const threads = Number(values.threads ?? cpus().length);

const dir = mkdtempSync(join(tmpdir(), 'synograph-bench-relations-'));
let texts: string[];
try {
  const file = join(dir, 'terms.txt');
  await generateTerms(termCount, file, 5);
  texts = readFileSync(file, 'utf8').split('\n').filter((t) => t.length > 0);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const random = mulberry32(11);
const vectors = new Float32Array(texts.length * dims);
for (let r = 0; r < texts.length; r++) {
  let norm = 0;
  for (let d = 0; d < dims; d++) {
    const v = random() * 2 - 1;
    vectors[r * dims + d] = v;
    norm += v * v;
  }
  norm = Math.sqrt(norm);
  for (let d = 0; d < dims; d++) vectors[r * dims + d] /= norm;
}
let t = performance.now();
const table = buildTermTable({ termIds: Int32Array.from(texts, (_, i) => i + 1), texts, vectors, dims });
const tableSeconds = (performance.now() - t) / 1000;
const layout = featureLayout('pair', dims);
const model: RelationModel = {
  version: RELATION_MODEL_VERSION,
  kind: 'pair',
  dims,
  // The default model's shape: its switched-off groups have zero weights and are skipped by the scorer.
  weights: Float32Array.from({ length: layout.width * CLASS_COUNT }, (_, k) => (DEFAULT_DISABLED_GROUPS.includes(layout.groups[Math.floor(k / CLASS_COUNT)]) ? 0 : random() - 0.5)),
  bias: new Float32Array(CLASS_COUNT),
  calibration: { temperature: 1, classBias: new Array<number>(CLASS_COUNT).fill(0) },
  disabledGroups: [...DEFAULT_DISABLED_GROUPS],
};
const a = new Int32Array(pairCount);
const b = new Int32Array(pairCount);
for (let i = 0; i < pairCount; i++) {
  a[i] = Math.floor(random() * table.rows);
  b[i] = Math.floor(random() * table.rows);
}

// Baselines: the same scorer on the main thread, on a slice (the rate does not depend on the
// count), with the default engine (compiled where the addon was built) and with the JS loop.
const sample = Math.min(pairCount, 500_000);
const engine = defaultScoringEngine();
const out = new Float32Array(sample * CLASS_COUNT);
const singleRate = (scorer: PairScorer): number => {
  scorer.scoreRows(a.subarray(0, 10_000), b.subarray(0, 10_000), 10_000, out); // warm-up
  const started = performance.now();
  scorer.scoreRows(a, b, sample, out);
  return sample / ((performance.now() - started) / 1000);
};
const singlePairsPerSecond = singleRate(new PairScorer(model, table, undefined, engine));
const jsPairsPerSecond = engine === 'js' ? singlePairsPerSecond : singleRate(new PairScorer(model, table, undefined, 'js'));

const pool = createScoringPool(model, table, threads);
const batch = 32_768;
await pool.score(a.slice(0, batch), b.slice(0, batch), batch); // start and warm the workers
t = performance.now();
const inFlight: Promise<Float32Array>[] = [];
for (let i = 0; i < pairCount; i += batch) {
  const n = Math.min(batch, pairCount - i);
  inFlight.push(pool.score(a.slice(i, i + n), b.slice(i, i + n), n));
}
await Promise.all(inFlight);
const poolSeconds = (performance.now() - t) / 1000;
await pool.close();

const pairsPerSecond = pairCount / poolSeconds;
process.stdout.write(
  JSON.stringify(
    {
      benchmark: 'relations-scoring',
      cores: cpus().length,
      threads,
      terms: table.rows,
      dimensions: dims,
      features: layout.width,
      pairs: pairCount,
      seconds: poolSeconds,
      pairsPerSecond,
      engine,
      singleThreadPairsPerSecond: singlePairsPerSecond,
      ratioToSingleThread: pairsPerSecond / singlePairsPerSecond,
      jsSingleThreadPairsPerSecond: jsPairsPerSecond,
      ratioSingleThreadToJs: singlePairsPerSecond / jsPairsPerSecond,
      tableSeconds,
      peakRssBytes: peakRssBytes(),
      target: { pairsPerSecond: 1_000_000 },
      projection520M: { minutes: 520e6 / pairsPerSecond / 60 },
    },
    null,
    2,
  ) + '\n',
);
