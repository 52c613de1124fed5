import { describe, it, expect } from 'vitest';
import type { Cluster, RelationLabel } from '../src/types.js';
import {
  pairKey,
  clusterPairs,
  pairedScores,
  purity,
  intrusion,
  sizeHistogram,
  coverage,
  evaluationLexicon,
  lexiconCoverage,
  classifierReport,
} from '../src/eval/metrics.js';

/*
 * Shared hand-worked example.
 *
 * Gold synsets (overlapping: c is in G1 and G3):
 *   G1 = {a, b, c}   G2 = {d, e}   G3 = {c, f}
 * System clusters (x is not in the lexicon, g is a singleton):
 *   S1 = {a, b, d, x}   S2 = {c, e, f}   S3 = {g}
 * Lexicon L = {a, b, c, d, e, f, g}.
 *
 * Gold pairs G   = {ab, ac, bc, de, cf}                   |G| = 5
 * System pairs S = {ab, ad, bd} ∪ {ce, cf, ef} ∪ {}        |S| = 6  (pairs with x are outside L)
 * TP = S ∩ G = {ab, cf} = 2, FP = 6 - 2 = 4, FN = 5 - 2 = 3
 * P = 2/6 = 1/3, R = 2/5, F1 = 2·(1/3)(2/5) / (1/3 + 2/5) = (4/15)/(11/15) = 4/11
 *
 * Size cap 3: S1 has 4 members before the lexicon restriction -> dropped (although only 3 of
 * them are in L). Gold clusters are all <= 3 and stay.
 *   S = {ce, cf, ef} (3), TP = {cf} = 1, FP = 2, FN = 4
 *   P = 1/3, R = 1/5, F1 = 2·(1/15)/(8/15) = 1/4
 */
const gold: Cluster[] = [
  { id: 'g1', members: ['a', 'b', 'c'] },
  { id: 'g2', members: ['d', 'e'] },
  { id: 'g3', members: ['c', 'f'] },
];
const system: Cluster[] = [
  { id: 's1', members: ['a', 'b', 'd', 'x'] },
  { id: 's2', members: ['c', 'e', 'f'] },
  { id: 's3', members: ['g'] },
];
const lexicon = new Set(['a', 'b', 'c', 'd', 'e', 'f', 'g']);

describe('pairKey', () => {
  it('is canonical and unordered', () => {
    expect(pairKey('b', 'a')).toBe('a\u0000b');
    expect(pairKey('a', 'b')).toBe('a\u0000b');
    // plain code-unit order: 'z' (U+007A) < 'ç' (U+00E7)
    expect(pairKey('ç', 'z')).toBe('z\u0000ç');
  });
});

describe('clusterPairs', () => {
  it('restricts to the lexicon and unions overlapping clusters', () => {
    const g = clusterPairs(gold, lexicon);
    expect([...g].sort()).toEqual(
      [pairKey('a', 'b'), pairKey('a', 'c'), pairKey('b', 'c'), pairKey('d', 'e'), pairKey('c', 'f')].sort(),
    );
    const s = clusterPairs(system, lexicon);
    expect(s.size).toBe(6);
    expect(s.has(pairKey('a', 'x'))).toBe(false);
  });

  it('counts the same pair from two overlapping clusters once', () => {
    const overlapping: Cluster[] = [
      { id: '1', members: ['a', 'b', 'c'] },
      { id: '2', members: ['b', 'c', 'd'] },
    ];
    // {ab, ac, bc} ∪ {bc, bd, cd} = 5 pairs
    expect(clusterPairs(overlapping, new Set(['a', 'b', 'c', 'd'])).size).toBe(5);
  });

  it('drops clusters larger than the cap, counted before the lexicon restriction', () => {
    const s = clusterPairs(system, lexicon, 3);
    expect([...s].sort()).toEqual([pairKey('c', 'e'), pairKey('c', 'f'), pairKey('e', 'f')].sort());
    // a cap equal to the size keeps the cluster
    expect(clusterPairs(system, lexicon, 4).size).toBe(6);
  });
});

describe('pairedScores', () => {
  it('matches the hand-worked example', () => {
    const r = pairedScores(system, gold, lexicon);
    expect(r.tp).toBe(2);
    expect(r.fp).toBe(4);
    expect(r.fn).toBe(3);
    expect(r.systemPairs).toBe(6);
    expect(r.goldPairs).toBe(5);
    expect(r.precision).toBeCloseTo(1 / 3, 12);
    expect(r.recall).toBeCloseTo(2 / 5, 12);
    expect(r.pairedF1).toBeCloseTo(4 / 11, 12);
  });

  it('applies the size cap', () => {
    const r = pairedScores(system, gold, lexicon, 3);
    expect([r.tp, r.fp, r.fn, r.systemPairs, r.goldPairs]).toEqual([1, 2, 4, 3, 5]);
    expect(r.precision).toBeCloseTo(1 / 3, 12);
    expect(r.recall).toBeCloseTo(1 / 5, 12);
    expect(r.pairedF1).toBeCloseTo(1 / 4, 12);
  });

  it('defines 0/0 as 0', () => {
    const r = pairedScores([], gold, lexicon);
    expect(r).toEqual({ precision: 0, recall: 0, pairedF1: 0, tp: 0, fp: 0, fn: 5, systemPairs: 0, goldPairs: 5 });
    const empty = pairedScores(system, gold, new Set());
    expect([empty.precision, empty.recall, empty.pairedF1]).toEqual([0, 0, 0]);
  });
});

