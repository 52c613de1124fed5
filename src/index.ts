/**
 * synograph as a library: build a database, open it for lookups and query expansion, cluster
 * your own scored pairs, evaluate. The command line is one client of this API.
 *
 *   import { buildDatabase, openDatabase } from 'synograph';
 *   await buildDatabase({ db: 'synonyms.db', terms: 'my-terms.txt' });
 *   const db = openDatabase('synonyms.db');
 *   db.expandQuery('siyah okul çantası');
 */
export { buildDatabase, buildOptions, type BuildRequest } from './methods/build.js';
export { openDatabase, type SynographDatabase } from './methods/open.js';
export { clusterEdges, type ScoredPair, type ClusterEdgesOptions } from './methods/cluster.js';
export { evaluateDatabase, evaluateKept, evaluateClusters, type DatabaseEvaluation, type ClusteringEvaluation, type EvaluateDatabaseOptions, type HeldOutSplit, type BuildSummary } from './methods/evaluate.js';
export { STAGES, DEFAULT_GATE, type BuildOptions, type BuildReport, type BuildHooks, type StageReport, type Progress, type EmbedderChoice, type Stage } from './pipeline/index.js';
export type { TermAnswer, ClusterAnswer, SenseAnswer, AntonymAnswer, EdgeAnswer, RelationAnswer, Member, Expansion, ExpandResult, ExpandOptions, Neighbourhood, GraphNode, GraphEdge, NeighbourhoodOptions } from './serve/index.js';
export { createServer, openService, exportDatabase, EXPORT_FORMATS, type ExportFormat } from './serve/index.js';
export { CLUSTER_ALGORITHMS, type ClusterAlgorithm } from './cluster/index.js';
export { normalizeTerm } from './lexicon/index.js';
export { SynographError, InputError, StoreError, ModelError, UsageError, QueryInputError, EXIT_STATUS, type ErrorCode } from './errors.js';
export type { Cluster, RelationLabel, BuildMode, SplitConfig, WeightedPair } from './types.js';
