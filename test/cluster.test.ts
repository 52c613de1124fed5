import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { binaryCannotLinkSource, binaryEdgeSource, readGraphHeader } from '../src/cluster/binary.js';
import { edgesTouching } from '../src/cluster/graph.js';
import { buildGraph, clusterGraph, edgeArrays, edgeList, edgeOrder, matrixVectors, sortEdgesByConfidence, type ClusteringResult, type SynonymGraph } from '../src/cluster/index.js';
import { synographClusters } from '../src/cluster/synograph.js';
import { generateGraph } from '../scripts/generate-graph.js';
import { mulberry32 } from '../src/util/random.js';

/** Clusters as sorted member lists, sorted by first member (ids are an implementation detail). */
function groups(r: ClusteringResult): number[][] {
  const by = new Map<number, number[]>();
  r.assignment.forEach((c, t) => {
    if (c < 0) return;
    if (!by.has(c)) by.set(c, []);
    by.get(c)!.push(t);
  });
  return [...by.values()].sort((a, b) => a[0] - b[0]);
}

function row(g: SynonymGraph, u: number): Array<[number, number]> {
  const { offsets, targets, weights } = g.synonyms;
  const out: Array<[number, number]> = [];
  for (let h = offsets[u]; h < offsets[u + 1]; h++) out.push([targets[h], Number(weights[h].toFixed(3))]);
  return out;
}

/** A seeded random graph: 3 dense groups of 6, noise edges, some cannot-links between groups. */
function randomGraph(seed: number): { edges: Array<[number, number, number]>; cannot: Array<[number, number]>; n: number } {
  const rnd = mulberry32(seed);
  const n = 40;
  const edges: Array<[number, number, number]> = [];
  const cannot: Array<[number, number]> = [];
  for (let g = 0; g < 6; g++) {
    for (let i = 0; i < 6; i++) for (let j = i + 1; j < 6; j++) if (rnd() < 0.8) edges.push([g * 6 + i, g * 6 + j, 0.7 + 0.3 * rnd()]);
  }
  for (let k = 0; k < 60; k++) {
    const a = Math.floor(rnd() * n);
    const b = Math.floor(rnd() * n);
    edges.push([a, b, 0.7 + 0.25 * rnd()]);
    if (k % 4 === 0 && Math.floor(a / 6) !== Math.floor(b / 6)) cannot.push([a, b]);
  }
  return { edges, cannot, n };
}

describe('graph core', () => {
  it('builds a symmetric CSR: self loops dropped, duplicates keep the max weight, rows sorted', () => {
    const g = buildGraph(4, edgeList([[2, 0, 0.8], [0, 1, 0.7], [1, 0, 0.9], [3, 3, 1], [0, 2, 0.75], [3, 1, 0.72]]), {
      cannotLinks: edgeList([[0, 3], [3, 0]]),
    });
    expect(g.edgeCount).toBe(3);
    expect(row(g, 0)).toEqual([[1, 0.9], [2, 0.8]]);
    expect(row(g, 1)).toEqual([[0, 0.9], [3, 0.72]]);
    expect(row(g, 3)).toEqual([[1, 0.72]]);
    expect(g.cannotLinkCount).toBe(1);
    expect(Array.from(g.cannotLinks.targets)).toEqual([3, 0]);
  });

  it('rejects endpoints outside the node range', () => {
    expect(() => buildGraph(2, edgeList([[0, 2, 1]]))).toThrow(/outside/);
  });

  it('orders edges by confidence descending, ties by (smaller id, larger id)', () => {
    const g = buildGraph(5, edgeList([[4, 3, 0.8], [1, 2, 0.9], [2, 0, 0.8], [0, 1, 0.95], [1, 3, 0.8]]));
    const o = sortEdgesByConfidence(g.synonyms);
    const got = Array.from({ length: o.length }, (_, k) => [o.src[k], o.dst[k]]);
    expect(got).toEqual([[0, 1], [1, 2], [0, 2], [1, 3], [3, 4]]);
  });

  it('equals a comparator sort over weights of every magnitude, ties included', () => {
    // Keys differ in every radix digit (exponents from 1e-30 to 1e10, random mantissas) or in none (ties).
    const rnd = mulberry32(11);
    const n = 200;
    const fixed = [0, 1e-30, 1e-3, 0.5, 0.75, 1, 3.5, 1e10];
    const edges: Array<[number, number, number]> = [];
    for (let u = 0; u < n; u++) {
      for (let v = u + 1; v < n; v++) {
        if (rnd() < 0.1) edges.push([u, v, rnd() < 0.5 ? fixed[Math.floor(rnd() * fixed.length)] : Math.fround(10 ** (rnd() * 40 - 30))]);
      }
    }
    const g = buildGraph(n, edgeList(edges));
    const o = sortEdgesByConfidence(g.synonyms);
    const got = Array.from({ length: o.length }, (_, k) => [o.src[k], o.dst[k]]);
    const want = edges
      .map(([u, v, w]) => [u, v, Math.fround(w)] as const)
      .sort((x, y) => y[2] - x[2] || x[0] - y[0] || x[1] - y[1])
      .map(([u, v]) => [u, v]);
    expect(got).toEqual(want);
  });
});

