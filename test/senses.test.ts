import { describe, it, expect } from 'vitest';
import { buildGraph, edgeList, type SynonymGraph } from '../src/cluster/graph.js';
import { buildSenseGraph, UNNUMBERED, wordClustering, type SenseInventory } from '../src/cluster/senses.js';
import { clusterGraph } from '../src/cluster/index.js';

/**
 * Words: 0 kara, 1 siyah, 2 toprak, 3 yer, 4 uğursuz, 5 kutsuz, 6 ak, 7 beyaz, 8 esmer.
 * Synsets (sense numbers of kara in brackets): S0 {siyah, kara} (kara 1), S1 {kara, toprak, yer}
 * (kara 3), S2 {uğursuz, kutsuz, kara} (kara 5), S3 {ak, beyaz}. esmer is no lexicon word.
 */
const WORDS = ['kara', 'siyah', 'toprak', 'yer', 'uğursuz', 'kutsuz', 'ak', 'beyaz', 'esmer'];
const W = Object.fromEntries(WORDS.map((w, i) => [w, i])) as Record<string, number>;

function inventory(entries: [string, number, number][]): SenseInventory {
  // entries: word, synset, sense number
  const byWord = WORDS.map((w) => entries.filter((e) => e[0] === w));
  const offsets = new Int32Array(WORDS.length + 1);
  byWord.forEach((list, t) => (offsets[t + 1] = offsets[t] + list.length));
  const flat = byWord.flat();
  return { offsets, synset: Int32Array.from(flat, (e) => e[1]), number: Int32Array.from(flat, (e) => e[2]), synsetCount: 4 };
}

const KENET = inventory([
  ['siyah', 0, 1], ['kara', 0, 1],
  ['kara', 1, 3], ['toprak', 1, 1], ['yer', 1, 2],
  ['uğursuz', 2, 1], ['kutsuz', 2, 1], ['kara', 2, 5],
  ['ak', 3, 1], ['beyaz', 3, 1],
]);

/** The word graph a build has: every synset pair as a seed edge, plus model edges and cannot-links. */
function wordGraph(extra: [string, string, number][] = [], cannot: [string, string][] = []): SynonymGraph {
  const seeds: [string, string][] = [['siyah', 'kara'], ['kara', 'toprak'], ['kara', 'yer'], ['toprak', 'yer'], ['uğursuz', 'kutsuz'], ['uğursuz', 'kara'], ['kutsuz', 'kara'], ['ak', 'beyaz']];
  const edges = [...seeds.map(([a, b]) => [W[a], W[b], 1] as const), ...extra.map(([a, b, w]) => [W[a], W[b], w] as const)];
  return buildGraph(WORDS.length, edgeList(edges), { cannotLinks: edgeList(cannot.map(([a, b]) => [W[a], W[b]] as const)) });
}

