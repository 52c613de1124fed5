/**
 * The seeded lexical split (docs/evaluation.md). A word's split depends only on the word and the
 * seed (a hash), so it is the same whatever vocabulary or order it is seen in. Dev and test words
 * are *held out*: a held-out build may not see anything KeNet says about them. The pipeline needs
 * it to hide them, evaluation to score them: it is domain knowledge, beside the domain types.
 */
import type { KenetSynset } from './lexicon/kenet.js';
import type { SplitConfig, SplitName } from './types.js';
import { hashUnit } from './util/random.js';
import { SynographError } from './errors.js';

export type { SplitConfig };

export const DEFAULT_SPLIT: SplitConfig = { seed: 42, train: 0.6, dev: 0.1 };

export type PairSplit = SplitName | 'crossing';

export function validateSplit(config: SplitConfig): SplitConfig {
  const { train, dev, seed } = config;
  if (!Number.isInteger(seed)) throw new SynographError('usage', `split seed must be an integer, got ${seed}`);
  if (!(train > 0 && dev >= 0 && train + dev < 1)) throw new SynographError('usage', `split shares must satisfy 0 < train, 0 <= dev, train + dev < 1 (got ${train}, ${dev})`);
  return config;
}

export function splitOf(word: string, config: SplitConfig): SplitName {
  const u = hashUnit(word, config.seed);
  if (u < config.train) return 'train';
  if (u < config.train + config.dev) return 'dev';
  return 'test';
}

export function isHeldOut(word: string, config: SplitConfig): boolean {
  return splitOf(word, config) !== 'train';
}

/** A pair belongs to a split only if both words do; otherwise it is crossing (dropped from every split). */
export function pairSplit(a: string, b: string, config: SplitConfig): PairSplit {
  const sa = splitOf(a, config);
  return sa === splitOf(b, config) ? sa : 'crossing';
}

/**
 * What a held-out build may see of a lexical resource: every synset holding a held-out word is
 * excluded whole (membership, definition, examples, relations), and so is every relation that
 * points at an excluded synset.
 */
export function visibleSynsets(synsets: readonly KenetSynset[], config: SplitConfig): { visible: KenetSynset[]; excluded: Set<string> } {
  const excluded = new Set<string>();
  for (const s of synsets) if (s.literals.some((l) => isHeldOut(l.norm, config))) excluded.add(s.id);
  const visible: KenetSynset[] = [];
  for (const s of synsets) {
    if (excluded.has(s.id)) continue;
    visible.push({ ...s, relations: s.relations.filter((r) => !excluded.has(r.target)) });
  }
  return { visible, excluded };
}
