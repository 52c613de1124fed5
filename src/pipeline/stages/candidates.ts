/**
 * The candidates stage: every term's nearest neighbours by cosine (top-k, threshold), and the pairs
 * independent knowledge relates (a dictionary sense, a headword in several languages: issue 11),
 * stored once per pair with their origin.
 */
import { readdirSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { CANDIDATE_ORIGINS, DEFAULT_IVF, findCandidatesIvf, knowledgePairs, mergeCandidateChunks, type KnowledgeCandidateOptions, type MergeCounts, type MergedCandidates } from '../../candidates/index.js';
import { readEmbeddings, readTranslatedTermIds, readTranslations, writeCandidates, type Db } from '../../store/index.js';
import { nativeKernel } from '../../candidates/native-kernel.js';
import type { Progress, StageDefinition } from '../stage.js';
import { translationsFingerprint } from './knowledge.js';

/**
 * Changes whenever the same embeddings would give other pairs: 2 = the inverted-file partition
 * with exact GEMM blocks (src/candidates/ivf.ts) replaced the single-threaded HNSW of version 1;
 * 3 = scores carried across the scan's passes (over 2M terms; fewer give the same pairs); 4 = from
 * 2,048 cells (~524k terms) a local k-means and cells split on its sample (src/candidates/partition.ts);
 * 5 = more probes where a sample predicts recall below 0.96 at 32 (src/candidates/probe-count.ts).
 */
export const CANDIDATES_STAGE_VERSION = 5;

/**
 * Rows whose raw pairs are sorted together (src/candidates/raw-pairs.ts): ~10M raw pairs, ~0.5 GB
 * while sorted, on the 1M-line bench:e2e list (80 raw pairs a row at minCosine 0.6). The write
 * waits for the first range's sort, and the first ranges hold the most (a pair's `a` is its
 * smaller row: with 262,144 rows the first held 44% of the raw pairs); at 928k rows the pairs step
 * took 2.9-3.1 s with these ranges, 4.0-4.1 s with twice as many rows a range (alternating runs).
 */
const SPILL_ROWS = 131_072;

/**
 * Bytes a term of the stage at its peak, for work beside it (the relations stage's term table):
 * the whole build's RSS peaked in it at 14.9 GiB on the 12.6M terms of the 15M-line bench:e2e list
 * (1.27 KB a term), 6.5 GB on 2.7M (2.4 KB) and 2.75 GiB on 928k (3.1 KB, ~0.8 GiB of it the
 * process's own): the larger share of the smaller lists, so that a list near the budget's edge
 * keeps the two apart.
 */
const CANDIDATES_BYTES_PER_TERM = 2_500;

/** Which knowledge pairs become candidates (chosen on the dev split, see the issue 11 commit). */
export const KNOWLEDGE_CANDIDATES: KnowledgeCandidateOptions = { sameSense: true, minLanguages: 1, maxGroup: 20 };

/**
 * Where the raw pairs are spilled: beside the database (not in /tmp, often memory), in
 * `<database>.pairs-*`. What a killed run left there is removed first: one build writes a database.
 */
function spillPlace(db: Db): { dir?: string; prefix?: string } {
  if (db.memory) return {};
  const dir = dirname(db.name);
  const prefix = `${basename(db.name)}.pairs-`;
  for (const entry of readdirSync(dir)) if (entry.startsWith(prefix)) rmSync(join(dir, entry), { recursive: true, force: true });
  return { dir, prefix };
}

function* withOrigins(chunks: Iterable<MergedCandidates>): Generator<MergedCandidates & { originNames: typeof CANDIDATE_ORIGINS }> {
  for (const merged of chunks) yield { ...merged, originNames: CANDIDATE_ORIGINS };
}

export const candidatesStage: StageDefinition = {
  name: 'candidates',
  // The knowledge stage's translations are read by value and stamped into the fingerprint below
  // (translationsFingerprint), not through `reads`: a knowledge run for a new `--pairs` file
  // rewrites the labelled pairs, which the candidates do not read, and must neither redo nor
  // supersede the search (the table order still runs knowledge first).
  reads: ['embed'],
  peakBytes: ({ terms }) => terms * CANDIDATES_BYTES_PER_TERM,
  // The block kernel too: ONNX Runtime scores a one-query block by its GEMV, whose sums can differ
  // from the compiled kernel's in the last bit (test/native-kernel.test.ts).
  fingerprint: ({ options, upstream, stamp }) => [CANDIDATES_STAGE_VERSION, DEFAULT_IVF, nativeKernel() ? 'native' : 'onnx', options.candidates, options.split.seed, upstream('embed'), KNOWLEDGE_CANDIDATES, translationsFingerprint(options, upstream, stamp)],
  run: async ({ db, options, progress }) => {
    const spill = spillPlace(db);
    const { termIds, vectors, dimensions } = readEmbeddings(db, { shared: true });
    // Progress counts the scan's blocks (cells x rounds); the total is known once the partition is.
    let bar: Progress | null = null;
    const result = await findCandidatesIvf(vectors, dimensions, {
      topK: options.candidates.topK,
      minCosine: options.candidates.minCosine,
      threads: options.threads,
      seed: options.split.seed,
      onProgress: (done, total) => (bar ??= progress('candidates', total)).update(done),
      spillRows: SPILL_ROWS,
      spillDir: spill.dir,
      spillPrefix: spill.prefix,
    });
    (bar as Progress | null)?.finish(result.stats.blocks);
    try {
      // Maps only for the translated terms: at 15M terms a map of every term would cost gigabytes.
      const translations = readTranslations(db);
      const idOf = new Map<string, number>();
      for (const [id, norm] of readTranslatedTermIds(db)) idOf.set(norm, id);
      const ids = new Set(idOf.values());
      const rowOf = new Map<number, number>();
      termIds.forEach((id, r) => {
        if (ids.has(id)) rowOf.set(id, r);
      });
      const known = knowledgePairs(translations, (norm) => (rowOf.has(idOf.get(norm) ?? -1) ? (idOf.get(norm) as number) : -1), KNOWLEDGE_CANDIDATES);
      const cosine = (a: number, b: number): number => {
        const ra = rowOf.get(a) as number;
        const rb = rowOf.get(b) as number;
        let dot = 0;
        for (let d = 0; d < dimensions; d++) dot += vectors[ra * dimensions + d] * vectors[rb * dimensions + d];
        return dot;
      };
      const counts: MergeCounts = { pairs: 0, knn: 0, added: 0 };
      // Range by range of rows, so that no step holds every pair (src/candidates/raw-pairs.ts).
      const chunks = mergeCandidateChunks(result.chunks(), termIds, known, cosine, counts);
      const sorting = result.seconds.pairs;
      const written = await writeCandidates(db, withOrigins(chunks));
      return {
        pairs: counts.pairs,
        knnPairs: counts.knn,
        knowledgePairs: known.length,
        knowledgeOnly: counts.added,
        topK: options.candidates.topK,
        minCosine: options.candidates.minCosine,
        annRecall: result.annRecall,
        annSample: result.sampleSize,
        probes: result.params.probes,
        predictedRecall: result.predictedRecall,
        method: 'ivf',
        kernel: result.stats.kernel,
        cells: result.stats.cells,
        probeGroups: result.stats.probeGroups,
        scannedPerQuery: result.stats.scannedPerQuery,
        // The spilled ranges are sorted while they are written: that time is the pairs', not the write's.
        seconds: { ...result.seconds, write: written.seconds - (result.seconds.pairs - sorting) },
      };
    } finally {
      result.dispose();
    }
  },
};
