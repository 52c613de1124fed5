/**
 * Spelling families (issue 13): terms the evidence stage found to be one term written several ways
 * (punctuation, NFKC, ASCII letters, a circumflex, an inflected head, an acronym and its name).
 * They are one name, not synonyms, so a family is clustered as one node, its head, and every
 * member takes the head's memberships, through every sense.
 *
 * Why not ordinary p = 1 edges: the clusterer admits a term where enough of a cluster supports it,
 * and a variant (`demeç.`) is linked to its word alone, not to the word's synset partners. On the
 * generated legal list (`npm run bench:terms`, 20k terms, seed 1) 22 punctuation variants of KeNet
 * words and 12 KeNet synonym pairs (`kent` / `şehir`, pulled apart by `- kent`) ended in
 * clusters apart from their own word that way.
 *
 * Pure typed-array code: the head of each node, the contracted graph and sense inventory, and the
 * word clustering expanded back to every member.
 */
import { buildGraph, type EdgeChunk, type SynonymGraph } from './graph.js';
import { keptClusters, type SenseInventory, type WordClustering } from './senses.js';
import { GrowableFloat32, GrowableInt32 } from '../util/growable.js';

/** Pairs of nodes that are one term (a[i] with b[i]); nodes outside the graph are -1 and skipped. */
export interface FamilyPairs {
  a: Int32Array;
  b: Int32Array;
}

/**
 * The head of every node's family: the member the lexicon knows most senses of (the plain word
 * behind `demeç.` and `“demeç”`), ties to the lowest node, so the result does not depend on the
 * order of the pairs. A node alone is its own head.
 */
export function familyHeads(nodeCount: number, pairs: FamilyPairs, inventory: SenseInventory | null): Int32Array {
  const parent = new Int32Array(nodeCount);
  for (let i = 0; i < nodeCount; i++) parent[i] = i;
  const find = (x: number): number => {
    while (parent[x] !== x) x = parent[x] = parent[parent[x]];
    return x;
  };
  for (let i = 0; i < pairs.a.length; i++) {
    const a = pairs.a[i];
    const b = pairs.b[i];
    if (a < 0 || b < 0 || a === b) continue;
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
  const senses = (x: number): number => (inventory ? inventory.offsets[x + 1] - inventory.offsets[x] : 0);
  // Best member per root: most senses, then lowest node (nodes visited in increasing order).
  const best = new Int32Array(nodeCount).fill(-1);
  for (let x = 0; x < nodeCount; x++) {
    const r = find(x);
    if (best[r] < 0 || senses(x) > senses(best[r])) best[r] = x;
  }
  const head = new Int32Array(nodeCount);
  for (let x = 0; x < nodeCount; x++) head[x] = best[find(x)];
  return head;
}

/** Whether any node has a head other than itself. */
export function hasFamilies(head: Int32Array): boolean {
  for (let x = 0; x < head.length; x++) if (head[x] !== x) return true;
  return false;
}

/**
 * The graph with every family drawn into its head: a member's edges and cannot-links become the
 * head's (duplicates keep the larger weight), edges inside a family vanish and members are left
 * without edges. A cannot-link inside a family is dropped: the evidence that made the family says
 * the two are one term.
 */
export function contractFamilies(graph: SynonymGraph, head: Int32Array): SynonymGraph {
  const n = graph.nodeCount;
  const remap = (csr: SynonymGraph['cannotLinks'], weighted: boolean): EdgeChunk => {
    const a = new GrowableInt32(1024);
    const b = new GrowableInt32(1024);
    const w = new GrowableFloat32(weighted ? 1024 : 1);
    for (let u = 0; u < n; u++) {
      for (let h = csr.offsets[u], end = csr.offsets[u + 1]; h < end; h++) {
        const v = csr.targets[h];
        if (v <= u || head[u] === head[v]) continue;
        a.push(head[u]);
        b.push(head[v]);
        if (weighted) w.push(csr.weights![h]);
      }
    }
    return weighted ? { a: a.view(), b: b.view(), w: w.view() } : { a: a.view(), b: b.view() };
  };
  const edges = remap(graph.synonyms, true);
  const links = remap(graph.cannotLinks, false);
  return buildGraph(n, () => [edges], { cannotLinks: () => [links] });
}

/**
 * The inventory with each family's senses on its head: the union of its members' synsets (one entry
 * per synset, the lowest sense number among members); members keep none.
 */
export function mergeInventory(inventory: SenseInventory, head: Int32Array): SenseInventory {
  const n = head.length;
  // Members of each head, as a CSR.
  const count = new Int32Array(n + 1);
  for (let x = 0; x < n; x++) count[head[x] + 1]++;
  for (let x = 0; x < n; x++) count[x + 1] += count[x];
  const members = new Int32Array(n);
  const cursor = count.slice(0, n);
  for (let x = 0; x < n; x++) members[cursor[head[x]]++] = x;

  const offsets = new Int32Array(n + 1);
  const synset = new GrowableInt32(inventory.synset.length + 16);
  const number = new GrowableInt32(inventory.synset.length + 16);
  const seen = new Map<number, number>(); // synset -> entry index, per head
  for (let x = 0; x < n; x++) {
    offsets[x] = synset.length;
    if (head[x] !== x) continue;
    seen.clear();
    for (let k = count[x]; k < count[x + 1]; k++) {
      const m = members[k];
      for (let i = inventory.offsets[m]; i < inventory.offsets[m + 1]; i++) {
        const s = inventory.synset[i];
        const known = seen.get(s);
        if (known === undefined) {
          seen.set(s, synset.length);
          synset.push(s);
          number.push(inventory.number[i]);
        } else if (inventory.number[i] < number.data[known]) number.data[known] = inventory.number[i];
      }
    }
  }
  offsets[n] = synset.length;
  return { offsets, synset: synset.view().slice(), number: number.view().slice(), synsetCount: inventory.synsetCount };
}

/**
 * The clustering of the contracted graph with every member back: a member has its head's
 * memberships (cluster, support, primary flag, sense), and cluster sizes count it.
 */
export function expandFamilies(words: WordClustering, head: Int32Array): WordClustering {
  const n = head.length;
  const { member } = words;
  // Each word's memberships, as a CSR over words.
  const off = new Int32Array(n + 1);
  for (let i = 0; i < member.word.length; i++) off[member.word[i] + 1]++;
  for (let t = 0; t < n; t++) off[t + 1] += off[t];
  const at = new Int32Array(member.word.length);
  const cursor = off.slice(0, n);
  for (let i = 0; i < member.word.length; i++) at[cursor[member.word[i]]++] = i;

  const size = words.size.slice();
  const mw = new GrowableInt32(member.word.length + 1024);
  const mc = new GrowableInt32(member.word.length + 1024);
  const ms = new GrowableFloat32(member.word.length + 1024);
  const mp = new GrowableInt32(member.word.length + 1024);
  const mn = new GrowableInt32(member.word.length + 1024);
  for (let t = 0; t < n; t++) {
    const h = head[t];
    for (let k = off[h]; k < off[h + 1]; k++) {
      const i = at[k];
      mw.push(t);
      mc.push(member.cluster[i]);
      ms.push(member.support[i]);
      mp.push(member.primary[i]);
      mn.push(member.sense[i]);
      if (h !== t) size[member.cluster[i]]++;
    }
  }
  // A member's own cluster (it was alone in the contracted graph) has no member left.
  return keptClusters(n, words.clusterCount, { word: mw, cluster: mc, support: ms, primary: mp, sense: mn }, (c) => size[c], (c) => words.representative[c]);
}
