import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binaryCannotLinkSource, binaryEdgeSource, readGraphHeader } from '../src/cluster/binary.js';
import { buildGraph, edgeList, edgeOrder, type SynonymGraph } from '../src/cluster/index.js';
import { defaultClusteringEngine } from '../src/cluster/compiled.js';
import { expand, PAPER_EXPANSION, prune, rowFilters, SoftClusters, type ExpansionOptions } from '../src/cluster/soft.js';
import { synographClusters } from '../src/cluster/synograph.js';
import { finishResult } from '../src/cluster/result.js';
import { nativeAddon } from '../src/util/native-addon.js';
import { generateGraph } from '../scripts/generate-graph.js';

/** Every cluster's members and every node's clusters, in join order: what the rest reads. */
function lists(soft: SoftClusters): { members: number[][]; clusters: number[][] } {
  const members: number[][] = [];
  for (let c = 0; c < soft.clusterCount; c++) members.push(Array.from(soft.pool.subarray(soft.memberStart(c), soft.memberStart(c) + soft.size(c))));
  const clusters: number[][] = [];
  for (let t = 0; t < soft.nodeCount; t++) clusters.push(Array.from(soft.nodePool.subarray(soft.clusterStart(t), soft.clusterStart(t) + soft.membershipCount(t))));
  return { members, clusters };
}

