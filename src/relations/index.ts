export { runRelationsStage, trainBuildModel, RELATIONS_ARTIFACT, type RelationsStageOptions, type RelationsStageReport } from './stage.js';
export { DEFAULT_GATE, gatedLabel, relatedOnly, LABEL_OF_CODE, type LabelCode } from './gate.js';
export { readLabelledPairs, type UserPair } from './pairs-file.js';
export { loadTermTable, termText, rowOfTerm, type TermTable } from './term-table.js';
export { featureLayout, CUE_NAMES, type FeatureGroup, type FeatureKind, type FeatureLayout } from './features.js';
export { MODEL_CLASSES, modelFromArtifact, modelArtifact, type RelationModel } from './model.js';
export { PairScorer } from './score.js';
export { trainRelationModel, type TrainReport, type LabelledMatrix } from './train.js';
export { createCrossEncoder, type CrossEncoder, type CrossEncoderOptions } from './cross-encoder.js';
