import { describe, it, expect } from 'vitest';
import { evaluateClusterings } from '../src/eval/evaluate.js';
import type { Gold } from '../src/eval/gold.js';
import { DEFAULT_SPLIT } from '../src/eval/split.js';

/*
 * Gold synsets G1 = {a, b, c} and G2 = {d, e, f}, all six words held out; a and d are antonyms,
 * c is polysemous. Gold pairs in L: ab, ac, bc, de, df, ef (6).
 */
const gold: Gold = {
  options: { split: DEFAULT_SPLIT, cohyponymCap: 100 },
  synsets: [
    { id: 'g1', members: ['a', 'b', 'c'] },
    { id: 'g2', members: ['d', 'e', 'f'] },
  ],
  pairs: [{ a: 'a', b: 'd', label: 'antonym', split: 'test' }],
  vocabulary: new Set(['a', 'b', 'c', 'd', 'e', 'f']),
  polysemous: new Set(['c']),
};
const testWords = new Set(['a', 'b', 'c', 'd', 'e', 'f', 'z']);

describe('evaluateClusterings', () => {
  it('scores a cautious system on every held-out gold word: clustering two of six is not F1 = 1', () => {
    const { lexiconSize, scores } = evaluateClusterings(
      [
        { name: 'cautious', clusters: [{ id: '1', members: ['a', 'b'] }] },
        { name: 'bold', clusters: [{ id: '1', members: ['a', 'b', 'c', 'd', 'e', 'f'] }] },
      ],
      gold,
      { testWords },
    );
    // L = held-out ∩ gold words: z is no gold word; no system shrinks L to what it clustered.
    expect(lexiconSize).toBe(6);
    const c = scores.cautious;
    expect(c.lexiconSize).toBe(6);
    expect([c.tp, c.fp, c.fn]).toEqual([1, 0, 5]);
    expect(c.precision).toBe(1);
    expect(c.recall).toBeCloseTo(1 / 6, 12);
    expect(c.pairedF1).toBeCloseTo(2 / 7, 12);
    expect(c.coverage).toBeCloseTo(2 / 6, 12);
    expect(c.coverageDetail).toEqual({ clustered: 2, lexicon: 6 });
    // The four words it left alone are its singletons: purity's denominator is all of L.
    expect(c.purity.nmPU).toBeCloseTo(2 / 6, 12);
    const b = scores.bold;
    expect([b.tp, b.fp, b.fn]).toEqual([6, 9, 0]);
    expect(b.pairedF1).toBeCloseTo((2 * 0.4) / 1.4, 12);
    expect(b.coverage).toBe(1);
    expect(b.antonymIntrusion).toBe(1);
    expect(c.antonymIntrusion).toBe(0);
  });

  it('bounds the lexicon by the vocabulary the systems were given', () => {
    const { lexiconSize, scores } = evaluateClusterings([{ name: 's', clusters: [] }], gold, { testWords, vocabulary: new Set(['a', 'b', 'e']) });
    expect(lexiconSize).toBe(3);
    expect(scores.s.recall).toBe(0);
    expect(scores.s.coverage).toBe(0);
  });

  it('scores senses apart from primary clusters, and counts an antonym pair sharing any sense cluster as intrusion', () => {
    const { scores } = evaluateClusterings(
      [
        {
          name: 'senses',
          clusters: [{ id: '1', members: ['a', 'b'] }, { id: '2', members: ['e', 'f'] }],
          senses: [{ id: '1', members: ['a', 'b'] }, { id: '2', members: ['e', 'f'] }, { id: '3', members: ['a', 'c', 'd'] }],
        },
      ],
      gold,
      { testWords },
    );
    const s = scores.senses;
    // Word level: ab, ef. Sense level adds ac, ad, cd (ac right, ad and cd wrong).
    expect([s.tp, s.fp, s.fn]).toEqual([2, 0, 4]);
    expect([s.senseLevel.tp, s.senseLevel.fp, s.senseLevel.fn]).toEqual([3, 2, 3]);
    expect(s.senseLevel.precision).toBeCloseTo(3 / 5, 12);
    // ac involves the polysemous c: it counts in the polysemous bucket of the sense level only.
    expect(s.senseLevel.byPolysemy.polysemous.goldPairs).toBe(2);
    expect(s.senseLevel.byPolysemy.polysemous.recall).toBeCloseTo(1 / 2, 12);
    expect(s.byPolysemy.polysemous.recall).toBe(0);
    expect(s.antonymIntrusion).toBe(1);
  });
});

describe('scores by pair shape', () => {
  it('split word-level pairs into single-single, single-phrase and phrase-phrase', () => {
    const phrases: Gold = {
      ...gold,
      synsets: [
        { id: 'g1', members: ['ev', 'konut', 'oturma yeri'] },
        { id: 'g2', members: ['iş kazası', 'çalışma kazası'] },
      ],
      vocabulary: new Set(['ev', 'konut', 'oturma yeri', 'iş kazası', 'çalışma kazası']),
      polysemous: new Set(),
    };
    const words = new Set(phrases.vocabulary);
    const { scores } = evaluateClusterings([{ name: 's', clusters: [{ id: '1', members: ['ev', 'konut', 'iş kazası'] }] }], phrases, { testWords: words });
    const shape = scores.s.byShape;
    // Gold: ev-konut (single), ev-oturma yeri, konut-oturma yeri (mixed), the two kazası (phrases).
    expect(shape.singleSingle).toMatchObject({ goldPairs: 1, systemPairs: 1, precision: 1, recall: 1 });
    expect(shape.singlePhrase).toMatchObject({ goldPairs: 2, systemPairs: 2, precision: 0, recall: 0 });
    expect(shape.phrasePhrase).toMatchObject({ goldPairs: 1, systemPairs: 0, recall: 0 });
  });
});
