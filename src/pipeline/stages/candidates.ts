/** The candidates stage: every term's nearest neighbours by cosine (HNSW top-k, threshold), stored once per pair. */
import { findCandidates, termPairs } from '../../candidates/index.js';
import { readEmbeddings, writeCandidates } from '../../store/index.js';
import type { StageDefinition } from '../stage.js';

/**
 * HNSW search beam of the candidates stage. The builtin embedder's held-out vectors have flat
 * neighbourhoods: ANN recall 0.877 at 128 and 0.924 at 256 (KeNet vocabulary, top-100), and the
 * dev synonym pairs kept as candidates 0.126 at 128 against 0.131 at 256 (probe-builtin.js
 * --beams 128,256, dev split), for 10 s more search: the build pays for 256.
 */
export const CANDIDATE_SEARCH_BEAM = 256;

export const candidatesStage: StageDefinition = {
  name: 'candidates',
  reads: ['embed'],
  fingerprint: ({ options, upstream }) => [options.candidates, upstream('embed')],
  run: async ({ db, options }) => {
    const { termIds, vectors, dimensions } = readEmbeddings(db);
    const result = findCandidates(vectors, dimensions, { topK: options.candidates.topK, minCosine: options.candidates.minCosine, expansionSearch: CANDIDATE_SEARCH_BEAM, threads: options.threads, seed: options.split.seed });
    await writeCandidates(db, termPairs(termIds, result.pairs));
    return { pairs: result.pairs.a.length, topK: options.candidates.topK, minCosine: options.candidates.minCosine, annRecall: result.annRecall, annSample: result.sampleSize, seconds: result.seconds };
  },
};
