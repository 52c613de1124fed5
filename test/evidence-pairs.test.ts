import { describe, it, expect } from 'vitest';
import { findCompositional } from '../src/evidence/compose.js';
import { groupEqual } from '../src/evidence/groups.js';
import { surfaceKey, wordKnowledge } from '../src/evidence/index.js';
import { EvidenceList, EvidencePairs, winners } from '../src/evidence/pairs.js';
import { EVIDENCE_KINDS, FORBIDDING, type EvidenceKind } from '../src/evidence/types.js';
import { Lemmatizer } from '../src/lexicon/lemmatize.js';
import { normalizeTerm } from '../src/lexicon/normalize.js';
import { mulberry32 } from '../src/util/random.js';

const words = wordKnowledge(
  {
    synsetsOf: new Map([['siyasi', ['S-political']], ['siyasal', ['S-political']], ['baro', ['S-bar']], ['sayıştay', ['S-court']], ['kara', ['S-black', 'S-land']], ['toprak', ['S-soil', 'S-land']], ['yasal', ['S-legal']], ['yasadışı', ['S-illegal']]]),
    antonymsOf: new Map([['S-legal', ['S-illegal']], ['S-illegal', ['S-legal']]]),
  },
  new Lemmatizer(),
);

const rank = (k: EvidenceKind): number => (FORBIDDING.has(k) ? 0 : k === 'sibling' ? 2 : 1);

describe('evidence pairs', () => {
  it('keep, for each two terms, the lowest-ranked pair and of equal ranks the first added, in term order', () => {
    for (const seed of [1, 2, 3]) {
      const next = mulberry32(seed);
      const terms = 60;
      const pairs = new EvidencePairs();
      pairs.composedDetail = (a, b, ref) => `${a}-${b}#${ref}`;
      // What the Map of "a,b" keys this replaces kept: insertion order of keys, the winner's value.
      const best = new Map<string, { i: number; kind: EvidenceKind; first: number }>();
      for (let i = 0; i < 3000; i++) {
        const a = Math.floor(next() * terms);
        let b = Math.floor(next() * terms);
        if (b === a) b = (a + 1) % terms;
        const kind = EVIDENCE_KINDS[Math.floor(next() * EVIDENCE_KINDS.length)];
        if (next() < 0.5) pairs.add(a, b, kind, i);
        else pairs.addEvidence({ a, b, kind, detail: `written ${i}` });
        const key = `${Math.min(a, b)},${Math.max(a, b)}`;
        const known = best.get(key);
        if (!known) best.set(key, { i, kind, first: i });
        else if (rank(kind) < rank(known.kind)) best.set(key, { i, kind, first: known.first });
      }
      const won = winners(pairs, terms);
      const expected = [...best.entries()].sort(([x], [y]) => {
        const [xa, xb] = x.split(',').map(Number);
        const [ya, yb] = y.split(',').map(Number);
        return xa - ya || xb - yb;
      });
      expect(Array.from(won.index)).toEqual(expected.map(([, v]) => v.i));
      expect(Array.from(won.first)).toEqual(expected.map(([, v]) => v.first));
      const list = new EvidenceList(pairs, won.index);
      const read = [...list];
      expect(read.length).toBe(best.size);
      for (const [k, e] of read.entries()) {
        const { i } = expected[k][1];
        expect(`${e.a},${e.b}`).toBe(expected[k][0]);
        expect(e.kind).toBe(list.kind(k));
        // A detail is the rule's (from the stored ref, with a and b as added) or the one written.
        expect(e.detail).toBe(pairs.ref[i] >= 0 ? `${pairs.a[i]}-${pairs.b[i]}#${i}` : `written ${i}`);
      }
    }
  });
});

describe('exact grouping by hash', () => {
  it('groups equal keys, splits colliding ones, keeps entry order within and first-entry order across groups', () => {
    const next = mulberry32(7);
    const keys = Array.from({ length: 2000 }, () => Math.floor(next() * 300));
    // Hashes that differ only in their high or only in their low bits exercise the sort's first and last passes.
    const hashes = [(e: number) => keys[e] * 2654435761, (e: number) => keys[e] % 3, () => 7, (e: number) => (keys[e] % 41) * 65536, (e: number) => 0xffff0000 + (keys[e] % 37)];
    for (const hash of hashes) {
      const groups = groupEqual(keys.length, (e) => hash(e) >>> 0, (x, y) => keys[x] === keys[y]);
      const expected = new Map<number, number[]>();
      keys.forEach((k, e) => (expected.has(k) ? expected.get(k)!.push(e) : expected.set(k, [e])));
      const got = Array.from({ length: groups.start.length - 1 }, (_, g) => Array.from(groups.members.subarray(groups.start[g], groups.start[g + 1])));
      expect(got).toEqual([...expected.values()]);
      got.forEach((members, g) => members.forEach((e) => expect(groups.groupOf[e]).toBe(g)));
      expect(groups.find(hash(keys.indexOf(keys[5])) >>> 0, (e) => keys[e] === keys[5])).toBe(groups.groupOf[5]);
      expect(groups.find(hash(0) >>> 0, (e) => keys[e] === -1)).toBe(-1);
    }
  });

  it('give phrases the same compositional evidence whether their hashes collide or not', () => {
    const terms = [
      'siyasi parti', 'siyasal parti', 'baro genel kurulu', 'sayıştay genel kurulu', 'yasal işlem', 'yasadışı işlem', 'yasal', 'yasal olmayan',
      'yetkili kurul', 'yetkisiz kurul', 'kara yol', 'toprak yol', 'bm medeni siyasi haklar sözleşmesi', 'birleşmiş milletler medeni ve siyasal haklar sözleşmesi',
      'birleşmiş milletler medeni siyasal haklar sözleşmesi', 'yasal kurul', 'kara kurul', 'siyasi kurul',
      ...Array.from({ length: 40 }, (_, i) => `${100 + i} sayılı kanun`),
    ].map(normalizeTerm);
    const surface = terms.map(surfaceKey);
    const familyOf = Int32Array.from(terms, (_, i) => i);
    const expansions = new Map([['bm', 'birleşmiş milletler']]);
    const pairedWithin = () => (a: number) => (a >= 18 && a < 57 ? [a + 1] : []);
    const run = (hashBits?: number) => {
      const out = new EvidencePairs();
      out.composedDetail = findCompositional({ surface, familyOf, expansions, words, pairedWithin, hashBits }, out);
      return Array.from({ length: out.length }, (_, i) => `${out.a[i]} ${out.b[i]} ${out.kindOf(i)} ${out.detail(i)}`);
    };
    const plain = run();
    expect(plain).toContain(`0 1 compositional siyasi / siyasal in "_ parti"`);
    expect(plain.filter((e) => e.includes('number')).length).toBe(39);
    expect(run(1)).toEqual(plain);
    expect(run(0)).toEqual(plain);
  });
});
