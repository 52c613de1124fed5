/** Domain types shared by every stage. */

/** Row id of a term in the store. */
export type TermId = number;

/** A term after `normalizeTerm`: the identity used everywhere. */
export type NormalizedTerm = string;

/**
 * The paper's gate: a pair is a synonym edge only at P(synonym) >= 0.70. The one definition of
 * the default; a database's own gate is in its saved build options.
 */
export const DEFAULT_GATE = 0.7;

/** The three relations the discriminator distinguishes, as written in pair files. */
export type RelationLabel = 'synonym' | 'antonym' | 'co-hyponym';
export const RELATION_LABELS: readonly RelationLabel[] = ['synonym', 'antonym', 'co-hyponym'];

/** Lexical split of the vocabulary. */
export type SplitName = 'train' | 'dev' | 'test';
export const SPLIT_NAMES: readonly SplitName[] = ['train', 'dev', 'test'];

/** The seeded lexical split of the vocabulary: shares of train and dev; test takes the rest. */
export interface SplitConfig {
  seed: number;
  train: number;
  dev: number;
}

/** How a build may use KeNet: `holdout` hides everything about dev/test words, `full` uses all. */
export type BuildMode = 'holdout' | 'full';

/** One cluster of a clustering, as exported and scored (`{"id", "members"}` JSONL). */
export interface Cluster {
  id: string;
  members: NormalizedTerm[];
}

/** A weighted, undirected edge between two terms. */
export interface WeightedPair {
  a: NormalizedTerm;
  b: NormalizedTerm;
  weight: number;
}
