/**
 * Clusters made of senses, not words (issue 12). A word's plainest synonym was lost whenever the
 * word was polysemous: with one node per word, `kara` (black / land / ill-fated ...) is pulled
 * into one of its senses and `siyah` is stranded alone. Here each word contributes one node per
 * sense, the clusterer runs over sense nodes, and every word still gets exactly one primary
 * cluster: that of its most common sense.
 *
 * - A word a lexicon describes (KeNet) has one node per synset it belongs to, ordered by sense
 *   number (TDK numbers senses by frequency: sense 1 is the most common).
 * - A word no lexicon describes gets senses induced from its neighbourhood (Watset's local step:
 *   Chinese Whispers on its ego network) when the neighbourhood shows two groups of two or more,
 *   and stays one node otherwise.
 * - A synset is a clique of its members' sense nodes (the lexicon's own edges). Any other synonym
 *   edge (the model's, the user's) attaches to the sense of each end whose synset shares the most
 *   words with the other end and its neighbours; ties go to the more common sense.
 * - A cannot-link between two words holds between every pair of their senses: no antonym pair
 *   shares a cluster through any sense.
 *
 * Everything is typed arrays over node ids: at 15M words (almost all with one sense) the sense
 * graph is the word graph plus the lexicon's few hundred thousand extra nodes.
 */
import { buildGraph, findInRow, type EdgeChunk, type SynonymGraph } from './graph.js';
import type { ClusteringResult, NodeVectors } from './result.js';
import { EgoSenses } from './watset.js';
import { GrowableFloat32, GrowableInt32 } from '../util/growable.js';

/** Sense number of an induced (or unnumbered) sense: after every numbered one. */
export const UNNUMBERED = 0x7fffffff;

/** The senses a lexicon knows of each word, as a CSR over word nodes. */
export interface SenseInventory {
  /** Word t's senses are entries offsets[t] .. offsets[t + 1]. */
  offsets: Int32Array;
  /** Synset index of each entry (0 .. synsetCount - 1). */
  synset: Int32Array;
  /** Sense number of each entry (lower is more common; UNNUMBERED when the lexicon gives none). */
  number: Int32Array;
  synsetCount: number;
}

export interface SenseGraphOptions {
  /** Induce senses of words the inventory does not describe (default true). */
  induce?: boolean;
  /** Seed of the ego-network clustering. */
  seed?: number;
}

export interface SenseGraphStats {
  words: number;
  senseNodes: number;
  /** Words with two or more sense nodes (lexicon senses or induced ones). */
  polysemousWords: number;
  /** Words whose senses were induced from their neighbourhood. */
  inducedWords: number;
  /** Edges of the lexicon's synset cliques. */
  synsetEdges: number;
  /** Word edges a shared synset already explains (carried by the cliques). */
  explainedEdges: number;
  /** Word edges attached to one sense of each end. */
  attachedEdges: number;
  /** Of those, attached to a sense other than an end's first by neighbourhood agreement. */
  disambiguatedEnds: number;
}

export interface SenseGraph {
  /** Synonym edges and cannot-links between sense nodes. */
  graph: SynonymGraph;
  /** Sense node -> word node. */
  nodeWord: Int32Array;
  /** Sense node -> synset index, -1 for an induced or lexicon-less sense. */
  nodeSynset: Int32Array;
  /** Sense node -> sense number (UNNUMBERED for induced senses). */
  nodeNumber: Int32Array;
  /** Word t's sense nodes are wordOffsets[t] .. wordOffsets[t + 1], its primary sense first. */
  wordOffsets: Int32Array;
  stats: SenseGraphStats;
}

/** Sorted, distinct synsets of each word: whether two words share one is a merge of two short lists. */
function shareSynset(inv: SenseInventory, sortedSynsets: Int32Array, a: number, b: number): boolean {
  let i = inv.offsets[a];
  let j = inv.offsets[b];
  const ie = inv.offsets[a + 1];
  const je = inv.offsets[b + 1];
  while (i < ie && j < je) {
    const x = sortedSynsets[i];
    const y = sortedSynsets[j];
    if (x === y) return true;
    if (x < y) i++;
    else j++;
  }
  return false;
}

