/** The build pipeline: the stage table, runBuild, and the options a build saves. */
export { runBuild, type BuildReport, type BuildHooks, type StageReport } from './run.js';
export { STAGES, BUILD_OPTIONS_VERSION, DEFAULT_GATE, gateOf, type BuildOptions, type SavedBuildOptions, type EmbedderChoice, type Stage } from './options.js';
export { STAGE_TABLE } from './table.js';
export { SILENT_PROGRESS, type BuildContext, type BuildSize, type Progress, type StageDefinition } from './stage.js';
export { loadTermGraph, loadSenseInventory, nodeNorms, runClusterStage, storeClustering, type ClusterStageReport } from './stages/cluster.js';
export { runRelationsStage, type RelationsStageOptions, type RelationsStageReport } from './stages/relations-run.js';
export { loadTermTable, storedWordPairs, type TermTableOptions } from './term-table.js';
export { storedTrainingSource } from './training-source.js';
export { saveBuiltinModel, loadBuiltinModel, builtinKnownTerms } from './builtin-model.js';
export { builtinCacheDir, CACHE_ENTRIES } from './embedder-cache.js';
