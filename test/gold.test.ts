import { describe, it, expect } from 'vitest';
import { buildGold, summarizeGold, splitOf, pairSplit, visibleSynsets, isHeldOut, DEFAULT_SPLIT, type SplitConfig } from '../src/eval/index.js';
import type { KenetSynset } from '../src/lexicon/index.js';

function synset(id: string, words: string[], relations: [string, string][] = []): KenetSynset {
  return { id, pos: 'n', literals: words.map((w) => ({ norm: w, original: w, sense: 1 })), definition: `def ${id}`, examples: [], relations: relations.map(([type, target]) => ({ type, target })) };
}

describe('lexical split', () => {
  const words = Array.from({ length: 20_000 }, (_, i) => `kelime${i}`);

  it('puts every word in exactly one split, near the requested shares, the same way every time', () => {
    const counts = { train: 0, dev: 0, test: 0 };
    for (const w of words) counts[splitOf(w, DEFAULT_SPLIT)]++;
    expect(counts.train + counts.dev + counts.test).toBe(words.length);
    expect(counts.train / words.length).toBeCloseTo(0.6, 1);
    expect(counts.dev / words.length).toBeCloseTo(0.1, 1);
    expect(counts.test / words.length).toBeCloseTo(0.3, 1);
    // Independent of order and of the rest of the vocabulary: a word's split is a function of (word, seed).
    const reversed = [...words].reverse().map((w) => splitOf(w, DEFAULT_SPLIT)).reverse();
    expect(reversed).toEqual(words.map((w) => splitOf(w, DEFAULT_SPLIT)));
  });

  it('another seed gives another split', () => {
    const other: SplitConfig = { ...DEFAULT_SPLIT, seed: 7 };
    const moved = words.filter((w) => splitOf(w, other) !== splitOf(w, DEFAULT_SPLIT)).length;
    expect(moved).toBeGreaterThan(words.length * 0.3);
  });

  it('a pair is in a split only if both words are; otherwise crossing', () => {
    const [a, b] = words.filter((w) => splitOf(w, DEFAULT_SPLIT) === 'test');
    const t = words.find((w) => splitOf(w, DEFAULT_SPLIT) === 'train') as string;
    expect(pairSplit(a, b, DEFAULT_SPLIT)).toBe('test');
    expect(pairSplit(a, t, DEFAULT_SPLIT)).toBe('crossing');
  });
});

describe('held-out visibility', () => {
  it('excludes whole synsets holding a held-out word, and relations pointing at them', () => {
    const train = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'j', 'k', 'l', 'm'].map((x) => `w${x}`).filter((w) => !isHeldOut(w, DEFAULT_SPLIT));
    const held = ['n', 'o', 'p', 'q', 'r', 's', 't', 'u', 'v', 'x'].map((x) => `w${x}`).filter((w) => isHeldOut(w, DEFAULT_SPLIT));
    expect(train.length).toBeGreaterThanOrEqual(3);
    expect(held.length).toBeGreaterThanOrEqual(1);
    const synsets = [
      synset('S1', [train[0], train[1]], [['HYPERNYM', 'S3'], ['ANTONYM', 'S2']]),
      synset('S2', [train[2], held[0]], [['ANTONYM', 'S1']]),
      synset('S3', [train[2]]),
    ];
    const { visible, excluded } = visibleSynsets(synsets, DEFAULT_SPLIT);
    expect([...excluded]).toEqual(['S2']);
    expect(visible.map((s) => s.id)).toEqual(['S1', 'S3']);
    expect(visible[0].relations).toEqual([{ type: 'HYPERNYM', target: 'S3' }]);
  });
});

describe('gold pairs', () => {
  // Hypernym H with children C1 {x, y}, C2 {z}, C3 {w}; C1 antonym of C2; C4 is a synset of y and z
  // (polysemy: y-z are synonyms there, which outranks their co-hyponym and antonym relations).
  const synsets = [
    synset('H', ['üst']),
    synset('C1', ['x', 'y'], [['HYPERNYM', 'H'], ['ANTONYM', 'C2']]),
    synset('C2', ['z'], [['HYPERNYM', 'H'], ['ANTONYM', 'C1']]),
    synset('C3', ['w'], [['HYPERNYM', 'H']]),
    synset('C4', ['y', 'z']),
  ];

  it('labels each pair once: synonym over antonym over co-hyponym', () => {
    const gold = buildGold(synsets, { split: DEFAULT_SPLIT, cohyponymCap: 100 });
    const labelled = gold.pairs.map((p) => `${p.a}-${p.b}:${p.label}`).sort();
    // synonyms: x-y (C1), y-z (C4); antonyms C1 x C2: x-z (y-z is a synonym); co-hyponyms across
    // C1, C2, C3: x-w, y-w, z-w (x-z antonym, y-z synonym, x-y synonym).
    expect(labelled).toEqual(['w-x:co-hyponym', 'w-y:co-hyponym', 'w-z:co-hyponym', 'x-y:synonym', 'x-z:antonym', 'y-z:synonym']);
    expect(gold.synsets.map((s) => s.id)).toEqual(['C1', 'C4']);
    expect([...gold.polysemous].sort()).toEqual(['y', 'z']);
  });

  it('caps co-hyponym pairs per hypernym with a seeded sample', () => {
    const kids = Array.from({ length: 40 }, (_, i) => synset(`K${i}`, [`k${i}`], [['HYPERNYM', 'H']]));
    const a = buildGold([synset('H', ['kök']), ...kids], { split: DEFAULT_SPLIT, cohyponymCap: 25 });
    const b = buildGold([synset('H', ['kök']), ...kids], { split: DEFAULT_SPLIT, cohyponymCap: 25 });
    expect(a.pairs.filter((p) => p.label === 'co-hyponym')).toHaveLength(25);
    expect(a.pairs).toEqual(b.pairs);
    const summary = summarizeGold(a, (w) => splitOf(w, DEFAULT_SPLIT));
    const bySplit = summary.split.train.cohyponym + summary.split.dev.cohyponym + summary.split.test.cohyponym + summary.split.crossing.cohyponym;
    expect(bySplit).toBe(25);
  });
});
