/**
 * Watset-style local-global clustering (Ustalov et al. 2017/2019) on the CSR graph.
 * Local: each node's ego network without the node is clustered with Chinese Whispers; each local
 * cluster is a sense of the node. Global: sense (u, i) links to sense (v, j) when v is in sense
 * i's context and u in sense j's context, with the edge's weight (every synonym edge yields
 * exactly one sense edge); the sense graph is clustered with Chinese Whispers. A node's hard
 * cluster is that of its best-supported sense (largest summed edge weight); the other senses'
 * clusters become alternatives, scored by their share of the node's edge weight.
 */
import { mulberry32 } from '../util/random.js';
import { chineseWhispersLabels, type Labels } from './baselines.js';
import { buildGraph, findInRow, type SynonymGraph } from './graph.js';
import { GrowableFloat32, GrowableInt32 } from '../util/growable.js';

export interface WatsetOptions {
  seed?: number;
  localIterations?: number;
  globalIterations?: number;
}

export interface WatsetLabels extends Labels {
  alternatives: { node: Int32Array; label: Int32Array; support: Float32Array };
}

type EgoScratch = { adjOff: GrowableInt32; adj: GrowableInt32; adjW: GrowableFloat32; labels: Int32Array; acc: Float64Array };

function egoScratch(): EgoScratch {
  return { adjOff: new GrowableInt32(256), adj: new GrowableInt32(4096), adjW: new GrowableFloat32(4096), labels: new Int32Array(256), acc: new Float64Array(256) };
}

/**
 * Watset's local step for one node: Chinese Whispers on u's ego network (its neighbours and the
 * edges among them, u left out). Each half-edge h of u's row gets its neighbour's local sense,
 * 0..k-1 in neighbour order, in `senseOfHalf[h]`; returns k. Reused by the sense graph to induce
 * senses of words no lexicon describes.
 */
export class EgoSenses {
  private readonly scratch = egoScratch();
  constructor(private readonly graph: SynonymGraph, private readonly seed: number, private readonly iterations = 10) {}
  of(u: number, senseOfHalf: Int32Array): number {
    return induceSenses(this.graph, u, senseOfHalf, this.iterations, this.seed, this.scratch);
  }
}

/** Local CW on the ego network of u; writes each half-edge's local sense into `senseOfHalf`. */
function induceSenses(graph: SynonymGraph, u: number, senseOfHalf: Int32Array, iterations: number, seed: number, scratch: EgoScratch): number {
  const { offsets, targets, weights } = graph.synonyms;
  const start = offsets[u];
  const len = offsets[u + 1] - start;
  if (len === 0) return 0;
  const { adjOff, adj, adjW } = scratch;
  adjOff.length = 0;
  adj.length = 0;
  adjW.length = 0;
  // Ego-network edges: row(v) merged with row(u), both sorted, so the common neighbours come
  // out in v's row order with their index in u's row, without marking an n-sized array (a
  // cache miss per read at a million nodes). u is not in its own row, so it never matches.
  const end = start + len;
  for (let i = 0; i < len; i++) {
    adjOff.push(adj.length);
    const v = targets[start + i];
    let j = start;
    for (let h = offsets[v], hEnd = offsets[v + 1]; h < hEnd && j < end; h++) {
      const w = targets[h];
      while (j < end && targets[j] < w) j++;
      if (j < end && targets[j] === w) {
        adj.push(j - start);
        adjW.push(weights[h]);
      }
    }
  }
  adjOff.push(adj.length);
  if (scratch.labels.length < len) {
    scratch.labels = new Int32Array(len * 2);
    scratch.acc = new Float64Array(len * 2);
  }
  const labels = scratch.labels;
  const acc = scratch.acc;
  for (let i = 0; i < len; i++) labels[i] = i;
  const rnd = mulberry32(seed ^ u);
  const order = new Int32Array(len);
  for (let i = 0; i < len; i++) order[i] = i;
  for (let i = len - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    const x = order[i];
    order[i] = order[j];
    order[j] = x;
  }
  const ao = adjOff.data;
  const ad = adj.data;
  const aw = adjW.data;
  for (let iter = 0; iter < iterations; iter++) {
    let changed = false;
    for (let k = 0; k < len; k++) {
      const i = order[k];
      if (ao[i] === ao[i + 1]) continue;
      let best = labels[i];
      let bestW = -1;
      for (let e = ao[i]; e < ao[i + 1]; e++) acc[labels[ad[e]]] += aw[e];
      for (let e = ao[i]; e < ao[i + 1]; e++) {
        const l = labels[ad[e]];
        const x = acc[l];
        if (x > bestW || (x === bestW && l < best)) {
          best = l;
          bestW = x;
        }
      }
      for (let e = ao[i]; e < ao[i + 1]; e++) acc[labels[ad[e]]] = 0;
      if (best !== labels[i]) {
        labels[i] = best;
        changed = true;
      }
    }
    if (!changed) break;
  }
  // Renumber local labels 0..k-1 in neighbour order.
  const remap = new Int32Array(len).fill(-1);
  let k = 0;
  for (let i = 0; i < len; i++) {
    const l = labels[i];
    if (remap[l] === -1) remap[l] = k++;
    senseOfHalf[start + i] = remap[l];
  }
  return k;
}

