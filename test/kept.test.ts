import { describe, it, expect } from 'vitest';
import { keptKnowledge } from '../src/eval/kept.js';
import type { KenetSynset } from '../src/lexicon/kenet.js';

const synset = (id: string, words: [string, number][], relations: [string, string][] = []): KenetSynset => ({
  id,
  pos: 'n',
  literals: words.map(([w, sense]) => ({ norm: w, original: w, sense })),
  definition: null,
  examples: [],
  relations: relations.map(([type, target]) => ({ type, target })),
});

/*
 * S1 {siyah 1, kara 1}, S2 {kara 3, toprak 1}, S3 {yıl 2, sene 1}, S4 {ak 1} ANTONYM S1.
 * Pairs: siyah-kara (first sense of both), kara-toprak (kara's sense 3), sene-yıl (yıl's sense 2).
 */
const SYNSETS = [
  synset('S1', [['siyah', 1], ['kara', 1]]),
  synset('S2', [['kara', 3], ['toprak', 1]]),
  synset('S3', [['yıl', 2], ['sene', 1]]),
  synset('S4', [['ak', 1]], [['ANTONYM', 'S1']]),
  synset('S5', [['yıl', 1]]),
];
const TERMS = new Set(['siyah', 'kara', 'toprak', 'yıl', 'sene', 'ak']);

describe('keptKnowledge', () => {
  it('counts pairs sharing any cluster, a primary cluster, the pairs a primary cluster can hold, and first senses kept as primary', () => {
    const primary = [{ id: 'c1', members: ['siyah', 'kara'] }, { id: 'c2', members: ['toprak'] }, { id: 'c3', members: ['sene'] }, { id: 'c4', members: ['yıl'] }, { id: 'c5', members: ['ak'] }];
    // Sense level: kara is also in toprak's cluster (its sense 3), yıl in sene's (its sense 2).
    const any = [{ id: 'c1', members: ['siyah', 'kara'] }, { id: 'c2', members: ['toprak', 'kara'] }, { id: 'c3', members: ['sene', 'yıl'] }, { id: 'c4', members: ['yıl'] }, { id: 'c5', members: ['ak'] }];
    const k = keptKnowledge(SYNSETS, TERMS, primary, any);
    expect(k.synonymPairs).toBe(3);
    expect(k.anyCluster).toEqual({ pairs: 3, kept: 3, share: 1 });
    // Only siyah-kara can share a primary cluster: the others are synonyms through a later sense of one word.
    expect(k.primaryCluster).toEqual({ pairs: 3, kept: 1, share: 1 / 3 });
    expect(k.primaryReachable).toEqual({ pairs: 1, kept: 1, share: 1 });
    // kara (senses 1 and 3) and yıl (1 and 2) are polysemous; only kara's first sense has co-members.
    expect(k.firstSenseAsPrimary).toEqual({ pairs: 1, kept: 1, share: 1 });
    expect(k.antonymsSharingACluster).toEqual({ pairs: 2, kept: 0, share: 0 });
  });

  it('a clustering that mixes an antonym in, or splits a synset, is counted as such', () => {
    const mixed = [{ id: 'c1', members: ['siyah', 'kara', 'ak'] }, { id: 'c2', members: ['toprak'] }, { id: 'c3', members: ['sene'] }, { id: 'c4', members: ['yıl'] }];
    const k = keptKnowledge(SYNSETS, TERMS, mixed, mixed);
    expect(k.anyCluster.kept).toBe(1);
    expect(k.antonymsSharingACluster).toEqual({ pairs: 2, kept: 2, share: 1 });
  });
});
