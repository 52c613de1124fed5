export { findCandidates, sortAndDedupePairs, DEFAULT_KNN, type CandidateOptions, type CandidatePairs, type CandidateResult, type Quantization } from './knn.js';
export { writeCandidates, readCandidateNeighbours, type WriteCandidatesReport, type CandidateNeighbours, type ReadNeighboursOptions } from './store.js';
