export { findCandidates, sortAndDedupePairs, DEFAULT_KNN, type CandidateOptions, type CandidatePairs, type CandidateResult, type Quantization } from './knn.js';
export { termPairs, type TermPairs } from './pairs.js';
export { knowledgePairs, mergeCandidates, mergeCandidateChunks, CANDIDATE_ORIGINS, type MergeCounts, type CandidateOrigin, type KnowledgePair, type KnowledgeCandidateOptions, type MergedCandidates } from './knowledge.js';
export { findCandidatesIvf, DEFAULT_IVF, type IvfOptions, type IvfResult } from './ivf.js';
export { type PairChunk } from './raw-pairs.js';
