export { findCandidates, sortAndDedupePairs, DEFAULT_KNN, type CandidateOptions, type CandidatePairs, type CandidateResult, type Quantization } from './knn.js';
export { termPairs, type TermPairs } from './pairs.js';
export { findCandidatesIvf, DEFAULT_IVF, type IvfOptions, type IvfResult } from './ivf.js';
