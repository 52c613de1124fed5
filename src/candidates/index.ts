export { findCandidates, sortAndDedupePairs, DEFAULT_KNN, type CandidateOptions, type CandidatePairs, type CandidateResult, type Quantization } from './knn.js';
export { termPairs, type TermPairs } from './pairs.js';
export { knowledgePairs, mergeCandidates, type KnowledgePair, type KnowledgeCandidateOptions } from './knowledge.js';
