/**
 * The clustering's compiled loops (native/csr.cc, order.cc, expand.cc in the addon of
 * util/native-addon.ts), typed. Every one makes the decisions of its JS twin in the same order,
 * so the graph, the edge order and the clusters are the same either way
 * (test/cluster-native.test.ts); the JS twins run where the addon was not built.
 */
import { addonWith, type Engine } from '../util/native-addon.js';
import { UsageError } from '../errors.js';

/** What expandEnd returns: SoftClusters' arrays, each at its used length. */
export interface CompiledClusters {
  head: Int32Array<ArrayBuffer>;
  pool: Int32Array<ArrayBuffer>;
  nodeMeta: Int32Array<ArrayBuffer>;
  nodePool: Int32Array<ArrayBuffer>;
  clusterCount: number;
}

export interface ClusteringAddon {
  /** graph.ts's first build pass over one chunk: -1, or the first edge with an endpoint out of range. */
  csrDegrees(a: Int32Array, b: Int32Array, length: number, nodeCount: number, degrees: Float64Array): number;
  /** graph.ts's second pass: -1, or the first edge that does not fit its rows. */
  csrFill(a: Int32Array, b: Int32Array, w: Float32Array | undefined, length: number, offsets: Uint32Array | Float64Array, cursor: Float64Array, targets: Int32Array, weights: Float32Array | undefined): number;
  /** graph.ts's sortAndMergeRows: the half-edges kept. */
  csrSortRows(offsets: Uint32Array | Float64Array, targets: Int32Array, weights: Float32Array | undefined): number;
  /** order.ts's sortChunk: 2 * length + the side holding the sorted chunk. */
  orderChunk(...csrChunkAndBuffers: unknown[]): number;
  /** orderChunk on the addon's own thread: a handle for orderChunkEnd, which waits and answers as orderChunk. */
  orderChunkBegin(...csrChunkAndBuffers: unknown[]): object;
  orderChunkEnd(handle: object): number;
  /** order.ts's planChunks' first pass: the edges u < v, counted into hist by their keys' high 16 bits. */
  orderHistogram(offsets: Uint32Array | Float64Array, targets: Int32Array, bits: Int32Array, hist: Float64Array): number;
  /** order.ts's chunkIds into ids and above. */
  orderChunkIds(offsets: Uint32Array | Float64Array, targets: Int32Array, bits: Int32Array, bounds: Float64Array, ids: Uint8Array | Uint16Array | Uint32Array, above: Uint32Array | Float64Array): void;
  expandBegin(nodeCount: number, ...graphAndOptions: unknown[]): object;
  expandChunk(state: object, ...graphAndEdges: unknown[]): void;
  expandEnd(state: object): CompiledClusters;
  /** Detaches the arrays' buffers and frees at once those expandEnd (or pruneSoft) handed out: the bytes freed. */
  releaseLists(...arrays: Int32Array[]): number;
  /** soft.ts's vote, before dropSmall. */
  pruneSoft(nodeCount: number, ...graphSoftAndWeighted: unknown[]): { clusterOf: Int32Array; loseNode: Int32Array; loseCluster: Int32Array };
  /** synograph.ts's peel on its arrays, in place; whether it removed anyone. */
  peelHard(...graphLabelsAndOptions: unknown[]): boolean;
  /** synograph.ts's reexpandChunk on its arrays, in place: [sizes used, grown used, whether anyone joined]. */
  reexpandHard(...graphLabelsEdgesAndOptions: unknown[]): [number, number, boolean];
  /** result.ts's scanRows into support and heaviest (node and cluster lengths). */
  scanRows(offsets: Uint32Array | Float64Array, targets: Int32Array, weights: Float32Array, assignment: Int32Array, clusterCount: number, support: Float32Array, heaviest: Int32Array): void;
}

/** Who runs the clustering's loops (graph build, edge order, expansion, vote, peel, reexpansion, the result's scan): compiled when the addon was built, else JS (the same clusters). */
export type ClusteringEngine = Engine;

const NAMES = ['csrDegrees', 'csrFill', 'csrSortRows', 'orderChunk', 'orderChunkBegin', 'orderChunkEnd', 'orderHistogram', 'orderChunkIds', 'expandBegin', 'expandChunk', 'expandEnd', 'releaseLists', 'pruneSoft', 'peelHard', 'reexpandHard', 'scanRows'] as const;

/** The compiled clustering loops, or null (not built, or an older build/ without all of them). */
export function clusteringAddon(): ClusteringAddon | null {
  return addonWith<ClusteringAddon>(NAMES);
}

export function defaultClusteringEngine(): ClusteringEngine {
  return clusteringAddon() ? 'native' : 'js';
}

/** The addon for a caller that was told to use it; an Error naming the part when it was not built. */
export function requireClusteringAddon(part: string): ClusteringAddon {
  const addon = clusteringAddon();
  if (!addon) throw new UsageError(`the compiled ${part} was asked for, but the addon (build/Release) was not built`);
  return addon;
}
