/**
 * The benchmark baseline: a straightforward implementation of the paper's clustering
 * (Tosun et al. 2026, stages 5-6) with Map-per-node adjacency (Map<number, Map<number, weight>>), an array of edge objects
 * sorted by a comparator, and Set clusters, as one would first write it. Same semantics as
 * src/cluster/paper.ts, so the benchmark also checks that both agree.
 */

interface Edge {
  u: number;
  v: number;
  w: number;
}

export function paperMapSet(nodeCount: number, a: Int32Array, b: Int32Array, w: Float32Array, length: number): Int32Array {
  // Adjacency with the (max) weight per neighbour; one Map per node (a single Map keyed by
  // pair would exceed V8's ~16.7M-entry Map limit at 1M nodes).
  const adj = new Map<number, Map<number, number>>();
  const link = (x: number, y: number, weight: number): void => {
    let row = adj.get(x);
    if (!row) adj.set(x, (row = new Map()));
    const prev = row.get(y);
    if (prev === undefined || weight > prev) row.set(y, weight);
  };
  for (let i = 0; i < length; i++) {
    if (a[i] === b[i]) continue;
    link(a[i], b[i], w[i]);
    link(b[i], a[i], w[i]);
  }
  const edges: Edge[] = [];
  for (const [u, row] of adj) for (const [v, x] of row) if (u < v) edges.push({ u, v, w: x });
  edges.sort((p, q) => q.w - p.w || p.u - q.u || p.v - q.v);

  const clusters: Set<number>[] = [];
  const clustersOf = new Map<number, Set<number>>();
  const join = (t: number, c: number): void => {
    clusters[c].add(t);
    if (!clustersOf.has(t)) clustersOf.set(t, new Set());
    clustersOf.get(t)!.add(c);
  };
  const shared = (t: number, c: number): number => {
    let k = 0;
    for (const x of clusters[c]) if (x !== t && adj.get(t)!.has(x)) k++;
    return k;
  };
  const tryJoin = (t: number, c: number): void => {
    if (clusters[c].has(t)) return;
    if (shared(t, c) / clusters[c].size > 0.51) join(t, c);
  };
  for (const { u, v } of edges) {
    if (!clustersOf.has(u) && !clustersOf.has(v)) {
      clusters.push(new Set());
      join(u, clusters.length - 1);
      join(v, clusters.length - 1);
      continue;
    }
    const ofV = [...(clustersOf.get(v) ?? [])];
    const ofU = [...(clustersOf.get(u) ?? [])];
    for (const c of ofV) tryJoin(u, c);
    for (const c of ofU) tryJoin(v, c);
  }
  // Pruning on the snapshot.
  const keep = new Map<number, number>();
  for (const [t, cs] of clustersOf) {
    let best = -1;
    let bestScore = -1;
    for (const c of cs) {
      const s = shared(t, c);
      if (best === -1 || s > bestScore || (s === bestScore && (clusters[c].size < clusters[best].size || (clusters[c].size === clusters[best].size && c < best)))) {
        best = c;
        bestScore = s;
      }
    }
    keep.set(t, best);
  }
  const finalClusters = new Map<number, Set<number>>();
  for (const [t, c] of keep) {
    if (!finalClusters.has(c)) finalClusters.set(c, new Set());
    finalClusters.get(c)!.add(t);
  }
  // Compact numbering by first member in node order, as the CSR version does.
  const assignment = new Int32Array(nodeCount).fill(-1);
  const index = new Map<number, number>();
  for (let t = 0; t < nodeCount; t++) {
    const c = keep.get(t);
    if (c === undefined || finalClusters.get(c)!.size < 2) continue;
    if (!index.has(c)) index.set(c, index.size);
    assignment[t] = index.get(c)!;
  }
  return assignment;
}
