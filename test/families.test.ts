import { describe, it, expect } from 'vitest';
import { buildGraph, edgeList } from '../src/cluster/graph.js';
import { clusterSenses, familyHeads, matrixVectors, type SenseInventory, type TermGraph } from '../src/cluster/index.js';

/**
 * Words: 0 demeç, 1 beyanat, 2 söylev, 3 "demeç." (a punctuation variant), 4 "“demeç”", 5 nutuk,
 * 6 susku, 7 "beyanat:" (a variant of a word of the same synset).
 * Synsets: S0 {demeç, beyanat} (demeç sense 1), S1 {demeç, söylev, nutuk} (demeç sense 2).
 * susku is demeç's antonym through the variant `demeç.` only (a cannot-link on the variant).
 */
const WORDS = ['demeç', 'beyanat', 'söylev', 'demeç.', '“demeç”', 'nutuk', 'susku', 'beyanat:'];
const W = Object.fromEntries(WORDS.map((w, i) => [w, i])) as Record<string, number>;
const n = WORDS.length;

const INVENTORY: SenseInventory = (() => {
  const entries: [string, number, number][] = [['demeç', 0, 1], ['demeç', 1, 2], ['beyanat', 0, 1], ['söylev', 1, 1], ['nutuk', 1, 1]];
  const byWord = WORDS.map((w) => entries.filter((e) => e[0] === w));
  const offsets = new Int32Array(n + 1);
  byWord.forEach((list, t) => (offsets[t + 1] = offsets[t] + list.length));
  const flat = byWord.flat();
  return { offsets, synset: Int32Array.from(flat, (e) => e[1]), number: Int32Array.from(flat, (e) => e[2]), synsetCount: 2 };
})();

/** The build's word graph: synset pairs and the variant evidence as p = 1 seeds, the antonym as a cannot-link. */
function termGraph(families: boolean): TermGraph {
  const pairs: [string, string][] = [['demeç', 'beyanat'], ['demeç', 'söylev'], ['demeç', 'nutuk'], ['söylev', 'nutuk']];
  const variants: [string, string][] = [['demeç', 'demeç.'], ['demeç', '“demeç”'], ['demeç.', '“demeç”'], ['beyanat', 'beyanat:']];
  const edges = [...pairs, ...variants].map(([a, b]) => [W[a], W[b], 1] as const);
  const graph = buildGraph(n, edgeList(edges), { cannotLinks: edgeList([[W['demeç.'], W.susku]]) });
  const termOf = Int32Array.from({ length: n }, (_, i) => i);
  const vectors = new Float32Array(n * 2).map((_, i) => ((i * 7919) % 13) / 13);
  const family = families ? { a: Int32Array.from(variants, ([a]) => W[a]), b: Int32Array.from(variants, ([, b]) => W[b]) } : undefined;
  return { graph, termOf, nodeOf: termOf, vectors: matrixVectors(vectors, 2), families: family };
}

/** Each word's clusters (any sense) as sorted member lists, and its primary cluster's members. */
function read(graph: TermGraph) {
  const { words } = clusterSenses(graph, INVENTORY, 'synograph', { seed: 1 });
  const members = new Map<number, string[]>();
  for (let i = 0; i < words.member.word.length; i++) {
    const c = words.member.cluster[i];
    members.set(c, [...(members.get(c) ?? []), WORDS[words.member.word[i]]].sort());
  }
  const clustersOf = (w: string) => [...new Set(Array.from(words.member.word).flatMap((t, i) => (WORDS[t] === w ? [words.member.cluster[i]] : [])))];
  const primary = (w: string) => members.get(words.primary[W[w]]) ?? [];
  return { words, members, clustersOf, primary };
}

describe('spelling families', () => {
  it('heads a family with the member the lexicon knows most senses of', () => {
    const g = termGraph(true);
    const head = familyHeads(n, g.families!, INVENTORY);
    expect([...head]).toEqual([0, 1, 2, 0, 0, 5, 6, 1]);
  });

  it('puts every spelling of a word in each of its clusters, primary with primary, and carries a spelling`s cannot-link', () => {
    const r = read(termGraph(true));
    // demeç. and “demeç” are demeç in both of its senses.
    expect(r.primary('demeç.')).toEqual(r.primary('demeç'));
    expect(r.primary('demeç')).toEqual(expect.arrayContaining(['beyanat', 'demeç', 'demeç.', '“demeç”', 'beyanat:']));
    expect(r.clustersOf('demeç.').sort()).toEqual(r.clustersOf('demeç').sort());
    const second = r.clustersOf('demeç').find((c) => c !== r.words.primary[W['demeç']])!;
    expect(r.members.get(second)).toEqual(['demeç', 'demeç.', 'nutuk', 'söylev', '“demeç”']);
    // Sizes count the members drawn back, and no cluster is left empty.
    for (const [c, list] of r.members) expect(r.words.size[c]).toBe(list.length);
    expect(r.members.size).toBe(r.words.clusterCount);
    // The antonym said of `demeç.` keeps susku out of every cluster of demeç.
    for (const c of r.clustersOf('demeç')) expect(r.members.get(c)).not.toContain('susku');
  });

  it('without families the same graph strands the spellings away from the word`s synset partners', () => {
    const r = read(termGraph(false));
    const together = r.primary('demeç').includes('demeç.') && r.primary('demeç').includes('beyanat');
    const everySense = r.clustersOf('demeç.').length === r.clustersOf('demeç').length;
    expect(together && everySense).toBe(false);
  });
});
