/** The embed stage's public surface: the Embedder contract and both backends. */
export { ModelError, type Embedder, type EmbedderBackend, type EmbedderInfo } from './types.js';
export { createTransformersEmbedder, inspectModelFolder, type TransformersEmbedderOptions } from './transformers.js';
export {
  BUILTIN_ARTIFACT,
  BuiltinEncoder,
  builtinKnownTermsOf,
  builtinModelArtifact,
  builtinModelFromArtifact,
  BUILTIN_KNOWN_TERMS_PARTS,
  createBuiltinEmbedder,
  DEFAULT_BUILTIN_CONFIG,
  tokenize,
  trainBuiltin,
  trainBuiltinEmbedder,
  trainBuiltinEmbedderInWorker,
  type BuiltinArtifact,
  type BuiltinConfig,
  type BuiltinModel,
  type BuiltinTrainingReport,
} from './builtin/index.js';