// `npm ci` builds the addon; the JS path stays for machines without a compiler.
describe('compiled expansion (native/expand.cc)', () => {
  let dir: string;
  let graph: SynonymGraph;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'synograph-expand-'));
    const file = join(dir, 'g.bin');
    generateGraph({ nodes: 8000, out: file, seed: 5 });
    const header = readGraphHeader(file);
    graph = buildGraph(header.nodeCount, binaryEdgeSource(file, header), { cannotLinks: binaryCannotLinkSource(file, header) });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is built here and is the default', () => {
    expect(nativeAddon()).not.toBeNull();
    expect(defaultClusteringEngine()).toBe('native');
  });

  const variants: Array<[string, ExpansionOptions]> = [
    ['paper', PAPER_EXPANSION],
    ['cannot-links', { ...PAPER_EXPANSION, cannotLinks: true }],
    ['weighted', { ...PAPER_EXPANSION, weighted: true, cannotLinks: true }],
    ['capped at 4', { ...PAPER_EXPANSION, maxClusterSize: 4 }],
    ['threshold 0.45', { ...PAPER_EXPANSION, threshold: 0.45 }],
  ];
  for (const [name, opt] of variants) {
    it(`builds the same lists as the JS (${name}), in one chunk and in many, and prunes them alike`, () => {
      const filter = rowFilters(graph);
      const soft = expand(graph, edgeOrder(graph.synonyms), opt, filter, 'js');
      const js = lists(soft);
      expect(js.members.length).toBeGreaterThan(500);
      expect(js.members.some((m) => m.length > 4) || opt.maxClusterSize > 0).toBe(true);
      for (const chunkEdges of [1 << 25, 5_000]) {
        const native = lists(expand(graph, edgeOrder(graph.synonyms, chunkEdges), opt, filter, 'native'));
        expect(native.members).toEqual(js.members);
        expect(native.clusters).toEqual(js.clusters);
      }
      const a = prune(graph, soft, opt.weighted, filter, 'js');
      const b = prune(graph, soft, opt.weighted, filter, 'native');
      expect(a.losers.node.length).toBeGreaterThan(0);
      expect(Array.from(b.clusterOf)).toEqual(Array.from(a.clusterOf));
      expect(Array.from(b.losers.node)).toEqual(Array.from(a.losers.node));
      expect(Array.from(b.losers.cluster)).toEqual(Array.from(a.losers.cluster));
    });
  }

  // The helper thread answers `passes` ahead of the expansion, each answer for the cluster's size it
  // saw; with HELPER_EVERY the expansion waits for its answer at every edge, so answers fresh and
  // stale are both read. A wrong answer, or a stale one taken, changes the lists.
  it('builds the same lists when a helper thread answers ahead, and takes only answers still fresh', () => {
    const addon = nativeAddon() as {
      expandBegin(n: number, ...rest: unknown[]): object;
      expandChunk(state: object, ...rest: unknown[]): void;
      expandEnd(state: object): Parameters<typeof SoftClusters.from>[1] & { hinted: number; computed: number };
    };
    const filter = rowFilters(graph);
    const { synonyms: s, cannotLinks: c } = graph;
    const arrays = [s.offsets, s.targets, s.weights, c.offsets, c.targets, filter];
    const HELPER_OFF = 1;
    const HELPER_EVERY = 2;
    expect(() => addon.expandBegin(graph.nodeCount, ...arrays, 0.51, false, false, 0, 3)).toThrow(/bad argument/);
    for (const [, opt] of variants) {
      const js = lists(expand(graph, edgeOrder(graph.synonyms), opt, filter, 'js'));
      for (const chunkEdges of [1 << 25, 5_000]) {
        const run = (helper: number) => {
          const state = addon.expandBegin(graph.nodeCount, ...arrays, opt.threshold, opt.weighted, opt.cannotLinks, opt.maxClusterSize, helper);
          for (const chunk of edgeOrder(graph.synonyms, chunkEdges).chunks()) addon.expandChunk(state, ...arrays, chunk.src, chunk.dst, chunk.length);
          return addon.expandEnd(state);
        };
        const alone = run(HELPER_OFF);
        const helped = run(HELPER_EVERY);
        expect(lists(SoftClusters.from(graph.nodeCount, helped))).toEqual(js);
        expect(alone.hinted).toBe(0);
        expect(helped.hinted).toBeGreaterThan(0);
        // Every test of `passes` is answered once, by the helper or on the expansion's thread.
        expect(helped.hinted + helped.computed).toBe(alone.computed);
      }
    }
  });

  // Node would free them only after the clustering returns (an external buffer's finaliser waits
  // for the event loop): release frees them now, and a view of them reads as empty.
  it('frees the compiled soft lists at once on release, and only once', () => {
    const filter = rowFilters(graph);
    const soft = expand(graph, edgeOrder(graph.synonyms), PAPER_EXPANSION, filter, 'native');
    const views = [soft.head, soft.pool, soft.nodeMeta, soft.nodePool];
    const bytes = views.reduce((sum, v) => sum + v.byteLength, 0);
    const pruned = prune(graph, soft, false, filter, 'native');
    const clusterCount = soft.clusterCount;
    expect(soft.release()).toBe(bytes);
    expect(bytes).toBeGreaterThan(8000 * 8);
    expect(views.map((v) => v.length)).toEqual([0, 0, 0, 0]);
    expect(soft.clusterCount).toBe(clusterCount);
    expect(soft.release()).toBe(0);
    // The vote's own arrays are not the lists: untouched.
    expect(pruned.clusterOf.length).toBe(8000);
    const addon = nativeAddon() as unknown as { releaseLists(...a: unknown[]): number };
    expect(() => addon.releaseLists([1, 2])).toThrow(/not a typed array/);
    // A buffer V8 allocated is detached (and freed by V8), not counted.
    const own = new Int32Array(16);
    expect(addon.releaseLists(own)).toBe(0);
    expect(own.length).toBe(0);
    // The JS lists are let go for the collector.
    const js = expand(graph, edgeOrder(graph.synonyms), PAPER_EXPANSION, filter, 'js');
    expect(js.release()).toBe(0);
    expect(js.pool.length).toBe(0);
  });

  // Weighted peels subtract P(synonym)s: the compiled sums must be the JS's, in the same order.
  for (const weighted of [false, true]) {
    it(`gives the same synograph clustering, peels and alternatives included (${weighted ? 'weighted' : 'counted'})`, () => {
      const js = synographClusters(graph, { expansion: 'js', weighted });
      const native = synographClusters(graph, { expansion: 'native', weighted });
      for (const key of ['assignment', 'support', 'representative'] as const) expect(Array.from(native[key])).toEqual(Array.from(js[key]));
      for (const key of ['node', 'cluster', 'support'] as const) expect(Array.from(native.alternatives[key])).toEqual(Array.from(js.alternatives[key]));
      // Without the recheck the same graph gives other clusters: the peel did work here.
      const unpeeled = synographClusters(graph, { expansion: 'native', weighted, recheck: false });
      expect(Array.from(unpeeled.assignment)).not.toEqual(Array.from(native.assignment));
      // And the compiled reexpansion did too; in many chunks (sorted two at a time) it is the same.
      const unjoined = synographClusters(graph, { expansion: 'native', weighted, reexpand: false });
      expect(Array.from(unjoined.assignment)).not.toEqual(Array.from(native.assignment));
      const chunked = synographClusters(graph, { expansion: 'native', weighted, orderChunkEdges: 3_000 });
      expect(Array.from(chunked.assignment)).toEqual(Array.from(js.assignment));
    });
  }

  it('scans the result on two threads with the JS numbers, the lower rows winning ties', () => {
    // A chain of equal weights, long enough (80k half-edges) for the two-thread scan.
    const n = 40_000;
    const edges: [number, number, number][] = [];
    for (let i = 0; i + 1 < n; i++) edges.push([i, i + 1, 0.5]);
    const g = buildGraph(n, edgeList(edges));
    const labels = new Int32Array(n).fill(-1);
    // Cluster 0: four members of one inside degree each, two in each half of the rows.
    for (const t of [0, 1, n - 2, n - 1]) labels[t] = 0;
    // Cluster 1: 30001 has two neighbours inside, the others one.
    for (const t of [10, 11, 30_000, 30_001, 30_002]) labels[t] = 1;
    const js = finishResult(g, 'synograph', labels, 2, { singletons: false, engine: 'js' });
    const native = finishResult(g, 'synograph', labels, 2, { singletons: false, engine: 'native' });
    expect(Array.from(native.support)).toEqual(Array.from(js.support));
    expect(Array.from(native.representative)).toEqual(Array.from(js.representative));
    expect(Array.from(js.representative)).toEqual([0, 30_001]);
    // And on the planted graph's own clusters.
    const result = synographClusters(graph, { expansion: 'native' });
    const a = finishResult(graph, 'synograph', result.assignment, result.clusterCount, { singletons: true, engine: 'js' });
    const b = finishResult(graph, 'synograph', result.assignment, result.clusterCount, { singletons: true, engine: 'native' });
    expect(Array.from(b.support)).toEqual(Array.from(a.support));
    expect(Array.from(b.representative)).toEqual(Array.from(a.representative));
    const addon = nativeAddon() as { scanRows(...args: unknown[]): void };
    expect(() => addon.scanRows(g.synonyms.offsets, g.synonyms.targets, g.synonyms.weights, labels, 1, new Float32Array(n), new Int32Array(1))).toThrow(/not below clusterCount/);
    expect(() => addon.scanRows(g.synonyms.offsets, g.synonyms.targets, g.synonyms.weights, labels, 2, new Float32Array(n - 1), new Int32Array(2))).toThrow(/lengths/);
    const bad = Int32Array.from(g.synonyms.targets);
    bad[bad.length - 1] = n;
    expect(() => addon.scanRows(g.synonyms.offsets, bad, g.synonyms.weights, labels, 2, new Float32Array(n), new Int32Array(2))).toThrow(/not a node/);
  });

  it('refuses a reexpansion without room for its free words, before it changes anything', () => {
    const addon = nativeAddon() as { reexpandHard(...args: unknown[]): [number, number, boolean] };
    const g = buildGraph(4, edgeList([[0, 1, 0.9], [1, 2, 0.8], [0, 2, 0.7], [2, 3, 0.9]]));
    const clusterOf = Int32Array.of(0, 0, -1, -1);
    const call = (sizes: Int32Array, grown: Int32Array, src = Int32Array.of(2, 1), dst = Int32Array.of(3, 2)) =>
      addon.reexpandHard(g.synonyms.offsets, g.synonyms.targets, g.synonyms.weights, g.cannotLinks.offsets, g.cannotLinks.targets, clusterOf, sizes, 1, grown, 0, src, dst, 2, 0.51, false, true, 0);
    expect(() => call(Int32Array.of(2), new Int32Array(2))).toThrow(/need room/);
    expect(Array.from(clusterOf)).toEqual([0, 0, -1, -1]);
    expect(() => call(Int32Array.of(2, 0), new Int32Array(2), Int32Array.of(2, 1), Int32Array.of(4, 2))).toThrow(/not a node/);
    // (2, 3) opens cluster 1; (1, 2) finds 2 taken.
    const sizes = Int32Array.of(2, 0);
    const grown = new Int32Array(2);
    expect(call(sizes, grown)).toEqual([2, 1, true]);
    expect(Array.from(clusterOf)).toEqual([0, 0, 1, 1]);
    expect(Array.from(sizes)).toEqual([2, 2]);
    expect(grown[0]).toBe(1);
  });

  it('counts the support of a free word with the labels its free neighbours took since its last attempt', () => {
    const addon = nativeAddon() as { reexpandHard(...args: unknown[]): [number, number, boolean] };
    // Cluster 0 = {0, 1, 2, 3}; word 4 has 0, 1 and 5 as synonyms, word 5 has 0, 1 and 2.
    const g = buildGraph(6, edgeList([[0, 1, 1], [0, 2, 1], [0, 3, 1], [1, 2, 1], [1, 3, 1], [2, 3, 1], [4, 0, 1], [4, 1, 1], [4, 5, 1], [5, 0, 1], [5, 1, 1], [5, 2, 1]]));
    const clusterOf = Int32Array.of(0, 0, 0, 0, -1, -1);
    const sizes = Int32Array.of(4, 0, 0);
    const grown = new Int32Array(2);
    // (0, 4): 2 of 4, refused; (1, 4) again: refused; (0, 5): 3 of 4, joins; (1, 4): 3 of 5
    // (5, free at 4's first attempt, among them now), joins.
    const src = Int32Array.of(0, 1, 0, 1);
    const dst = Int32Array.of(4, 4, 5, 4);
    const r = addon.reexpandHard(g.synonyms.offsets, g.synonyms.targets, g.synonyms.weights, g.cannotLinks.offsets, g.cannotLinks.targets, clusterOf, sizes, 1, grown, 0, src, dst, 4, 0.51, false, false, 0);
    expect(r).toEqual([1, 2, true]);
    expect(Array.from(clusterOf)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(sizes[0]).toBe(6);
  });

  it('refuses arrays that are not the CSR it checked, and edges outside the graph', () => {
    const addon = nativeAddon() as {
      expandBegin(n: number, ...rest: unknown[]): object;
      expandChunk(state: object, ...rest: unknown[]): void;
      expandEnd(state: object): unknown;
    };
    const g = buildGraph(3, edgeList([[0, 1, 0.9], [1, 2, 0.8], [0, 2, 0.7]]));
    const filter = rowFilters(g);
    const arrays = [g.synonyms.offsets, g.synonyms.targets, g.synonyms.weights, g.cannotLinks.offsets, g.cannotLinks.targets, filter];
    const bad = Int32Array.from(g.synonyms.targets);
    bad[0] = 7;
    expect(() => addon.expandBegin(3, g.synonyms.offsets, bad, ...arrays.slice(2), 0.51, false, false, 0)).toThrow(/do not form a CSR/);
    bad[0] = -1; // read as unsigned, past every node
    expect(() => addon.expandBegin(3, g.synonyms.offsets, bad, ...arrays.slice(2), 0.51, false, false, 0)).toThrow(/do not form a CSR/);
    // Float64 offsets (past 2^32 half-edges) are read as integers only when they are whole.
    expect(() => addon.expandBegin(3, Float64Array.of(0, 1, NaN, 4), ...arrays.slice(1), 0.51, false, false, 0)).toThrow(/do not form a CSR/);
    expect(addon.expandBegin(3, Float64Array.from(g.synonyms.offsets), ...arrays.slice(1), 0.51, false, false, 0)).toBeTypeOf('object');
    const state = addon.expandBegin(3, ...arrays, 0.51, false, false, 0);
    expect(() => addon.expandChunk(state, g.synonyms.offsets, Int32Array.from(g.synonyms.targets), ...arrays.slice(2), Int32Array.of(0), Int32Array.of(1), 1)).toThrow(/not the graph/);
    expect(() => addon.expandChunk(state, ...arrays, Int32Array.of(0), Int32Array.of(3), 1)).toThrow(/not a node/);
    expect(() => addon.expandChunk(state, ...arrays, Int32Array.of(0), Int32Array.of(1), 2)).toThrow(/exceeds/);
    // (0, 1) opens a cluster, 2 joins it on (1, 2): both its synonyms are there.
    addon.expandChunk(state, ...arrays, Int32Array.of(0, 1), Int32Array.of(1, 2), 2);
    const done = lists(SoftClusters.from(3, addon.expandEnd(state) as Parameters<typeof SoftClusters.from>[1]));
    expect(done).toEqual({ members: [[0, 1, 2]], clusters: [[0], [0], [0]] });
    expect(() => addon.expandEnd(state)).toThrow(/not a running expansion/);
    const soft = expand(g, edgeOrder(g.synonyms), PAPER_EXPANSION, filter, 'native');
    const nodePool = Int32Array.from(soft.nodePool);
    nodePool[soft.clusterStart(2)] = 5; // a cluster that does not exist
    const prune = addon as unknown as { pruneSoft(...args: unknown[]): unknown };
    expect(() => prune.pruneSoft(3, ...arrays, soft.head, soft.pool, soft.nodeMeta, nodePool, soft.clusterCount, false)).toThrow(/do not fit/);
    expect(prune.pruneSoft(3, ...arrays, soft.head, soft.pool, soft.nodeMeta, soft.nodePool, soft.clusterCount, false)).toMatchObject({ clusterOf: Int32Array.of(0, 0, 0) });
    const peel = addon as unknown as { peelHard(...args: unknown[]): boolean };
    const peelArgs = (clusterOf: Int32Array, sizes: Int32Array) => [g.synonyms.offsets, g.synonyms.targets, g.synonyms.weights, filter, clusterOf, sizes, 1, 0.51, false, null];
    expect(() => peel.peelHard(...peelArgs(Int32Array.of(0, 0, 1), Int32Array.of(3)))).toThrow(/not below clusterCount/);
    // The triangle holds; a cluster of 0 and 2 alone (no edge between them) is peeled to nothing.
    expect(peel.peelHard(...peelArgs(Int32Array.of(0, 0, 0), Int32Array.of(3)))).toBe(false);
    const apart = buildGraph(3, edgeList([[0, 1, 0.9], [1, 2, 0.8]]));
    const sizes = Int32Array.of(2);
    const clusterOf = Int32Array.of(0, -1, 0);
    const apartArgs = [apart.synonyms.offsets, apart.synonyms.targets, apart.synonyms.weights, rowFilters(apart), clusterOf, sizes, 1, 0.51, false];
    expect(peel.peelHard(...apartArgs, Uint8Array.of(0))).toBe(false); // not marked: left alone
    expect(peel.peelHard(...apartArgs, Uint8Array.of(1))).toBe(true);
    expect([Array.from(clusterOf), sizes[0]]).toEqual([[-1, -1, -1], 0]);
  });
});