export function buildSenseGraph(words: SynonymGraph, inventory: SenseInventory, options: SenseGraphOptions = {}): SenseGraph {
  const n = words.nodeCount;
  const inv = inventory;
  if (inv.offsets.length !== n + 1) throw new RangeError(`sense inventory covers ${inv.offsets.length - 1} words, graph has ${n}`);
  const induce = options.induce ?? true;
  const { offsets: wo, targets: wt, weights: ww } = words.synonyms;

  // Each word's inventory entries by (sense number, synset): the primary sense first.
  const order = new Int32Array(inv.synset.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  const sortedSynsets = new Int32Array(inv.synset.length);
  for (let t = 0; t < n; t++) {
    const s = inv.offsets[t];
    const e = inv.offsets[t + 1];
    if (e - s > 1) order.subarray(s, e).sort((x, y) => inv.number[x] - inv.number[y] || inv.synset[x] - inv.synset[y]);
    for (let i = s; i < e; i++) sortedSynsets[i] = inv.synset[i];
    if (e - s > 1) sortedSynsets.subarray(s, e).sort();
  }

  // Induced senses: for each half-edge of a lexicon-less word, which of its senses it belongs to.
  const halfSense = new Int32Array(wt.length);
  const senseCount = new Int32Array(n);
  let inducedWords = 0;
  const ego = induce ? new EgoSenses(words, options.seed ?? 42) : null;
  let sizes = new Int32Array(64);
  let rank = new Int32Array(64);
  for (let t = 0; t < n; t++) {
    const known = inv.offsets[t + 1] - inv.offsets[t];
    if (known > 0) {
      senseCount[t] = known;
      continue;
    }
    senseCount[t] = 1;
    const start = wo[t];
    const degree = wo[t + 1] - start;
    if (!ego || degree < 4) continue; // two groups of two neighbours at the least
    const k = ego.of(t, halfSense);
    if (k < 2) {
      halfSense.fill(0, start, start + degree);
      continue;
    }
    if (sizes.length < k) {
      sizes = new Int32Array(k * 2);
      rank = new Int32Array(k * 2);
    }
    sizes.fill(0, 0, k);
    for (let h = start; h < start + degree; h++) sizes[halfSense[h]]++;
    let groups = 0;
    for (let l = 0; l < k; l++) if (sizes[l] >= 2) groups++;
    if (groups < 2) {
      halfSense.fill(0, start, start + degree);
      continue;
    }
    // Senses are the groups of two or more, largest (best-supported) first; a lone neighbour
    // joins the largest group, since one edge is no evidence of a sense.
    const labels = Array.from({ length: k }, (_, l) => l).filter((l) => sizes[l] >= 2).sort((x, y) => sizes[y] - sizes[x] || x - y);
    rank.fill(0, 0, k);
    labels.forEach((l, r) => (rank[l] = r));
    for (let h = start; h < start + degree; h++) halfSense[h] = rank[halfSense[h]];
    senseCount[t] = groups;
    inducedWords++;
  }

  const wordOffsets = new Int32Array(n + 1);
  for (let t = 0; t < n; t++) wordOffsets[t + 1] = wordOffsets[t] + senseCount[t];
  const nodes = wordOffsets[n];
  const nodeWord = new Int32Array(nodes);
  const nodeSynset = new Int32Array(nodes).fill(-1);
  const nodeNumber = new Int32Array(nodes).fill(UNNUMBERED);
  let polysemousWords = 0;
  for (let t = 0; t < n; t++) {
    const first = wordOffsets[t];
    if (senseCount[t] > 1) polysemousWords++;
    for (let k = 0; k < senseCount[t]; k++) nodeWord[first + k] = t;
    const s = inv.offsets[t];
    for (let i = s; i < inv.offsets[t + 1]; i++) {
      nodeSynset[first + i - s] = inv.synset[order[i]];
      nodeNumber[first + i - s] = inv.number[order[i]];
    }
  }

  // Members of each synset as sense nodes (CSR by synset).
  const synsetOffsets = new Int32Array(inv.synsetCount + 1);
  for (let x = 0; x < nodes; x++) if (nodeSynset[x] >= 0) synsetOffsets[nodeSynset[x] + 1]++;
  for (let s = 0; s < inv.synsetCount; s++) synsetOffsets[s + 1] += synsetOffsets[s];
  const synsetNodes = new Int32Array(synsetOffsets[inv.synsetCount]);
  const cursor = synsetOffsets.slice(0, inv.synsetCount);
  for (let x = 0; x < nodes; x++) if (nodeSynset[x] >= 0) synsetNodes[cursor[nodeSynset[x]]++] = x;

  /** How many words of sense node x's synset (other than its own word) are `other` or its neighbours. */
  const agreement = (x: number, other: number): number => {
    const s = nodeSynset[x];
    if (s < 0) return 0;
    let score = 0;
    for (let i = synsetOffsets[s]; i < synsetOffsets[s + 1]; i++) {
      const m = nodeWord[synsetNodes[i]];
      if (m === nodeWord[x]) continue;
      if (m === other || findInRow(words.synonyms, other, m) >= 0) score++;
    }
    return score;
  };
  let disambiguatedEnds = 0;
  /** The sense of word t that the edge to `other` (half-edge h of t's row) belongs to. */
  const senseFor = (t: number, other: number, h: number): number => {
    const first = wordOffsets[t];
    const count = wordOffsets[t + 1] - first;
    if (count === 1) return first;
    if (inv.offsets[t + 1] === inv.offsets[t]) return first + halfSense[h]; // induced
    let best = first;
    let bestScore = agreement(first, other);
    for (let x = first + 1; x < first + count; x++) {
      const score = agreement(x, other);
      if (score > bestScore) {
        best = x;
        bestScore = score;
      }
    }
    if (best !== first) disambiguatedEnds++;
    return best;
  };

  const ea = new GrowableInt32(1 << 16);
  const eb = new GrowableInt32(1 << 16);
  const ew = new GrowableFloat32(1 << 16);
  let synsetEdges = 0;
  for (let s = 0; s < inv.synsetCount; s++) {
    for (let i = synsetOffsets[s]; i < synsetOffsets[s + 1]; i++) {
      for (let j = i + 1; j < synsetOffsets[s + 1]; j++) {
        ea.push(synsetNodes[i]);
        eb.push(synsetNodes[j]);
        ew.push(1);
        synsetEdges++;
      }
    }
  }
  let explainedEdges = 0;
  let attachedEdges = 0;
  for (let u = 0; u < n; u++) {
    for (let h = wo[u], end = wo[u + 1]; h < end; h++) {
      const v = wt[h];
      if (v <= u) continue;
      if (shareSynset(inv, sortedSynsets, u, v)) {
        explainedEdges++;
        continue;
      }
      ea.push(senseFor(u, v, h));
      eb.push(senseFor(v, u, findInRow(words.synonyms, v, u)));
      ew.push(ww[h]);
      attachedEdges++;
    }
  }

  // Cannot-links between every sense of one word and every sense of the other.
  const ca = new GrowableInt32(1024);
  const cb = new GrowableInt32(1024);
  const { offsets: co, targets: ct } = words.cannotLinks;
  for (let u = 0; u < n; u++) {
    for (let h = co[u], end = co[u + 1]; h < end; h++) {
      const v = ct[h];
      if (v <= u) continue;
      for (let x = wordOffsets[u]; x < wordOffsets[u + 1]; x++) {
        for (let y = wordOffsets[v]; y < wordOffsets[v + 1]; y++) {
          ca.push(x);
          cb.push(y);
        }
      }
    }
  }
  const edges: EdgeChunk = { a: ea.view(), b: eb.view(), w: ew.view() };
  const links: EdgeChunk = { a: ca.view(), b: cb.view() };
  const graph = buildGraph(nodes, () => [edges], { cannotLinks: () => [links] });
  return {
    graph,
    nodeWord,
    nodeSynset,
    nodeNumber,
    wordOffsets,
    stats: { words: n, senseNodes: nodes, polysemousWords, inducedWords, synsetEdges, explainedEdges, attachedEdges, disambiguatedEnds },
  };
}

/** Node vectors of the sense graph: each sense node reads its word's vector (no copy: 0.48 GB at 936k sense nodes). */
export function senseVectors(senses: SenseGraph, words: NodeVectors): NodeVectors {
  return { dims: words.dims, read: (nodes) => words.read(nodes.map((x) => senses.nodeWord[x])) };
}

/** Memberships of words in clusters of sense nodes: one primary per word, the rest its other senses. */
export interface WordClustering {
  clusterCount: number;
  /** Cluster -> representative word. */
  representative: Int32Array;
  /** Cluster -> distinct member words. */
  size: Int32Array;
  /** Word -> its primary cluster. */
  primary: Int32Array;
  /** Memberships (one per word and cluster): word, cluster, support, primary flag, sense number. */
  member: { word: Int32Array; cluster: Int32Array; support: Float32Array; primary: Uint8Array; sense: Int32Array };
}

/**
 * From a clustering of sense nodes to words: a word's primary cluster is that of its primary
 * sense (its most common, or best-supported induced, sense), even when that cluster holds the
 * word alone; its other senses' clusters of two or more words, and the clusterer's losing soft
 * memberships, are its other memberships with their support. Clusters no word is a member of
 * (a secondary sense left alone) are dropped and the rest renumbered in order of first use.
 */
export function wordClustering(senses: SenseGraph, result: ClusteringResult): WordClustering {
  const { nodeWord, wordOffsets, nodeNumber } = senses;
  const n = wordOffsets.length - 1;
  const { assignment, support } = result;
  // Distinct words per node cluster.
  const words = new Int32Array(result.clusterCount);
  const lastWord = new Int32Array(result.clusterCount).fill(-1);
  for (let x = 0; x < nodeWord.length; x++) {
    const c = assignment[x];
    if (c >= 0 && lastWord[c] !== nodeWord[x]) {
      lastWord[c] = nodeWord[x]; // nodes of one word are contiguous: a repeat is the same word
      words[c]++;
    }
  }
  const mw = new GrowableInt32(n + 1024);
  const mc = new GrowableInt32(n + 1024);
  const ms = new GrowableFloat32(n + 1024);
  const mp = new GrowableInt32(n + 1024);
  const mn = new GrowableInt32(n + 1024);
  // Soft alternatives of each node, grouped by node.
  const alt = result.alternatives;
  const altOrder = Array.from(alt.node.keys()).sort((i, j) => alt.node[i] - alt.node[j] || i - j);
  let altAt = 0;
  const seen = new Map<number, number>(); // cluster -> membership index, per word
  for (let t = 0; t < n; t++) {
    seen.clear();
    const offer = (c: number, s: number, primary: boolean, sense: number): void => {
      const known = seen.get(c);
      if (known !== undefined) {
        if (s > ms.data[known]) ms.data[known] = s;
        return;
      }
      if (!primary && words[c] < 2) return;
      seen.set(c, mw.length);
      mw.push(t);
      mc.push(c);
      ms.push(s);
      mp.push(primary ? 1 : 0);
      mn.push(sense);
    };
    const first = wordOffsets[t];
    for (let x = first; x < wordOffsets[t + 1]; x++) if (assignment[x] >= 0) offer(assignment[x], support[x], x === first, nodeNumber[x]);
    while (altAt < altOrder.length && nodeWord[alt.node[altOrder[altAt]]] < t) altAt++;
    for (; altAt < altOrder.length && nodeWord[alt.node[altOrder[altAt]]] === t; altAt++) {
      const i = altOrder[altAt];
      offer(alt.cluster[i], alt.support[i], false, nodeNumber[alt.node[i]]);
    }
  }
  return keptClusters(n, result.clusterCount, { word: mw, cluster: mc, support: ms, primary: mp, sense: mn }, (c) => words[c], (c) => {
    const r = result.representative[c];
    return r >= 0 ? nodeWord[r] : -1;
  });
}

/** Memberships being collected, one entry per word and cluster. */
export interface MembershipColumns {
  word: GrowableInt32;
  cluster: GrowableInt32;
  support: GrowableFloat32;
  primary: GrowableInt32;
  sense: GrowableInt32;
}

/**
 * A word clustering from collected memberships: the clusters that kept a member renumbered in
 * order of first use (a cluster no word is a member of is dropped), with their size and
 * representative, and each word's primary cluster.
 */
export function keptClusters(n: number, clusterCount: number, m: MembershipColumns, sizeOf: (c: number) => number, representativeOf: (c: number) => number): WordClustering {
  const map = new Int32Array(clusterCount).fill(-1);
  let k = 0;
  const cluster = m.cluster.view();
  for (let i = 0; i < cluster.length; i++) {
    if (map[cluster[i]] === -1) map[cluster[i]] = k++;
    cluster[i] = map[cluster[i]];
  }
  const size = new Int32Array(k);
  const representative = new Int32Array(k).fill(-1);
  for (let c = 0; c < clusterCount; c++) {
    if (map[c] < 0) continue;
    size[map[c]] = sizeOf(c);
    representative[map[c]] = representativeOf(c);
  }
  const primary = new Int32Array(n).fill(-1);
  const flags = Uint8Array.from(m.primary.view());
  const word = m.word.view();
  for (let i = 0; i < cluster.length; i++) if (flags[i] === 1) primary[word[i]] = cluster[i];
  return { clusterCount: k, representative, size, primary, member: { word, cluster, support: m.support.view(), primary: flags, sense: m.sense.view() } };
}
