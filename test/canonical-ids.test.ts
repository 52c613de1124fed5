import { describe, it, expect } from 'vitest';
import { canonicalIds, findCompositional, withExpansions, type CanonicalIds } from '../src/evidence/compose.js';
import { wordKnowledge } from '../src/evidence/index.js';
import { EvidencePairs } from '../src/evidence/pairs.js';
import { Lemmatizer } from '../src/lexicon/lemmatize.js';
import { mulberry32 } from '../src/util/random.js';

const words = wordKnowledge(
  {
    synsetsOf: new Map([['siyasi', ['S-political']], ['siyasal', ['S-political']], ['baro', ['S-bar']], ['sayıştay', ['S-court']], ['kiklon', ['S-cyclone']], ['noktacılık', ['S-pointillism']]]),
    antonymsOf: new Map(),
  },
  new Lemmatizer(),
);

/** Random phrases over a few words, acronyms among them, the expansions' words used on their own too. */
function phrases(seed: number, count: number): string[] {
  const next = mulberry32(seed);
  const pool = ['baro', 'sayıştay', 'siyasi', 'siyasal', 'kiklon', 'noktacılık', 'genel', 'kurulu', 've', 'play', 'off', 'po', 'bm', 'birleşmiş', 'milletler', 'pervane'];
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const n = 1 + Math.floor(next() * 4);
    out.push(Array.from({ length: n }, () => pool[Math.floor(next() * pool.length)]).join(' '));
  }
  return out;
}

const spelled = (c: CanonicalIds, i: number): string[] => Array.from(c.ids.subarray(c.offset[i], c.offset[i + 1]), (id) => c.words[id]);

describe('canonical ids with acronyms expanded from the plain ones', () => {
  const expansions = new Map([
    ['po', 'play off'],
    ['bm', 'birleşmiş milletler'],
  ]);

  it('spell what canonicalIds spells, with one id for each word', () => {
    for (const seed of [1, 2, 3]) {
      const surface = phrases(seed, 500);
      const full = canonicalIds(surface, expansions);
      const patched = withExpansions(canonicalIds(surface, new Map()), surface, expansions);
      for (let i = 0; i < surface.length; i++) expect(spelled(patched, i)).toEqual(spelled(full, i));
      const idOf = new Map<string, number>();
      for (const id of patched.ids) {
        const word = patched.words[id];
        expect(idOf.get(word) ?? id).toBe(id);
        idOf.set(word, id);
      }
    }
  });

  it('give findCompositional the pairs it finds by itself', () => {
    for (const seed of [4, 5, 6]) {
      const surface = phrases(seed, 500);
      const familyOf = Int32Array.from(surface, (_, i) => i);
      const own = new EvidencePairs();
      findCompositional({ surface, familyOf, expansions, words }, own);
      const given = new EvidencePairs();
      findCompositional({ surface, familyOf, expansions, words, canonical: withExpansions(canonicalIds(surface, new Map()), surface, expansions) }, given);
      expect(own.length).toBeGreaterThan(0);
      expect(given.length).toBe(own.length);
      for (const column of ['a', 'b', 'kind', 'ref'] as const) expect(Array.from(given[column].subarray(0, given.length))).toEqual(Array.from(own[column].subarray(0, own.length)));
    }
  });

  it('read every term anew when an acronym is a function word (the plain ids drop it)', () => {
    const surface = ['genel ve kurulu', 've', 'genel vergi ekonomisi kurulu'];
    const withStopword = new Map([['ve', 'vergi ekonomisi']]);
    const patched = withExpansions(canonicalIds(surface, new Map()), surface, withStopword);
    const full = canonicalIds(surface, withStopword);
    for (let i = 0; i < surface.length; i++) expect(spelled(patched, i)).toEqual(spelled(full, i));
  });
});
