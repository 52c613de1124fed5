export { buildGold, summarizeGold, exportGold, DEFAULT_COHYPONYM_CAP, type Gold, type GoldPair, type GoldOptions, type GoldSummary } from './gold.js';
export { DEFAULT_SPLIT, splitOf, isHeldOut, pairSplit, visibleSynsets, validateSplit, type SplitConfig, type PairSplit } from './split.js';
export * from './metrics.js';
export { connectedComponents, louvainClusters, type LouvainOptions } from './baselines.js';
export { evaluateClusterings, DEFAULT_SIZE_CAP, type ClusteringScores, type SystemUnderTest, type F1Scores } from './evaluate.js';
export { readClustersFile } from './clusters-file.js';
export { loadGold } from './load.js';
export { evaluateCandidates, type CandidateScores } from './candidates-eval.js';
export { derivationPairs, type DerivationPair } from './derivations.js';
