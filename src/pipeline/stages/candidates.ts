/** The candidates stage: every term's nearest neighbours by cosine (top-k, threshold), stored once per pair. */
import { DEFAULT_IVF, findCandidatesIvf, termPairs } from '../../candidates/index.js';
import { readEmbeddings, writeCandidates } from '../../store/index.js';
import type { Progress, StageDefinition } from '../stage.js';

/**
 * Changes whenever the same embeddings would give other pairs: 2 = the inverted-file partition
 * with exact GEMM blocks (src/candidates/ivf.ts) replaced the single-threaded HNSW of version 1.
 */
export const CANDIDATES_STAGE_VERSION = 2;

export const candidatesStage: StageDefinition = {
  name: 'candidates',
  reads: ['embed'],
  fingerprint: ({ options, upstream }) => [CANDIDATES_STAGE_VERSION, DEFAULT_IVF, options.candidates, options.split.seed, upstream('embed')],
  run: async ({ db, options, progress }) => {
    const { termIds, vectors, dimensions } = readEmbeddings(db, { shared: true });
    // Progress counts the scan's blocks (cells x rounds); the total is known once the partition is.
    let bar: Progress | null = null;
    const result = await findCandidatesIvf(vectors, dimensions, {
      topK: options.candidates.topK,
      minCosine: options.candidates.minCosine,
      threads: options.threads,
      seed: options.split.seed,
      onProgress: (done, total) => (bar ??= progress('candidates', total)).update(done),
    });
    (bar as Progress | null)?.finish(result.stats.blocks);
    const written = await writeCandidates(db, termPairs(termIds, result.pairs));
    return { pairs: result.pairs.a.length, topK: options.candidates.topK, minCosine: options.candidates.minCosine, annRecall: result.annRecall, annSample: result.sampleSize, method: 'ivf', cells: result.stats.cells, scannedPerQuery: result.stats.scannedPerQuery, seconds: { ...result.seconds, write: written.seconds } };
  },
};
