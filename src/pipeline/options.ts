/**
 * The options of a build: every choice that shapes its result, saved with the build (versioned),
 * so that later commands (eval, train-relations, serve) read what a database was built with
 * instead of a second constant.
 */
import { totalmem } from 'node:os';
import type { TermListFormat } from '../lexicon/index.js';
import type { ClusterAlgorithm } from '../cluster/index.js';
import { DEFAULT_GATE, type BuildMode, type RelationLabel, type SplitConfig } from '../types.js';

export const STAGES = ['lexicon', 'terms', 'knowledge', 'lemmas', 'embed', 'candidates', 'evidence', 'relations', 'cluster'] as const;
export type Stage = (typeof STAGES)[number];

export type EmbedderChoice = { backend: 'builtin' } | { backend: 'transformers'; modelDir: string; prefix: string };

/** Version of the saved options' shape: readers of older builds know what to expect. */
export const BUILD_OPTIONS_VERSION = 1;

export { DEFAULT_GATE };

export interface BuildOptions {
  db: string;
  mode: BuildMode;
  split: SplitConfig;
  /** KeNet XML file (the lexicon and, for KeNet-vocabulary builds, the term list). */
  kenet: string;
  /** A term list; null: the lexicon's vocabulary. */
  terms: string | null;
  format?: TermListFormat;
  until: Stage;
  threads?: number;
  /**
   * Bytes the build may hold at once (memoryBudget: two thirds of the machine's memory unless
   * given). Work that could run beside a stage (the relations stage's preparation beside the
   * candidates search or the evidence rules) waits for a later stage, or its own, when the stages'
   * estimates say the two would not fit; the result is the same either way.
   */
  memoryBudget?: number;
  embedder: EmbedderChoice;
  candidates: { topK: number; minCosine: number };
  relations: {
    /** The user's labelled pairs (TSV term, related, label): training data and seeds. */
    pairs: string | null;
    gate: number;
    crossEncoder?: { modelDir: string; labels?: Record<string, RelationLabel> };
  };
  cluster: { algorithm: ClusterAlgorithm };
  /**
   * Independent knowledge (issue 11): the shipped sources used (dictionary languages and WordNet)
   * and the user's own dictionaries or thesauri (TSV). Absent in builds saved before it: the defaults.
   */
  knowledge?: { sources: readonly string[]; dictionaries: readonly string[] };
  /** Stages to run again even when their fingerprint says they are done (train-relations). */
  force?: readonly Stage[];
}

/** The build's memory budget: the option, else two thirds of the machine's memory (the rest is the page cache's and the system's). */
export function memoryBudget(options: Pick<BuildOptions, 'memoryBudget'>): number {
  return options.memoryBudget ?? Math.floor((totalmem() * 2) / 3);
}

/** A database's saved options (the latest build's), with the version they were saved under. */
export type SavedBuildOptions = Omit<BuildOptions, 'db' | 'force'> & { optionsVersion?: number };

/** The gate a build used: its saved options, else the default (a database from before options were saved). */
export function gateOf(saved: Partial<SavedBuildOptions> | null): number {
  const gate = saved?.relations?.gate;
  return typeof gate === 'number' ? gate : DEFAULT_GATE;
}
