/**
 * The builtin embedder's model as stored with the build (the `embedder/builtin` artifact): the
 * embed stage saves it, the relations stage reloads it to embed words outside the term list and
 * to tell which terms the embedder knows. The encoding of the parts is src/embed/builtin's.
 */
import { BUILTIN_ARTIFACT, BUILTIN_KNOWN_TERMS_PARTS, builtinKnownTermsOf, builtinModelArtifact, builtinModelFromArtifact, ModelError, type BuiltinModel } from '../embed/index.js';
import { loadArtifact, loadArtifactParts, saveArtifact, type Db } from '../store/index.js';

export function saveBuiltinModel(db: Db, model: BuiltinModel): void {
  const { kind, meta, parts } = builtinModelArtifact(model);
  saveArtifact(db, BUILTIN_ARTIFACT, kind, meta, parts);
}

export function loadBuiltinModel(db: Db): BuiltinModel {
  const artifact = loadArtifact(db, BUILTIN_ARTIFACT);
  if (!artifact) throw new ModelError(db.name, 'no builtin embedder in this database (run `synograph build` first)');
  return builtinModelFromArtifact(artifact, db.name);
}

/**
 * For a database embedded by the builtin embedder, which terms it knows from its training text;
 * null for any other embedder (a transformer has no out-of-vocabulary words). Reads only the
 * vocabulary and word vectors, not the n-gram table.
 */
export function builtinKnownTerms(db: Db): ((term: string) => boolean) | null {
  const artifact = loadArtifactParts(db, BUILTIN_ARTIFACT, BUILTIN_KNOWN_TERMS_PARTS);
  return artifact ? builtinKnownTermsOf(artifact) : null;
}