describe('purity', () => {
  /*
   * Restricted to L: S1' = {a,b,d}, S2' = {c,e,f}, S3' = {g}; N_s = |{a,b,c,d,e,f,g}| = 7.
   * Gold unchanged; N_g = |{a,b,c,d,e,f}| = 6.
   * nmPU numerator (singleton S3' excluded):
   *   S1': max(|∩G1|=2, |∩G2|=1, |∩G3|=0) = 2;  S2': max(1, 1, 2) = 2   -> 4, nmPU = 4/7
   * niPU numerator:
   *   G1: max(|∩S1'|=2, |∩S2'|=1, 0) = 2;  G2 {d,e}: max(1, 1, 0) = 1;  G3 {c,f}: max(0, 2, 0) = 2  -> 5
   *   niPU = 5/6
   * F1 = 2·(4/7)(5/6) / (4/7 + 5/6) = (40/42) / (59/42) = 40/59
   */
  it('matches the hand-worked example', () => {
    const r = purity(system, gold, lexicon);
    expect(r.nmPU).toBeCloseTo(4 / 7, 12);
    expect(r.niPU).toBeCloseTo(5 / 6, 12);
    expect(r.f1).toBeCloseTo(40 / 59, 12);
  });

  it('is 1/1 for a clustering identical to a non-overlapping gold', () => {
    const g: Cluster[] = [
      { id: '1', members: ['a', 'b'] },
      { id: '2', members: ['c', 'd', 'e'] },
    ];
    expect(purity(g, g, lexicon)).toEqual({ nmPU: 1, niPU: 1, f1: 1 });
  });

  it('gives 0 on an empty lexicon', () => {
    expect(purity(system, gold, new Set())).toEqual({ nmPU: 0, niPU: 0, f1: 0 });
  });
});

describe('intrusion', () => {
  /*
   * [a,d]: both in S1 -> intruded.      [e,c]: both in S2 -> intruded.
   * [a,e]: S1 vs S2 -> not.             [b,g]: S1 vs S3 -> not.
   * [d,a]: duplicate of {a,d} -> ignored.  [a,x]: x not in L -> ignored.  [g,g]: self pair -> ignored.
   * pairs = 4, intruded = 2, rate = 0.5
   */
  it('matches the hand-worked example', () => {
    const pairs: [string, string][] = [
      ['a', 'd'],
      ['e', 'c'],
      ['a', 'e'],
      ['b', 'g'],
      ['d', 'a'],
      ['a', 'x'],
      ['g', 'g'],
    ];
    expect(intrusion(system, pairs, lexicon)).toEqual({ pairs: 4, intruded: 2, rate: 0.5 });
  });

  it('needs one common cluster, not a chain of overlapping ones', () => {
    const overlapping: Cluster[] = [
      { id: '1', members: ['p', 'q'] },
      { id: '2', members: ['q', 'r'] },
    ];
    const lex = new Set(['p', 'q', 'r']);
    // (p, r) share no cluster; (q, r) share cluster 2 -> 1 of 2
    expect(intrusion(overlapping, [['p', 'r'], ['q', 'r']], lex)).toEqual({ pairs: 2, intruded: 1, rate: 0.5 });
  });

  it('rate is 0 when no pair is in the lexicon', () => {
    expect(intrusion(system, [['x', 'y']], lexicon)).toEqual({ pairs: 0, intruded: 0, rate: 0 });
  });
});

describe('sizeHistogram', () => {
  it('buckets every boundary', () => {
    const sizes = [1, 2, 3, 5, 6, 10, 11, 20, 21, 50, 51, 150, 151, 0];
    const clusters: Cluster[] = sizes.map((n, i) => ({
      id: `c${i}`,
      members: Array.from({ length: n }, (_v, k) => `w${i}_${k}`),
    }));
    // empty cluster (size 0) is not counted
    expect(sizeHistogram(clusters)).toEqual({
      '1': 1,
      '2': 1,
      '3-5': 2,
      '6-10': 2,
      '11-20': 2,
      '21-50': 2,
      '51-150': 2,
      '>150': 1,
    });
  });
});

describe('coverage', () => {
  /*
   * Clusters of >= 2 members: S1 {a,b,d,x}, S2 {c,e,f} -> 7 clustered terms, 2 clusters.
   * Vocabulary 10 -> coverage 0.7, 3 terms left alone (g is one of them).
   */
  it('matches the hand-worked example', () => {
    expect(coverage(system, 10)).toEqual({ clusteredTerms: 7, terms: 10, coverage: 0.7, singletons: 3, clusters: 2 });
  });

  it('is 0 on an empty vocabulary', () => {
    expect(coverage([], 0)).toEqual({ clusteredTerms: 0, terms: 0, coverage: 0, singletons: 0, clusters: 0 });
  });
});

