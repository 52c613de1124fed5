/**
 * Building a database as a library call: the options a caller gives, with every other choice at
 * its default, run through the pipeline. `synograph build` is a client of this.
 */
import { resolve } from 'node:path';
import { kenetPath, type TermListFormat } from '../lexicon/index.js';
import { DEFAULT_KNOWLEDGE_SOURCES } from '../lexicon/dictionaries.js';
import { DEFAULT_SPLIT } from '../split.js';
import { DEFAULT_GATE, runBuild, type BuildHooks, type BuildOptions, type BuildReport, type EmbedderChoice, type Stage } from '../pipeline/index.js';
import type { ClusterAlgorithm } from '../cluster/index.js';
import type { RelationLabel } from '../types.js';

export interface BuildRequest {
  /** The database file (created when missing; a build resumes what an earlier one left done). */
  db: string;
  /** A term list (txt, TSV with a `term` column, JSONL); absent: the lexicon's vocabulary. */
  terms?: string | null;
  format?: TermListFormat;
  /** An evaluation build: dev and test words held out of everything (docs/evaluation.md). */
  holdout?: boolean;
  seed?: number;
  /** Stop after this stage (default: cluster, the last). */
  until?: Stage;
  /** A KeNet-format XML file (default: the one nlptoolkit-wordnet ships). */
  kenet?: string;
  threads?: number;
  /** Bytes the build may hold at once (default: two thirds of the machine's memory; BuildOptions.memoryBudget). */
  memoryBudget?: number;
  embedder?: EmbedderChoice;
  candidates?: { topK?: number; minCosine?: number };
  relations?: { pairs?: string | null; gate?: number; crossEncoder?: { modelDir: string; labels?: Record<string, RelationLabel> } };
  cluster?: { algorithm?: ClusterAlgorithm };
  /** Independent knowledge: shipped sources to use (default DEFAULT_KNOWLEDGE_SOURCES) and your own dictionaries (TSV). */
  knowledge?: { sources?: readonly string[]; dictionaries?: readonly string[] };
}

/**
 * Cosine a candidate pair needs, by embedder, when the request gives none. The paper's 0.70 is on
 * e5's scale. The builtin embedder's n-gram vectors have their common directions taken out
 * (ngramCommonDirections), which lowers every cosine: on the dev split (probe-builtin.js
 * --min-cosines) 0.60 keeps 1.87M pairs with synonym recall 0.135, where the space before at 0.70
 * kept 2.13M with 0.131 (0.55: 2.82M, 0.154; 0.70 now: 0.74M, 0.096).
 */
export const DEFAULT_MIN_COSINE: Record<EmbedderChoice['backend'], number> = { builtin: 0.6, transformers: 0.7 };

/** The full options of a request: every choice not given at its default, paths resolved. */
export function buildOptions(request: BuildRequest): BuildOptions {
  const embedder = request.embedder ?? { backend: 'builtin' };
  return {
    db: resolve(request.db),
    mode: request.holdout ? 'holdout' : 'full',
    split: { ...DEFAULT_SPLIT, seed: request.seed ?? DEFAULT_SPLIT.seed },
    kenet: resolve(request.kenet ?? kenetPath()),
    terms: request.terms ? resolve(request.terms) : null,
    format: request.format,
    until: request.until ?? 'cluster',
    threads: request.threads,
    memoryBudget: request.memoryBudget,
    embedder,
    candidates: { topK: request.candidates?.topK ?? 100, minCosine: request.candidates?.minCosine ?? DEFAULT_MIN_COSINE[embedder.backend] },
    relations: { pairs: request.relations?.pairs ? resolve(request.relations.pairs) : null, gate: request.relations?.gate ?? DEFAULT_GATE, crossEncoder: request.relations?.crossEncoder },
    cluster: { algorithm: request.cluster?.algorithm ?? 'synograph' },
    knowledge: { sources: request.knowledge?.sources ?? DEFAULT_KNOWLEDGE_SOURCES, dictionaries: (request.knowledge?.dictionaries ?? []).map((f) => resolve(f)) },
  };
}

/** Builds (or resumes) a database; resolves with each stage's status, time and counts. */
export async function buildDatabase(request: BuildRequest, hooks: BuildHooks = {}): Promise<BuildReport> {
  return runBuild(buildOptions(request), hooks);
}
