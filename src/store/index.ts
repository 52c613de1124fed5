export { openDb, migrate, getMeta, setMeta, StoreError, type Db, type OpenOptions } from './db.js';
export { MIGRATIONS, SCHEMA_VERSION } from './migrations.js';
export { ingestTerms, ingestLexicon, inTransaction, type IngestReport, type LexiconIngestReport } from './ingest.js';
export { storeGoldRelations } from './gold-relations.js';
export { fillLemmas, type LemmaStageReport } from './lemmas.js';
export { startBuild, finishBuild, runStage, latestBuild, buildIdentity, claimBuildMode, codeVersion, type BuildIdentity, type StageRecord } from './builds.js';
export { saveArtifact, loadArtifact, float32Of, type Artifact } from './artifacts.js';
export { writeEmbeddings, readEmbeddings, clearEmbeddings } from './embeddings.js';
