/**
 * Derivation pairs from KeNet: literals of two synsets joined by DERIVATION_RELATED
 * (`albenisiz` / `albenisizlik`, `tezyif` / `tezyif etmek`, `su` / `sulamak`). They are related
 * words, never synonyms by EVALUATION.md's judging rules, and the discriminator's most common
 * error on a full build; `eval --db` reports how many of the held-out ones it keeps as synonyms.
 */
import type { KenetSynset } from '../lexicon/kenet.js';
import type { Gold } from './gold.js';
import { pairKey } from './metrics.js';
import { pairSplit, type PairSplit } from './split.js';

export interface DerivationPair {
  a: string;
  b: string;
  split: PairSplit;
}

/**
 * Unordered literal pairs (a < b) of DERIVATION_RELATED synsets, with their lexical split. A pair
 * the gold labels (synonym, antonym or co-hyponym) is left out: it is scored under its label.
 */
export function derivationPairs(synsets: readonly KenetSynset[], gold: Gold): DerivationPair[] {
  const literals = new Map<string, string[]>();
  for (const s of synsets) literals.set(s.id, [...new Set(s.literals.map((l) => l.norm))]);
  const labelled = new Set(gold.pairs.map((p) => pairKey(p.a, p.b)));
  const seen = new Set<string>();
  const out: DerivationPair[] = [];
  for (const s of synsets) {
    for (const r of s.relations) {
      if (r.type !== 'DERIVATION_RELATED') continue;
      const other = literals.get(r.target);
      if (!other) continue;
      for (const x of literals.get(s.id) ?? []) {
        for (const y of other) {
          if (x === y) continue;
          const key = pairKey(x, y);
          if (seen.has(key) || labelled.has(key)) continue;
          seen.add(key);
          const [a, b] = x < y ? [x, y] : [y, x];
          out.push({ a, b, split: pairSplit(a, b, gold.options.split) });
        }
      }
    }
  }
  return out;
}