describe('edge order in chunks', () => {
  /** The chunks of one pass, concatenated as [src, dst] pairs (copied: buffers are reused). */
  function pairs(g: SynonymGraph, chunkEdges: number): Array<[number, number]> {
    const out: Array<[number, number]> = [];
    for (const c of edgeOrder(g.synonyms, chunkEdges).chunks()) for (let k = 0; k < c.length; k++) out.push([c.src[k], c.dst[k]]);
    return out;
  }

  it('equals the one-piece order for any chunk size, with weights tied across chunks', () => {
    const rnd = mulberry32(7);
    const n = 60;
    const edges: Array<[number, number, number]> = [];
    // Half the weights from 3 values (ties larger than a chunk), half continuous.
    for (let k = 0; k < 400; k++) edges.push([Math.floor(rnd() * n), Math.floor(rnd() * n), k % 2 ? [0.75, 0.8, 1][k % 3] : 0.7 + 0.3 * rnd()]);
    const g = buildGraph(n, edgeList(edges));
    const one = sortEdgesByConfidence(g.synonyms);
    const want = Array.from({ length: one.length }, (_, k) => [one.src[k], one.dst[k]]);
    for (const size of [1, 3, 17, 100, 1e9]) {
      const order = edgeOrder(g.synonyms, size);
      expect(order.length).toBe(g.edgeCount);
      expect(pairs(g, size)).toEqual(want);
      // A second pass gives the same again.
      const again: Array<[number, number]> = [];
      for (const c of order.chunks()) for (let k = 0; k < c.length; k++) again.push([c.src[k], c.dst[k]]);
      for (const c of order.chunks()) expect(c.length).toBeGreaterThan(0);
      expect(again).toEqual(want);
    }
  });

  it('edgesTouching keeps exactly the edges with a kept endpoint, rows sorted, and their order is the full order restricted', () => {
    const { edges, n } = randomGraph(3);
    const g = buildGraph(n, edgeList(edges));
    const keep = new Uint8Array(n);
    for (const t of [0, 5, 7, 20, 33]) keep[t] = 1;
    const sub = edgesTouching(g.synonyms, keep)!;
    for (let u = 0; u < n; u++) {
      const want = row(g, u).filter(([v]) => keep[u] || keep[v]);
      const got: Array<[number, number]> = [];
      for (let h = sub.offsets[u]; h < sub.offsets[u + 1]; h++) got.push([sub.targets[h], Number(sub.weights[h].toFixed(3))]);
      expect(got).toEqual(want);
    }
    const full = pairs(g, 1e9).filter(([a, b]) => keep[a] || keep[b]);
    const restricted: Array<[number, number]> = [];
    for (const c of edgeOrder(sub).chunks()) for (let k = 0; k < c.length; k++) restricted.push([c.src[k], c.dst[k]]);
    expect(restricted).toEqual(full);
    expect(edgesTouching(g.synonyms, keep, 3)).toBeNull();
  });

  it('synograph gives the same clustering with the order in many chunks (planted graph of 5,000 words)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'synograph-order-'));
    try {
      const file = join(dir, 'g.bin');
      generateGraph({ nodes: 5000, out: file, seed: 3 });
      const header = readGraphHeader(file);
      const g = buildGraph(header.nodeCount, binaryEdgeSource(file, header, 4096), { cannotLinks: binaryCannotLinkSource(file, header, 4096) });
      const ref = synographClusters(g);
      // 160k edges: 8 chunks (reexpand on the edges of free words), then 80 (their edges are
      // over budget on the first round, so it rescans the full order, and within it later).
      for (const orderChunkEdges of [20_000, 2_000]) {
        const chunked = synographClusters(g, { orderChunkEdges });
        for (const key of ['assignment', 'support', 'representative'] as const) expect(Array.from(chunked[key])).toEqual(Array.from(ref[key]));
        for (const key of ['node', 'cluster', 'support'] as const) expect(Array.from(chunked.alternatives[key])).toEqual(Array.from(ref.alternatives[key]));
      }
      expect(ref.alternatives.node.length).toBeGreaterThan(0);
      // Each alternative's support is |N(t) ∩ C| / |C| by the final labels, however it was counted.
      const size = new Map<number, number>();
      for (const c of ref.assignment) size.set(c, (size.get(c) ?? 0) + 1);
      const { offsets, targets } = g.synonyms;
      for (let i = 0; i < ref.alternatives.node.length; i++) {
        const t = ref.alternatives.node[i];
        const c = ref.alternatives.cluster[i];
        let shared = 0;
        for (let h = offsets[t]; h < offsets[t + 1]; h++) if (ref.assignment[targets[h]] === c) shared++;
        expect(ref.alternatives.support[i]).toBe(Math.fround(shared / size.get(c)!));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('paper algorithm (Tosun et al. 2026, stages 5-6)', () => {
  it('opens, expands with the strict 0.51 ratio and leaves failed words unclustered', () => {
    // Order: (3,4).95 (0,1).9 (0,2).8 (1,2).8 (2,3).75 (4,5).7
    // (3,4): open C0={3,4}. (0,1): open C1={0,1}.
    // (0,2): 2 joins C1: N(2)∩C1={0,1}, 2/2 > .51 -> C1={0,1,2}. (1,2): nothing new.
    // (2,3): 2 -> C0? N(2)∩C0={3}: 1/2 = .5, not > .51. 3 -> C1? {2}: 1/3. No.
    // (4,5): 5 -> C0? N(5)∩C0={4}: 1/2. No: 5 stays unclustered (-1).
    const g = buildGraph(6, edgeList([[0, 1, 0.9], [1, 2, 0.8], [0, 2, 0.8], [2, 3, 0.75], [3, 4, 0.95], [4, 5, 0.7]]));
    const r = clusterGraph(g, 'paper');
    expect(Array.from(r.assignment)).toEqual([0, 0, 0, 1, 1, -1]);
    expect(r.clusterCount).toBe(2);
    expect(r.alternatives.node.length).toBe(0);
  });

  it('prunes a word in two clusters: equal shared neighbours -> the smaller cluster wins', () => {
    // (3,4).99 open C0={3,4}; (3,5).98: 5 joins C0 (N(5)∩C0={3,4}, 2/2); (4,5) nothing.
    // (0,1).96 open C1={0,1}; (0,2).9: 2 joins C1 (2/2); (1,2) nothing.
    // (2,3).85: 2 joins C0 (N(2)∩{3,4,5}={3,4}: 2/3 > .51); 3 -> C1? {2}: 1/3 no.
    // (2,4).85: 4 -> C1? {2}: 1/3 no.
    // Prune 2: C0 score 2 (size 4), C1 score 2 (size 3) -> smaller C1 although its id is higher.
    const g = buildGraph(6, edgeList([[3, 4, 0.99], [3, 5, 0.98], [4, 5, 0.97], [0, 1, 0.96], [0, 2, 0.9], [1, 2, 0.9], [2, 3, 0.85], [2, 4, 0.85]]));
    const r = clusterGraph(g, 'paper');
    expect(groups(r)).toEqual([[0, 1, 2], [3, 4, 5]]);
  });

  it('keeps a drifted cluster whose bridge was pruned away (the weakness synograph fixes)', () => {
    // D: (4,5).999 open C0; (4,6): 6 joins (2/2); (5,6) -; (4,7): 7 joins (3/3); C0={4,5,6,7}.
    // (0,1).99 open C1={0,1}; (0,2).97: 2 joins C1 (2/2); (1,2) -; (1,3).95: 3 joins C1
    // (N(3)∩{0,1,2}={1,2}: 2/3); (2,3) -.
    // (1,4).9: 1 joins C0 (N(1)∩C0 = 4/4); 4 -> C1? {1}: 1/4 no. (1,5),(1,6),(1,7): no joins.
    // Prune 1: C1 score |{0,2,3}|=3, C0 score 4 -> C0. C1 = {0,2,3} although 0 and 3 are not synonyms.
    const g = buildGraph(8, drift());
    expect(groups(clusterGraph(g, 'paper'))).toEqual([[0, 2, 3], [1, 4, 5, 6, 7]]);
  });
});

function drift() {
  return edgeList([
    [4, 5, 0.999], [4, 6, 0.998], [5, 6, 0.997], [4, 7, 0.996], [5, 7, 0.995], [6, 7, 0.994],
    [0, 1, 0.99], [0, 2, 0.97], [1, 2, 0.96], [1, 3, 0.95], [2, 3, 0.94],
    [1, 4, 0.9], [1, 5, 0.9], [1, 6, 0.9], [1, 7, 0.9],
  ]);
}

describe('synograph algorithm', () => {
  it('re-checks support after pruning and peels the member that lost its support', () => {
    // Same expansion and pruning as the paper case above: C1={0,2,3}, C0={1,4,5,6,7}.
    // Re-check C1: support 0 = |{2}|/2 = .5, 2 = 2/2, 3 = |{2}|/2 = .5 -> worst tie, higher id 3 peeled;
    // then {0,2}: 1/1 each, stable. Re-expansion for 3: (1,3): join C0? 1/5 no; (2,3): join {0,2}? 1/2 no.
    // 3 ends a singleton. Node 1's losing membership (C1, now {0,2}) is an alternative: 2/2 = 1.
    const g = buildGraph(8, drift());
    const r = clusterGraph(g, 'synograph');
    expect(groups(r)).toEqual([[0, 2], [1, 4, 5, 6, 7], [3]]);
    expect(Array.from(r.alternatives.node)).toEqual([1]);
    expect(r.alternatives.cluster[0]).toBe(r.assignment[0]);
    expect(r.alternatives.support[0]).toBe(1);
    expect(r.support[3]).toBe(0);
    expect(r.support[1]).toBe(1);
  });

  it('never opens or grows a cluster across a cannot-link', () => {
    // Triangle, 0 and 2 cannot-linked: (0,1) opens {0,1}; 2 may not join (holds 0) -> singleton.
    const g = buildGraph(3, edgeList([[0, 1, 0.9], [0, 2, 0.9], [1, 2, 0.9]]), { cannotLinks: edgeList([[2, 0]]) });
    expect(groups(clusterGraph(g, 'paper'))).toEqual([[0, 1, 2]]);
    expect(groups(clusterGraph(g, 'synograph'))).toEqual([[0, 1], [2]]);
    const pair = buildGraph(2, edgeList([[0, 1, 0.99]]), { cannotLinks: edgeList([[0, 1]]) });
    expect(groups(clusterGraph(pair, 'synograph'))).toEqual([[0], [1]]);
  });

  it('with every switch off equals the paper, plus singletons', () => {
    const { edges, n } = randomGraph(7);
    const g = buildGraph(n, edgeList(edges));
    const paper = clusterGraph(g, 'paper');
    const plain = clusterGraph(g, 'synograph', { synograph: { cannotLinks: false, recheck: false, reexpand: false } });
    const paperGroups = groups(paper);
    expect(groups(plain).filter((x) => x.length > 1)).toEqual(paperGroups);
  });

  it('tells each pass its seconds, in order, and clusters the same with or without being told', () => {
    const { edges, n } = randomGraph(11);
    const g = buildGraph(n, edgeList(edges));
    const told: [string, number][] = [];
    const timed = synographClusters(g, { onPhase: (phase, seconds) => told.push([phase, seconds]) });
    const phases = told.map(([phase]) => phase).join(' ');
    expect(phases).toMatch(/^order filters expansion pruning (peel reexpand )+peel result alternatives$/);
    for (const [, seconds] of told) expect(seconds).toBeGreaterThanOrEqual(0);
    expect(Array.from(timed.assignment)).toEqual(Array.from(synographClusters(g).assignment));
    const off: string[] = [];
    synographClusters(g, { recheck: false, reexpand: false, alternatives: false, onPhase: (phase) => off.push(phase) });
    expect(off).toEqual(['order', 'filters', 'expansion', 'pruning', 'result']);
  });

  it('puts every node in exactly one cluster, respects cannot-links and keeps support > threshold', () => {
    for (const seed of [1, 2, 3, 4]) {
      const { edges, cannot, n } = randomGraph(seed);
      const g = buildGraph(n, edgeList(edges), { cannotLinks: edgeList(cannot) });
      const r = clusterGraph(g, 'synograph');
      for (let t = 0; t < n; t++) expect(r.assignment[t]).toBeGreaterThanOrEqual(0);
      expect(Math.max(...r.assignment)).toBe(r.clusterCount - 1);
      for (const [a, b] of cannot) expect(r.assignment[a]).not.toBe(r.assignment[b]);
      const size = new Map<number, number>();
      r.assignment.forEach((c) => size.set(c, (size.get(c) ?? 0) + 1));
      r.assignment.forEach((c, t) => {
        if (size.get(c)! > 1) expect(r.support[t]).toBeGreaterThan(0.51);
      });
      for (let c = 0; c < r.clusterCount; c++) expect(r.assignment[r.representative[c]]).toBe(c);
    }
  });

  it('does not depend on the input edge order or direction', () => {
    const { edges, cannot, n } = randomGraph(11);
    const ref = clusterGraph(buildGraph(n, edgeList(edges), { cannotLinks: edgeList(cannot) }), 'synograph');
    const rnd = mulberry32(5);
    for (let trial = 0; trial < 3; trial++) {
      const shuffled = edges.map((e) => (rnd() < 0.5 ? ([e[1], e[0], e[2]] as [number, number, number]) : e));
      for (let i = shuffled.length - 1; i > 0; i--) {
        const j = Math.floor(rnd() * (i + 1));
        [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
      }
      // Also split into several chunks.
      const a = Int32Array.from(shuffled, (e) => e[0]);
      const b = Int32Array.from(shuffled, (e) => e[1]);
      const w = Float32Array.from(shuffled, (e) => e[2]);
      const half = a.length >> 1;
      const g = buildGraph(n, () => [
        { a: a.subarray(0, half), b: b.subarray(0, half), w: w.subarray(0, half) },
        { a: a.subarray(half), b: b.subarray(half), w: w.subarray(half) },
      ], { cannotLinks: edgeList(cannot.map(([x, y]) => [y, x])) });
      const r = clusterGraph(g, 'synograph');
      expect(Array.from(r.assignment)).toEqual(Array.from(ref.assignment));
      expect(Array.from(r.alternatives.node)).toEqual(Array.from(ref.alternatives.node));
    }
  });

  it('picks the member closest to the centroid as representative when vectors are given', () => {
    // Clique {0,1,2}; vectors: 0 at (0,0), 1 at (1,0), 2 at (0.6,0) -> centroid (0.533,0): closest is 2.
    // Without vectors: highest weighted degree inside: 1 (0.9 + 0.8) over 0 (0.9 + 0.7) and 2 (0.7 + 0.8).
    const g = buildGraph(3, edgeList([[0, 1, 0.9], [0, 2, 0.7], [1, 2, 0.8]]));
    const vectors = matrixVectors(Float32Array.from([0, 0, 1, 0, 0.6, 0]), 2);
    expect(Array.from(clusterGraph(g, 'synograph', { vectors }).representative)).toEqual([2]);
    expect(Array.from(clusterGraph(g, 'synograph').representative)).toEqual([1]);
  });

  it('reads the vectors of the members of clusters of two or more only, and a singleton represents itself', () => {
    // The clique of the test above plus a lone node 3.
    const g = buildGraph(4, edgeList([[0, 1, 0.9], [0, 2, 0.7], [1, 2, 0.8]]));
    const matrix = matrixVectors(Float32Array.from([0, 0, 1, 0, 0.6, 0]), 2);
    const asked: number[][] = [];
    const vectors = { dims: 2, read: (nodes: Int32Array) => (asked.push(Array.from(nodes)), matrix.read(nodes)) };
    const r = clusterGraph(g, 'synograph', { vectors });
    expect(r.clusterCount).toBe(2);
    expect(r.representative[r.assignment[0]]).toBe(2);
    expect(r.representative[r.assignment[3]]).toBe(3);
    expect(asked).toEqual([[0, 1, 2]]);
    // A matrix without a row for a node that needs one says so.
    const g2 = buildGraph(4, edgeList([[0, 1, 0.9], [2, 3, 0.9]]));
    expect(() => clusterGraph(g2, 'synograph', { vectors: matrix })).toThrow(/vectors hold 3 rows, node 3 asked for/);
  });

  it('weighted support and a maximum cluster size are honoured', () => {
    // Star-ish clique of 5: with maxClusterSize 3 no cluster exceeds 3 members.
    const e: Array<[number, number, number]> = [];
    for (let i = 0; i < 5; i++) for (let j = i + 1; j < 5; j++) e.push([i, j, 0.9 - 0.01 * (i + j)]);
    const g = buildGraph(5, edgeList(e));
    const capped = clusterGraph(g, 'synograph', { synograph: { maxClusterSize: 3 } });
    expect(groups(capped).map((x) => x.length).sort()).toEqual([2, 3]);
    // Weighted: t linked to both members of {0,1} at 0.5 has weighted ratio 0.5 -> does not join.
    const w = buildGraph(3, edgeList([[0, 1, 0.99], [0, 2, 0.5], [1, 2, 0.5]]));
    expect(groups(clusterGraph(w, 'synograph', { synograph: { weighted: true } }))).toEqual([[0, 1], [2]]);
    expect(groups(clusterGraph(w, 'synograph'))).toEqual([[0, 1, 2]]);
  });
});

describe('baselines on the CSR graph', () => {
  // Two 4-cliques {0..3}, {4..7} joined by one weak edge 3-4, node 8 isolated.
  const two = (): SynonymGraph => {
    const e: Array<[number, number, number]> = [];
    for (const base of [0, 4]) for (let i = 0; i < 4; i++) for (let j = i + 1; j < 4; j++) e.push([base + i, base + j, 0.9]);
    e.push([3, 4, 0.71]);
    return buildGraph(9, edgeList(e));
  };

  it('components join everything connected, singletons for isolated nodes', () => {
    expect(groups(clusterGraph(two(), 'components'))).toEqual([[0, 1, 2, 3, 4, 5, 6, 7], [8]]);
  });

  it('Chinese Whispers and Louvain split the two cliques, deterministically', () => {
    for (const alg of ['chineseWhispers', 'louvain'] as const) {
      const a = clusterGraph(two(), alg, { seed: 3 });
      expect(groups(a)).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [8]]);
      expect(Array.from(clusterGraph(two(), alg, { seed: 3 }).assignment)).toEqual(Array.from(a.assignment));
    }
  });

  it('Watset gives a bridge word one hard cluster and its other sense as an alternative', () => {
    // Cliques {0,1,2,3} and {4,5,6,7}; word 8 linked to all of the first (0.9) and all of the second (0.8).
    // Ego network of 8 = two disconnected cliques -> two senses; its best-supported sense is the first.
    const e: Array<[number, number, number]> = [];
    for (const base of [0, 4]) for (let i = 0; i < 4; i++) for (let j = i + 1; j < 4; j++) e.push([base + i, base + j, 0.95]);
    for (let i = 0; i < 4; i++) e.push([8, i, 0.9], [8, 4 + i, 0.8]);
    const r = clusterGraph(buildGraph(9, edgeList(e)), 'watset');
    expect(groups(r)).toEqual([[0, 1, 2, 3, 8], [4, 5, 6, 7]]);
    expect(Array.from(r.alternatives.node)).toEqual([8]);
    expect(r.alternatives.cluster[0]).toBe(r.assignment[4]);
    expect(r.alternatives.support[0]).toBeCloseTo(3.2 / 6.8, 5);
  });

  it('chunked input equals one array', () => {
    const { edges, n } = randomGraph(3);
    const a = Int32Array.from(edges, (e) => e[0]);
    const b = Int32Array.from(edges, (e) => e[1]);
    const w = Float32Array.from(edges, (e) => e[2]);
    const one = buildGraph(n, edgeArrays(a, b, w));
    const many = buildGraph(n, () => Array.from({ length: edges.length }, (_, i) => ({ a: a.subarray(i, i + 1), b: b.subarray(i, i + 1), w: w.subarray(i, i + 1) })));
    expect(Array.from(many.synonyms.targets)).toEqual(Array.from(one.synonyms.targets));
    expect(Array.from(many.synonyms.offsets)).toEqual(Array.from(one.synonyms.offsets));
  });
});
