/**
 * Baseline clusterings over the same CSR graph (docs/evaluation.md "Baselines, same run, same graph"):
 * connected components, Chinese Whispers, Louvain. They return hard labels (one per node, every
 * node labelled); `clusterGraph` turns labels into a ClusteringResult.
 */
import louvainImport from 'graphology-communities-louvain';
import { UndirectedGraph } from 'graphology';
import { mulberry32 } from '../util/random.js';
import type { Csr } from './graph.js';

/** Labels plus the size of the label space (labels are node ids or other ids < labelCount). */
export interface Labels {
  labels: Int32Array;
  labelCount: number;
}

/** Union-find components over the CSR (weights ignored: the graph is already gated). */
export function componentLabels(csr: Csr): Labels {
  const n = csr.nodeCount;
  const parent = new Int32Array(n);
  for (let i = 0; i < n; i++) parent[i] = i;
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]];
      x = parent[x];
    }
    return x;
  };
  const { offsets, targets } = csr;
  for (let u = 0; u < n; u++) {
    for (let h = offsets[u], end = offsets[u + 1]; h < end; h++) {
      const v = targets[h];
      if (v <= u) continue;
      const a = find(u);
      const b = find(v);
      // Lower root wins: deterministic, and the label is the component's smallest node.
      if (a < b) parent[b] = a;
      else if (b < a) parent[a] = b;
    }
  }
  const labels = new Int32Array(n);
  for (let u = 0; u < n; u++) labels[u] = find(u);
  return { labels, labelCount: n };
}

/** A seeded permutation of 0..n-1 (Fisher-Yates over mulberry32). */
export function seededPermutation(n: number, seed: number): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  const rnd = mulberry32(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    const x = p[i];
    p[i] = p[j];
    p[j] = x;
  }
  return p;
}

export interface ChineseWhispersOptions {
  seed?: number;
  maxIterations?: number;
}

/**
 * Weighted Chinese Whispers (Biemann 2006): every node starts with its own label; nodes, in one
 * seeded order, adopt the label with the largest summed edge weight among their neighbours
 * (ties -> the lower label), updating in place, until no label changes or maxIterations.
 */
export function chineseWhispersLabels(csr: Csr, { seed = 42, maxIterations = 20 }: ChineseWhispersOptions = {}): Labels {
  const n = csr.nodeCount;
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) labels[i] = i;
  const order = seededPermutation(n, seed);
  const acc = new Float64Array(n);
  const touched = new Int32Array(n);
  const { offsets, targets } = csr;
  const weights = csr.weights;
  for (let iter = 0; iter < maxIterations; iter++) {
    let changed = 0;
    for (let k = 0; k < n; k++) {
      const u = order[k];
      const start = offsets[u];
      const end = offsets[u + 1];
      if (start === end) continue;
      let nt = 0;
      for (let h = start; h < end; h++) {
        const l = labels[targets[h]];
        if (acc[l] === 0) touched[nt++] = l;
        acc[l] += weights ? weights[h] : 1;
      }
      let best = labels[u];
      let bestW = -1;
      for (let i = 0; i < nt; i++) {
        const l = touched[i];
        const x = acc[l];
        if (x > bestW || (x === bestW && l < best)) {
          best = l;
          bestW = x;
        }
        acc[l] = 0;
      }
      if (best !== labels[u]) {
        labels[u] = best;
        changed++;
      }
    }
    if (changed === 0) break;
  }
  return { labels, labelCount: n };
}

type Louvain = typeof louvainImport.default;
// CommonJS default export: see src/eval/baselines.ts for why both shapes are accepted.
const louvain: Louvain = typeof (louvainImport as unknown) === 'function' ? (louvainImport as unknown as Louvain) : louvainImport.default;

export interface LouvainCsrOptions {
  seed?: number;
  resolution?: number;
  /** graphology holds objects per node and edge: refuse graphs bigger than this many edges. */
  maxEdges?: number;
}

export const LOUVAIN_MAX_EDGES = 5_000_000;

/** Louvain over the CSR through graphology (small graphs only; nodes and edges in id order). */
export function louvainLabels(csr: Csr & { weights: Float32Array }, { seed = 42, resolution = 1, maxEdges = LOUVAIN_MAX_EDGES }: LouvainCsrOptions = {}): Labels {
  const edges = csr.targets.length / 2;
  if (edges > maxEdges) throw new RangeError(`louvain: ${edges} edges exceed the in-memory limit of ${maxEdges} (graphology keeps an object per edge)`);
  const graph = new UndirectedGraph<Record<string, never>, { weight: number }>();
  const n = csr.nodeCount;
  for (let u = 0; u < n; u++) graph.addNode(String(u));
  const { offsets, targets, weights } = csr;
  for (let u = 0; u < n; u++) {
    for (let h = offsets[u], end = offsets[u + 1]; h < end; h++) {
      if (targets[h] > u) graph.addEdge(String(u), String(targets[h]), { weight: weights[h] });
    }
  }
  const communities = louvain(graph, { getEdgeWeight: 'weight', rng: mulberry32(seed), resolution });
  const labels = new Int32Array(n);
  let max = 0;
  for (let u = 0; u < n; u++) {
    labels[u] = communities[String(u)];
    if (labels[u] > max) max = labels[u];
  }
  return { labels, labelCount: max + 1 };
}