export function watsetLabels(graph: SynonymGraph, { seed = 42, localIterations = 10, globalIterations = 20 }: WatsetOptions = {}): WatsetLabels {
  const n = graph.nodeCount;
  const { offsets, targets, weights } = graph.synonyms;
  const senseOfHalf = new Int32Array(targets.length);
  const senseBase = new Float64Array(n + 1);
  const scratch = egoScratch();
  let senses = 0;
  for (let u = 0; u < n; u++) {
    senseBase[u] = senses;
    senses += induceSenses(graph, u, senseOfHalf, localIterations, seed, scratch);
  }
  senseBase[n] = senses;
  // Global sense ids per half-edge, and each sense's owner and summed weight.
  const senseWeight = new Float64Array(senses);
  for (let u = 0; u < n; u++) {
    for (let h = offsets[u], end = offsets[u + 1]; h < end; h++) {
      const s = senseBase[u] + senseOfHalf[h];
      senseOfHalf[h] = s;
      senseWeight[s] += weights[h];
    }
  }
  const m = targets.length / 2;
  const sa = new Int32Array(m);
  const sb = new Int32Array(m);
  const sw = new Float32Array(m);
  let e = 0;
  for (let u = 0; u < n; u++) {
    for (let h = offsets[u], end = offsets[u + 1]; h < end; h++) {
      const v = targets[h];
      if (v <= u) continue;
      sa[e] = senseOfHalf[h];
      sb[e] = senseOfHalf[findInRow(graph.synonyms, v, u)];
      sw[e++] = weights[h];
    }
  }
  const senseGraph = buildGraph(senses, () => [{ a: sa, b: sb, w: sw }]);
  const global = chineseWhispersLabels(senseGraph.synonyms, { seed, maxIterations: globalIterations });

  const labels = new Int32Array(n).fill(-1);
  const altNode = new GrowableInt32(1024);
  const altLabel = new GrowableInt32(1024);
  const altSupport = new GrowableFloat32(1024);
  for (let u = 0; u < n; u++) {
    const first = senseBase[u];
    const last = senseBase[u + 1];
    if (first === last) continue;
    let best = first;
    let total = 0;
    for (let s = first; s < last; s++) {
      total += senseWeight[s];
      if (senseWeight[s] > senseWeight[best]) best = s;
    }
    labels[u] = global.labels[best];
    const mine = altNode.length;
    for (let s = first; s < last; s++) {
      const l = global.labels[s];
      if (l === labels[u] || altLabel.view().subarray(mine).includes(l)) continue;
      altNode.push(u);
      altLabel.push(l);
      altSupport.push(senseWeight[s] / total);
    }
  }
  return { labels, labelCount: senses, alternatives: { node: altNode.view(), label: altLabel.view(), support: altSupport.view() } };
}