describe('compiled graph build and edge order (native/csr.cc, order.cc)', () => {
  let dir: string;
  let file: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'synograph-csr-'));
    file = join(dir, 'g.bin');
    generateGraph({ nodes: 6000, out: file, seed: 11 });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const arrays = (g: SynonymGraph) => ({
    offsets: Array.from(g.synonyms.offsets),
    targets: Array.from(g.synonyms.targets),
    weights: Array.from(g.synonyms.weights),
    cannotOffsets: Array.from(g.cannotLinks.offsets),
    cannotTargets: Array.from(g.cannotLinks.targets),
  });

  it('builds the same CSR as the JS from chunked input with duplicates, self loops and both directions', () => {
    const header = readGraphHeader(file);
    // Small chunks: many calls per pass, as a 15M graph streams them.
    const load = (engine: 'js' | 'native') =>
      buildGraph(header.nodeCount, binaryEdgeSource(file, header, 7_001), { cannotLinks: binaryCannotLinkSource(file, header, 333), engine });
    const js = load('js');
    expect(js.edgeCount).toBeGreaterThan(50_000);
    expect(arrays(load('native'))).toEqual(arrays(js));
    // Repeats in either direction with other weights (the largest is kept, the first of equal ones), loops dropped.
    const edges: Array<[number, number, number]> = [[0, 1, 0.5], [1, 0, 0.9], [2, 2, 1], [3, 1, 0.2], [1, 3, 0.2], [0, 1, 0.7], [4, 0, 0], [0, 4, 0.3]];
    const small = (engine: 'js' | 'native') => buildGraph(6, edgeList(edges), { cannotLinks: edgeList([[5, 4], [4, 5], [5, 5]]), engine });
    const s = small('js');
    expect(arrays(small('native'))).toEqual(arrays(s));
    expect(Array.from(s.synonyms.targets)).toEqual([1, 4, 0, 3, 1, 0]);
    expect(Array.from(s.synonyms.weights)).toEqual([0.9, 0.3, 0.9, 0.2, 0.2, 0.3].map(Math.fround));
    expect(s.cannotLinkCount).toBe(1);
  });

  it('refuses endpoints outside the graph with the JS message, and a source that changes between passes', () => {
    for (const engine of ['js', 'native'] as const) {
      expect(() => buildGraph(3, edgeList([[0, 1], [1, 3]]), { engine })).toThrow(new RangeError('edge endpoint 3 outside 0..2'));
    }
    let calls = 0;
    const shifting = () => [{ a: Int32Array.of(0, 0), b: Int32Array.of(1, calls++ === 0 ? 1 : 2) }];
    expect(() => buildGraph(3, shifting, { engine: 'native' })).toThrow(/changed between the two passes/);
    const addon = nativeAddon() as { csrFill(...args: unknown[]): number; csrSortRows(...args: unknown[]): number };
    // Offsets that decrease put node 1's row past the targets: its slot is refused, not written.
    const offsets3 = Uint32Array.of(0, 3, 6, 2);
    expect(addon.csrFill(Int32Array.of(0), Int32Array.of(1), undefined, 1, offsets3, Float64Array.from(offsets3), new Int32Array(2), undefined)).toBe(0);
    expect(() => addon.csrSortRows(Uint32Array.of(0, 3, 2), Int32Array.of(1, 0, 0), undefined)).toThrow(/decrease/);
    expect(() => addon.csrSortRows(Float64Array.of(0, 0.5, 2), Int32Array.of(1, 0), undefined)).toThrow(/do not fit/);
    // Float64 offsets (past 2^32 half-edges) give the same rows.
    const offsets = Float64Array.of(0, 3, 4, 5);
    const targets = Int32Array.of(2, 1, 2, 0, 0);
    expect(addon.csrSortRows(offsets, targets, undefined)).toBe(4);
    expect([Array.from(offsets), Array.from(targets.subarray(0, 4))]).toEqual([[0, 2, 3, 4], [1, 2, 0, 0]]);
  });

  it('gives the same edge order as the JS in one chunk and in many', () => {
    const header = readGraphHeader(file);
    const g = buildGraph(header.nodeCount, binaryEdgeSource(file, header));
    const pairs = (chunkEdges: number, engine: 'js' | 'native') => {
      const order = edgeOrder(g.synonyms, chunkEdges, engine);
      const out: number[] = [];
      for (const c of order.chunks()) for (let k = 0; k < c.length; k++) out.push(c.src[k], c.dst[k]);
      return { chunks: order.chunkCount, out };
    };
    const js = pairs(1 << 25, 'js');
    expect(js.out.length).toBe(2 * g.edgeCount);
    for (const chunkEdges of [1 << 25, 9_000, 700]) {
      const native = pairs(chunkEdges, 'native');
      if (chunkEdges < g.edgeCount) expect(native.chunks).toBeGreaterThan(1);
      expect(native.out).toEqual(js.out);
      expect(pairs(chunkEdges, 'js').out).toEqual(js.out);
    }
    const addon = nativeAddon() as { orderChunk(...args: unknown[]): number; orderChunkBegin(...args: unknown[]): object; orderChunkEnd(handle: unknown): number };
    const tiny = () => new Int32Array(4);
    const args = [g.synonyms.offsets, g.synonyms.targets, new Int32Array(g.synonyms.weights.buffer), null, null, 0, tiny(), tiny(), tiny(), tiny(), tiny(), tiny()];
    expect(() => addon.orderChunk(...args)).toThrow(/more edges than the buffers/);
    // The plan's passes: the key histogram of the edges u < v, and each edge's chunk.
    const hist = new Float64Array(1 << 16);
    const jsHist = new Float64Array(1 << 16);
    const { offsets, targets, weights } = g.synonyms;
    const bits = new Uint32Array(weights.buffer, weights.byteOffset, weights.length);
    let edges = 0;
    for (let u = 0; u < g.nodeCount; u++)
      for (let h = offsets[u]; h < offsets[u + 1]; h++)
        if (targets[h] > u) {
          jsHist[(~bits[h] >>> 0) >>> 16]++;
          edges++;
        }
    const compiled = nativeAddon() as { orderHistogram(...args: unknown[]): number; orderChunkIds(...args: unknown[]): void };
    expect(compiled.orderHistogram(offsets, targets, new Int32Array(bits.buffer), hist)).toBe(edges);
    expect(Array.from(hist)).toEqual(Array.from(jsHist));
    expect(() => compiled.orderHistogram(offsets, targets, new Int32Array(bits.buffer), new Float64Array(10))).toThrow(/bad argument/);
    // 300 chunks do not fit Uint8 ids.
    expect(() => compiled.orderChunkIds(offsets, targets, new Int32Array(bits.buffer), Float64Array.from({ length: 301 }, (_, i) => i), new Uint8Array(edges), new Uint32Array(g.nodeCount))).toThrow(/more chunks/);
    // On its own thread: the same refusal, when it is ended; a handle ends once.
    const handle = addon.orderChunkBegin(...args);
    expect(() => addon.orderChunkEnd(handle)).toThrow(/more edges than the buffers/);
    expect(() => addon.orderChunkEnd(handle)).toThrow(/already ended/);
    expect(() => addon.orderChunkEnd({})).toThrow(/not a handle/);
    expect(() => addon.orderChunkBegin(...args.slice(0, 11))).toThrow(/bad argument/);
  });

  it('sorts the next chunk while one is read, and a pass left early leaves the next one whole', () => {
    const header = readGraphHeader(file);
    const g = buildGraph(header.nodeCount, binaryEdgeSource(file, header));
    const js = edgeOrder(g.synonyms, 9_000, 'js');
    const native = edgeOrder(g.synonyms, 9_000, 'native');
    // Two chunks in flight, each within half the budget: as many edges, more chunks.
    expect(native.length).toBe(js.length);
    expect(native.chunkCount).toBeGreaterThan(js.chunkCount);
    for (const c of native.chunks()) expect(c.length).toBeLessThanOrEqual(4_500);
    const firstOf = (order: typeof native): number[] => {
      for (const c of order.chunks()) return Array.from(c.src.subarray(0, 50));
      return [];
    };
    // Left after one chunk, with the next being sorted: the generator waits for that thread.
    expect(firstOf(native)).toEqual(firstOf(js));
    const all = (order: typeof native): number[] => {
      const out: number[] = [];
      for (const c of order.chunks()) for (let k = 0; k < c.length; k++) out.push(c.src[k], c.dst[k]);
      return out;
    };
    expect(all(native)).toEqual(all(js));
    expect(() => {
      for (const c of native.chunks()) if (c.length > 0) throw new Error('stop');
    }).toThrow('stop');
    expect(all(native)).toEqual(all(js));
  });

  it('asks for huge pages without touching the data', () => {
    const addon = nativeAddon() as { adviseHugePages(a: ArrayBufferView): number };
    const big = new Int32Array(3 << 20).fill(7);
    expect(addon.adviseHugePages(big)).toBeGreaterThanOrEqual(0);
    expect(big.every((x) => x === 7)).toBe(true);
    expect(() => addon.adviseHugePages({} as ArrayBufferView)).toThrow(/bad argument/);
  });
});
