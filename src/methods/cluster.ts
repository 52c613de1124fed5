/**
 * Clustering your own scored pairs as a library call: strings in, clusters of strings out, by any
 * algorithm of src/cluster (the default keeps cannot-linked terms apart). Terms are normalised as
 * everywhere (Turkish lowercase, NFC); node ids follow the terms' sorted order, so the result
 * does not depend on the order the edges come in.
 */
import { buildGraph, clusterGraph, clusterMembers, CLUSTER_ALGORITHMS, type ClusterAlgorithm } from '../cluster/index.js';
import { normalizeTerm } from '../lexicon/index.js';
import { SynographError } from '../errors.js';
import type { Cluster } from '../types.js';

export interface ScoredPair {
  a: string;
  b: string;
  /** P(synonym) or any confidence in [0, 1] (default 1). */
  weight?: number;
}

export interface ClusterEdgesOptions {
  algorithm?: ClusterAlgorithm;
  /** Pairs that must never share a cluster (the default algorithm keeps them apart). */
  cannotLinks?: Iterable<readonly [string, string]>;
  seed?: number;
  /** Also return the terms left alone, as clusters of one. */
  singletons?: boolean;
}

/** Clusters of two or more terms (every term with `singletons`), members sorted, ids c0, c1, ... */
export function clusterEdges(edges: Iterable<ScoredPair>, options: ClusterEdgesOptions = {}): Cluster[] {
  const algorithm = options.algorithm ?? 'synograph';
  if (!CLUSTER_ALGORITHMS.includes(algorithm)) throw new SynographError('usage', `unknown algorithm "${algorithm}" (one of ${CLUSTER_ALGORITHMS.join(', ')})`);
  const pairs: [string, string, number][] = [];
  for (const e of edges) {
    const w = e.weight ?? 1;
    if (!(w >= 0 && w <= 1)) throw new SynographError('input', `weight ${w} of "${e.a}" / "${e.b}" is not in [0, 1]`);
    pairs.push([normalizeTerm(e.a), normalizeTerm(e.b), w]);
  }
  const links = [...(options.cannotLinks ?? [])].map(([a, b]) => [normalizeTerm(a), normalizeTerm(b)] as const);
  const terms = [...new Set([...pairs.flatMap(([a, b]) => [a, b]), ...links.flat()])].filter((t) => t !== '').sort();
  const id = new Map(terms.map((t, i) => [t, i]));
  const valid = pairs.filter(([a, b]) => a !== '' && b !== '');
  const graph = buildGraph(
    terms.length,
    () => [{ a: Int32Array.from(valid, ([a]) => id.get(a)!), b: Int32Array.from(valid, ([, b]) => id.get(b)!), w: Float32Array.from(valid, ([, , w]) => w) }],
    { cannotLinks: () => [{ a: Int32Array.from(links, ([a]) => id.get(a)!), b: Int32Array.from(links, ([, b]) => id.get(b)!) }] },
  );
  const result = clusterGraph(graph, algorithm, { seed: options.seed });
  const { offsets, members } = clusterMembers(result.assignment, result.clusterCount);
  const clusters: string[][] = [];
  for (let c = 0; c < result.clusterCount; c++) {
    const list = Array.from(members.subarray(offsets[c], offsets[c + 1]), (n) => terms[n]).sort();
    if (list.length >= 2 || (options.singletons && list.length === 1)) clusters.push(list);
  }
  if (options.singletons) for (let n = 0; n < terms.length; n++) if (result.assignment[n] < 0) clusters.push([terms[n]]);
  clusters.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
  return clusters.map((m, i) => ({ id: `c${i}`, members: m }));
}
