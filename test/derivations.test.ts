import { describe, expect, it } from 'vitest';
import { buildGold, derivationPairs, DEFAULT_SPLIT, splitOf, type SplitConfig } from '../src/eval/index.js';
import type { KenetSynset } from '../src/lexicon/index.js';

function synset(id: string, words: string[], relations: [string, string][] = []): KenetSynset {
  return { id, pos: null, literals: words.map((w) => ({ norm: w, original: w, sense: null })), definition: null, examples: [], relations: relations.map(([type, target]) => ({ type, target })) };
}

describe('KeNet derivation pairs', () => {
  it('pairs the literals of derivation-related synsets once each, with their lexical split, leaving out pairs the gold labels', () => {
    const split: SplitConfig = DEFAULT_SPLIT;
    const synsets = [
      synset('s1', ['albenisiz', 'cazibesiz'], [['DERIVATION_RELATED', 's2']]),
      synset('s2', ['albenisizlik', 'cazibesiz'], [['DERIVATION_RELATED', 's1'], ['ANTONYM', 's3']]),
      synset('s3', ['albenili'], [['DERIVATION_RELATED', 's1'], ['ANTONYM', 's2']]),
      synset('s4', ['tezyif'], [['HYPERNYM', 's1']]),
    ];
    const gold = buildGold(synsets, { split, cohyponymCap: 100 });
    const pairs = derivationPairs(synsets, gold);
    const keys = pairs.map((p) => `${p.a}|${p.b}`).sort();
    // albenisiz/cazibesiz are synonyms (s1), albenili/cazibesiz antonyms (s3-s2): scored under their labels.
    expect(keys).toEqual(['albenili|albenisiz', 'albenisiz|albenisizlik']);
    for (const p of pairs) {
      expect(p.a < p.b).toBe(true);
      expect(p.split).toBe(splitOf(p.a, split) === splitOf(p.b, split) ? splitOf(p.a, split) : 'crossing');
    }
  });
});
