/**
 * Clustering stage (Tosun et al. 2026, stages 5-7): the public surface. Pure code over typed
 * arrays: the pipeline's cluster stage reads the graph from the store and writes the result.
 */
export { clusterGraph, type ClusterOptions } from './algorithms.js';
export { buildCsr, buildGraph, degree, edgeArrays, edgeList, edgeWeight, findInRow } from './graph.js';
export type { BuildGraphOptions, Csr, EdgeChunk, EdgeSource, Offsets, SynonymGraph } from './graph.js';
export { edgeOrder, sortEdgesByConfidence } from './order.js';
export type { ChunkedEdgeOrder, EdgeOrder } from './order.js';
export { CLUSTER_ALGORITHMS, clusterMembers } from './result.js';
export type { Alternatives, ClusterAlgorithm, ClusteringResult, NodeVectors } from './result.js';
export { matrixVectors } from './result.js';
export { SYNOGRAPH_DEFAULTS } from './synograph.js';
export type { SynographOptions, SynographPhase } from './synograph.js';
export { LOUVAIN_MAX_EDGES } from './baselines.js';

export { CLUSTER_STAGE_VERSION, clusterSenses, namedClusters, type TermGraph, type SenseClusteringRun } from './run.js';
export { buildSenseGraph, wordClustering, senseVectors, UNNUMBERED, type SenseGraph, type SenseInventory, type SenseGraphStats, type WordClustering } from './senses.js';
export { familyHeads, contractFamilies, mergeInventory, expandFamilies, type FamilyPairs } from './families.js';
