/**
 * Baseline clusterings over the same (gated) synonym graph as our own clustering
 * (docs/evaluation.md, "Baselines, same run, same graph").
 *
 * Both return clusters in one deterministic convention: members sorted (plain string order),
 * clusters ordered by their smallest member, ids "c0", "c1", ... in that order. Only words that
 * occur in some edge appear; the vocabulary's isolated words are not emitted.
 */

import louvainImport from 'graphology-communities-louvain';
import { UndirectedGraph } from 'graphology';
import type { Cluster, WeightedPair } from '../types.js';
import { mulberry32 } from '../util/random.js';

/** Plain UTF-16 code-unit order, the same order as `Array.prototype.sort()` without a comparator. */
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Apply the deterministic id/order convention to groups of words. */
function toClusters(groups: Iterable<string[]>): Cluster[] {
  const sorted = [...groups].filter((g) => g.length > 0).map((g) => [...g].sort(compareStrings));
  sorted.sort((x, y) => compareStrings(x[0], y[0]));
  return sorted.map((members, i) => ({ id: `c${i}`, members }));
}

/**
 * Connected components by union-find (path halving + union by rank) over integer ids:
 * strings are interned once so the hot loop touches only typed arrays.
 * Edge weights are ignored: the caller passes the already-gated graph.
 */
export function connectedComponents(edges: readonly WeightedPair[]): Cluster[] {
  const ids = new Map<string, number>();
  const words: string[] = [];
  const intern = (w: string): number => {
    let id = ids.get(w);
    if (id === undefined) {
      id = words.length;
      ids.set(w, id);
      words.push(w);
    }
    return id;
  };
  const ends = new Int32Array(edges.length * 2);
  edges.forEach((e, i) => {
    ends[2 * i] = intern(e.a);
    ends[2 * i + 1] = intern(e.b);
  });

  const n = words.length;
  const parent = new Int32Array(n);
  for (let i = 0; i < n; i++) parent[i] = i;
  const rank = new Uint8Array(n);
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]];
      x = parent[x];
    }
    return x;
  };
  for (let i = 0; i < edges.length; i++) {
    let ra = find(ends[2 * i]);
    let rb = find(ends[2 * i + 1]);
    if (ra === rb) continue;
    if (rank[ra] < rank[rb]) [ra, rb] = [rb, ra];
    parent[rb] = ra;
    if (rank[ra] === rank[rb]) rank[ra]++;
  }

  const groups = new Map<number, string[]>();
  for (let i = 0; i < n; i++) {
    const root = find(i);
    const group = groups.get(root);
    if (group) group.push(words[i]);
    else groups.set(root, [words[i]]);
  }
  return toClusters(groups.values());
}

type Louvain = typeof louvainImport.default;

/**
 * graphology-communities-louvain is CommonJS (`module.exports = fn`) while its .d.ts declares
 * `export default`. Under NodeNext, TypeScript therefore types the default import as the module
 * object (function at `.default`), whereas Node hands us the function itself. Accept both shapes
 * so the call is typed and also works if a bundler unwraps differently.
 */
const louvain: Louvain =
  typeof (louvainImport as unknown) === 'function'
    ? (louvainImport as unknown as Louvain)
    : louvainImport.default;

export interface LouvainOptions {
  /** Seed of the mulberry32 PRNG handed to Louvain (its random node order). */
  seed?: number;
  /** Modularity resolution; > 1 gives smaller communities. */
  resolution?: number;
}

interface EdgeAttrs {
  weight: number;
}

/**
 * Louvain communities of the undirected weighted graph. Duplicate edges (either direction) are
 * merged keeping the max weight; self loops are skipped (their endpoint still becomes a node).
 * Nodes and edges are inserted in sorted order, so the result depends only on the edge set,
 * the seed and the resolution, not on the order of `edges`.
 */
export function louvainClusters(
  edges: readonly WeightedPair[],
  { seed = 42, resolution = 1 }: LouvainOptions = {},
): Cluster[] {
  const nodes = new Set<string>();
  // canonical "a\0b" (a < b) -> [a, b, max weight]
  const merged = new Map<string, [string, string, number]>();
  for (const { a, b, weight } of edges) {
    nodes.add(a);
    nodes.add(b);
    if (a === b) continue;
    const [x, y] = a < b ? [a, b] : [b, a];
    const key = `${x}\u0000${y}`;
    const prev = merged.get(key);
    if (prev === undefined) merged.set(key, [x, y, weight]);
    else if (weight > prev[2]) prev[2] = weight;
  }

  const graph = new UndirectedGraph<Record<string, never>, EdgeAttrs>();
  for (const node of [...nodes].sort(compareStrings)) graph.addNode(node);
  const keys = [...merged.keys()].sort(compareStrings);
  for (const key of keys) {
    const [x, y, weight] = merged.get(key)!;
    graph.addEdge(x, y, { weight });
  }

  const communities = louvain(graph, {
    getEdgeWeight: 'weight',
    rng: mulberry32(seed),
    resolution,
  });

  const groups = new Map<number, string[]>();
  for (const [node, community] of Object.entries(communities)) {
    const group = groups.get(community);
    if (group) group.push(node);
    else groups.set(community, [node]);
  }
  return toClusters(groups.values());
}