describe('sense graph', () => {
  it('gives a lexicon word one node per synset, its most common sense first, and makes each synset a clique', () => {
    const g = buildSenseGraph(wordGraph(), KENET, { induce: false });
    expect(g.stats).toMatchObject({ words: 9, senseNodes: 11, polysemousWords: 1, synsetEdges: 1 + 3 + 3 + 1, explainedEdges: 8, attachedEdges: 0 });
    const kara = [...g.nodeNumber.subarray(g.wordOffsets[W.kara], g.wordOffsets[W.kara + 1])];
    expect(kara).toEqual([1, 3, 5]);
    expect(g.nodeNumber[g.wordOffsets[W.esmer]]).toBe(UNNUMBERED);
  });

  it('attaches a model edge to the sense whose synset agrees with the other end, the most common sense on a tie', () => {
    // esmer ~ kara next to siyah (black sense); zemin ~ kara next to toprak (land sense) is played by yer-less "esmer2" below.
    const g = buildSenseGraph(wordGraph([['esmer', 'kara', 0.9], ['esmer', 'siyah', 0.9], ['beyaz', 'kara', 0.8]]), KENET, { induce: false });
    const karaNodes = { black: g.wordOffsets[W.kara], land: g.wordOffsets[W.kara] + 1, illFated: g.wordOffsets[W.kara] + 2 };
    const esmer = g.wordOffsets[W.esmer];
    const row = (x: number) => [...g.graph.synonyms.targets.subarray(g.graph.synonyms.offsets[x], g.graph.synonyms.offsets[x + 1])];
    expect(row(esmer)).toContain(karaNodes.black);
    // beyaz shares nothing with any of kara's synsets: the most common sense takes the edge.
    expect(row(g.wordOffsets[W.beyaz])).toContain(karaNodes.black);
    expect(row(karaNodes.land)).not.toContain(esmer);
    expect(g.stats.attachedEdges).toBe(3);
  });

  it('an edge that agrees with a later sense goes there', () => {
    const g = buildSenseGraph(wordGraph([['esmer', 'kara', 0.9], ['esmer', 'toprak', 0.9], ['esmer', 'yer', 0.9]]), KENET, { induce: false });
    const land = g.wordOffsets[W.kara] + 1;
    const row = [...g.graph.synonyms.targets.subarray(g.graph.synonyms.offsets[land], g.graph.synonyms.offsets[land + 1])];
    expect(row).toContain(g.wordOffsets[W.esmer]);
    expect(g.stats.disambiguatedEnds).toBe(1);
  });

  it('holds a cannot-link between every sense of one word and every sense of the other', () => {
    const g = buildSenseGraph(wordGraph([], [['kara', 'ak']]), KENET, { induce: false });
    expect(g.graph.cannotLinkCount).toBe(3);
  });

  it('induces senses of a word no lexicon describes when its neighbourhood shows two groups, and only then', () => {
    // esmer's neighbours: {ak, beyaz} (joined) and {toprak, yer} (joined): two groups of two.
    const two = buildSenseGraph(wordGraph([['esmer', 'ak', 0.9], ['esmer', 'beyaz', 0.9], ['esmer', 'toprak', 0.9], ['esmer', 'yer', 0.9]]), KENET, { induce: true, seed: 1 });
    expect(two.stats.inducedWords).toBe(1);
    const first = two.wordOffsets[W.esmer];
    expect(two.wordOffsets[W.esmer + 1] - first).toBe(2);
    // Each edge went to the sense of its group.
    const row = (x: number) => [...two.graph.synonyms.targets.subarray(two.graph.synonyms.offsets[x], two.graph.synonyms.offsets[x + 1])].map((y) => WORDS[two.nodeWord[y]]).sort();
    expect([row(first), row(first + 1)].sort()).toEqual([['ak', 'beyaz'], ['toprak', 'yer']]);
    // Three neighbours are no evidence of two senses.
    const one = buildSenseGraph(wordGraph([['esmer', 'siyah', 0.9], ['esmer', 'toprak', 0.9], ['esmer', 'yer', 0.9]]), KENET, { induce: true, seed: 1 });
    expect(one.stats.inducedWords).toBe(0);
  });
});

describe('word clustering over senses', () => {
  it('siyah answers {siyah, kara}; kara keeps its black sense as primary and its other senses as memberships; antonyms never share a cluster', () => {
    const senses = buildSenseGraph(wordGraph([], [['kara', 'ak'], ['siyah', 'beyaz']]), KENET, { induce: false });
    const words = wordClustering(senses, clusterGraph(senses.graph, 'synograph'));
    const members = (c: number) => WORDS.filter((_, t) => words.member.cluster.some((k, i) => k === c && words.member.word[i] === t));
    expect(members(words.primary[W.siyah]).sort()).toEqual(['kara', 'siyah']);
    expect(words.primary[W.kara]).toBe(words.primary[W.siyah]);
    const karaMemberships = words.member.word.reduce<number[]>((acc, w, i) => (w === W.kara ? [...acc, i] : acc), []);
    expect(karaMemberships.map((i) => [words.member.primary[i], words.member.sense[i]])).toEqual([[1, 1], [0, 3], [0, 5]]);
    expect(members(words.primary[W.toprak]).sort()).toEqual(['kara', 'toprak', 'yer']);
    expect(members(words.primary[W.uğursuz]).sort()).toEqual(['kara', 'kutsuz', 'uğursuz']);
    for (let c = 0; c < words.clusterCount; c++) expect(members(c).includes('kara') && members(c).includes('ak')).toBe(false);
    // Every word has exactly one primary membership.
    for (let t = 0; t < WORDS.length; t++) expect(words.member.word.filter((w, i) => w === t && words.member.primary[i] === 1)).toHaveLength(1);
  });
});
