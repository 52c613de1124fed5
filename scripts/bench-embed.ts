/**
 * Builtin embedder benchmark: trains the model once (full mode), then embeds generated term lists
 * and prints JSON. Baseline in the same run: the same encoder on the main thread alone, so
 * `ratioToSingleThread` shows what the worker pool buys on this machine.
 *
 *   npm run bench:embed [-- --sizes 100000,1000000]
 */
import { cpus } from 'node:os';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadKenet, kenetPath } from '../src/lexicon/index.js';
import { DEFAULT_SPLIT } from '../src/eval/split.js';
import { BuiltinEncoder, createBuiltinEmbedder, trainBuiltinEmbedder } from '../src/embed/index.js';
import { peakRssBytes } from '../src/util/memory.js';
import { generateTerms } from './generate-terms.js';

const { values } = parseArgs({ options: { sizes: { type: 'string' } } });
const sizes = (values.sizes ?? '100000,1000000').split(',').map(Number);
const { synsets } = await loadKenet(kenetPath());
const trainStarted = performance.now();
const { model, report } = await trainBuiltinEmbedder({ mode: 'full', split: DEFAULT_SPLIT, kenet: synsets, knownSynonyms: [] });
const trainSeconds = (performance.now() - trainStarted) / 1000;
const dir = mkdtempSync(join(tmpdir(), 'synograph-bench-embed-'));
const runs = [];
try {
  const embedder = createBuiltinEmbedder(model);
  for (const n of sizes) {
    const file = join(dir, `terms-${n}.txt`);
    await generateTerms(n, file, 3);
    const terms = readFileSync(file, 'utf8').split('\n').filter((t) => t.length > 0);
    let t = performance.now();
    await embedder.embed(terms);
    const seconds = (performance.now() - t) / 1000;
    // Baseline: one thread, a sample (the rate does not depend on the list length).
    const sample = terms.slice(0, Math.min(terms.length, 50_000));
    const encoder = new BuiltinEncoder(model);
    t = performance.now();
    encoder.encodeAll(sample);
    const baselineSeconds = (performance.now() - t) / 1000;
    runs.push({
      terms: n,
      seconds,
      termsPerSecond: n / seconds,
      singleThreadTermsPerSecond: sample.length / baselineSeconds,
      ratioToSingleThread: n / seconds / (sample.length / baselineSeconds),
      peakRssBytes: peakRssBytes(),
    });
  }
  await embedder.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const dims = model.config.dimensions;
const gib = (bytes: number): number => Number((bytes / 2 ** 30).toFixed(2));
process.stdout.write(
  JSON.stringify(
    {
      benchmark: 'embed-builtin',
      cores: cpus().length,
      dimensions: dims,
      training: { seconds: trainSeconds, vocabulary: report.vocabulary, tokens: report.corpus.tokens, modelBytes: (model.vectors.byteLength + model.ngrams.byteLength) },
      runs,
      target: { termsPerSecond: 20_000 },
      projection15M: {
        note: 'vectors only; the model itself is fixed-size',
        f32GiB: gib(15e6 * dims * 4),
        f16GiB: gib(15e6 * dims * 2),
        i8GiB: gib(15e6 * dims),
        i8At128DimsGiB: gib(15e6 * 128),
      },
    },
    null,
    2,
  ) + '\n',
);