describe('evaluationLexicon', () => {
  const heldOut = new Set(['a', 'b', 'c', 'd', 'e', 'g', 'h']);
  const goldWords = new Set(['a', 'b', 'c', 'd', 'e', 'f']);

  it('is held-out ∩ gold, whatever any system clustered', () => {
    expect([...evaluationLexicon(heldOut, goldWords)].sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('is bounded by the vocabulary a build clustered', () => {
    expect([...evaluationLexicon(heldOut, goldWords, new Set(['a', 'c', 'e', 'z']))].sort()).toEqual(['a', 'c', 'e']);
  });
});

describe('lexiconCoverage', () => {
  it('counts lexicon words in clusters of two or more, singletons and outside words aside', () => {
    // S1 {a,b,d,x} and S2 {c,e,f} hold a, b, c, d, e, f of L; g sits alone in S3.
    expect(lexiconCoverage(system, lexicon)).toEqual({ clustered: 6, lexicon: 7, coverage: 6 / 7 });
    expect(lexiconCoverage([], lexicon)).toEqual({ clustered: 0, lexicon: 7, coverage: 0 });
  });
});

describe('classifierReport', () => {
  /*
   * Confusion (rows gold, cols predicted; order synonym, antonym, co-hyponym):
   *   synonym    [3, 1, 0]   support 4
   *   antonym    [2, 1, 0]   support 3
   *   co-hyponym [1, 0, 2]   support 3
   * column sums: 6, 2, 2
   * synonym:    P = 3/6 = 0.5, R = 3/4, F1 = 2·0.375/1.25 = 0.6
   * antonym:    P = 1/2,       R = 1/3, F1 = 2·(1/6)/(5/6) = 0.4
   * co-hyponym: P = 2/2 = 1,   R = 2/3, F1 = 2·(2/3)/(5/3) = 0.8
   * macro-F1 = (0.6 + 0.4 + 0.8)/3 = 0.6; accuracy = (3+1+2)/10 = 0.6
   * synonym->antonym = 1, antonym->synonym = 2
   */
  const S: RelationLabel = 'synonym';
  const A: RelationLabel = 'antonym';
  const C: RelationLabel = 'co-hyponym';
  const goldLabels = [S, S, S, S, A, A, A, C, C, C];
  const predicted = [S, A, S, S, S, A, S, C, S, C];

  it('matches the hand-made confusion', () => {
    const r = classifierReport(goldLabels, predicted);
    expect(r.confusion).toEqual({
      labels: ['synonym', 'antonym', 'co-hyponym'],
      matrix: [
        [3, 1, 0],
        [2, 1, 0],
        [1, 0, 2],
      ],
    });
    expect(r.perClass.synonym.precision).toBeCloseTo(0.5, 12);
    expect(r.perClass.synonym.recall).toBeCloseTo(0.75, 12);
    expect(r.perClass.synonym.f1).toBeCloseTo(0.6, 12);
    expect(r.perClass.synonym.support).toBe(4);
    expect(r.perClass.antonym.precision).toBeCloseTo(0.5, 12);
    expect(r.perClass.antonym.recall).toBeCloseTo(1 / 3, 12);
    expect(r.perClass.antonym.f1).toBeCloseTo(0.4, 12);
    expect(r.perClass.antonym.support).toBe(3);
    expect(r.perClass.cohyponym.precision).toBeCloseTo(1, 12);
    expect(r.perClass.cohyponym.recall).toBeCloseTo(2 / 3, 12);
    expect(r.perClass.cohyponym.f1).toBeCloseTo(0.8, 12);
    expect(r.perClass.cohyponym.support).toBe(3);
    expect(r.macroF1).toBeCloseTo(0.6, 12);
    expect(r.accuracy).toBeCloseTo(0.6, 12);
    expect(r.synonymAntonymConfusion).toEqual({ synonymAsAntonym: 1, antonymAsSynonym: 2 });
  });

  it('follows the given label order in the confusion matrix', () => {
    const r = classifierReport(goldLabels, predicted, [C, A, S]);
    expect(r.confusion.matrix).toEqual([
      [2, 0, 1],
      [0, 1, 2],
      [0, 1, 3],
    ]);
    expect(r.synonymAntonymConfusion).toEqual({ synonymAsAntonym: 1, antonymAsSynonym: 2 });
  });

  it('gives 0 precision to a class never predicted', () => {
    const r = classifierReport([S, A], [S, S]);
    expect(r.perClass.antonym).toEqual({ precision: 0, recall: 0, f1: 0, support: 1 });
    // synonym: P = 1/2, R = 1, F1 = 2/3; co-hyponym: all 0 -> macro = (2/3)/3 = 2/9
    expect(r.macroF1).toBeCloseTo(2 / 9, 12);
    expect(r.accuracy).toBe(0.5);
  });

  it('throws on length mismatch', () => {
    expect(() => classifierReport([S, A], [S])).toThrow(/gold has 2 labels but predicted has 1/);
  });
});
