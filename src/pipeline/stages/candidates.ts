/**
 * The candidates stage: every term's nearest neighbours by cosine (HNSW top-k, threshold), and the
 * pairs independent knowledge relates (a dictionary sense, a headword in several languages: issue
 * 11), stored once per pair with their origin.
 */
import { findCandidates, knowledgePairs, mergeCandidates, termPairs, type KnowledgeCandidateOptions } from '../../candidates/index.js';
import { readEmbeddings, readTermIds, readTranslations, writeCandidates } from '../../store/index.js';
import type { StageDefinition } from '../stage.js';
import { translationsFingerprint } from './knowledge.js';

/**
 * HNSW search beam of the candidates stage. The builtin embedder's held-out vectors have flat
 * neighbourhoods: ANN recall 0.877 at 128 and 0.924 at 256 (KeNet vocabulary, top-100), and the
 * dev synonym pairs kept as candidates 0.126 at 128 against 0.131 at 256 (probe-builtin.js
 * --beams 128,256, dev split), for 10 s more search: the build pays for 256.
 */
export const CANDIDATE_SEARCH_BEAM = 256;

/** Which knowledge pairs become candidates (chosen on the dev split, see the issue 11 commit). */
export const KNOWLEDGE_CANDIDATES: KnowledgeCandidateOptions = { sameSense: true, minLanguages: 1, maxGroup: 20 };

export const candidatesStage: StageDefinition = {
  name: 'candidates',
  // The knowledge stage's translations are read by value and stamped into the fingerprint below
  // (translationsFingerprint), not through `reads`: a knowledge run for a new `--pairs` file
  // rewrites the labelled pairs, which the candidates do not read, and must neither redo nor
  // supersede the search (the table order still runs knowledge first).
  reads: ['embed'],
  fingerprint: ({ options, upstream, stamp }) => [options.candidates, KNOWLEDGE_CANDIDATES, upstream('embed'), translationsFingerprint(options, upstream, stamp)],
  run: async ({ db, options }) => {
    const { termIds, vectors, dimensions } = readEmbeddings(db);
    const result = findCandidates(vectors, dimensions, { topK: options.candidates.topK, minCosine: options.candidates.minCosine, expansionSearch: CANDIDATE_SEARCH_BEAM, threads: options.threads, seed: options.split.seed });
    const knn = termPairs(termIds, result.pairs);
    const idOf = new Map<string, number>();
    for (const [id, norm] of readTermIds(db)) idOf.set(norm, id);
    const rowOf = new Map<number, number>();
    termIds.forEach((id, r) => rowOf.set(id, r));
    const known = knowledgePairs(readTranslations(db), (norm) => (rowOf.has(idOf.get(norm) ?? -1) ? (idOf.get(norm) as number) : -1), KNOWLEDGE_CANDIDATES);
    const cosine = (a: number, b: number): number => {
      const ra = rowOf.get(a) as number;
      const rb = rowOf.get(b) as number;
      let dot = 0;
      for (let d = 0; d < dimensions; d++) dot += vectors[ra * dimensions + d] * vectors[rb * dimensions + d];
      return dot;
    };
    const merged = mergeCandidates(knn, known, cosine);
    await writeCandidates(db, merged);
    return {
      pairs: merged.length,
      knnPairs: knn.length,
      knowledgePairs: known.length,
      knowledgeOnly: merged.added,
      topK: options.candidates.topK,
      minCosine: options.candidates.minCosine,
      annRecall: result.annRecall,
      annSample: result.sampleSize,
      seconds: result.seconds,
    };
  },
};
