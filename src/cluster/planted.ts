/**
 * Planted truth of a synthetic graph and its scoring (paired F1, docs/evaluation.md protocol, on
 * typed arrays so it runs at millions of nodes).
 *
 * Truth file: magic "SYNTRUTH", uint32 version 1, uint32 reserved, float64 node count, then
 * int32 primary synset per node, then int32 secondary synset per node (-1: monosemous).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { clusterMembers } from './result.js';
import { InputError } from '../errors.js';

export interface PlantedTruth {
  primary: Int32Array;
  secondary: Int32Array;
  synsetCount: number;
}

const MAGIC = 'SYNTRUTH';

export function writeTruth(file: string, truth: PlantedTruth): void {
  const n = truth.primary.length;
  const head = Buffer.alloc(24);
  head.write(MAGIC, 0, 'latin1');
  head.writeUInt32LE(1, 8);
  head.writeDoubleLE(n, 16);
  writeFileSync(file, Buffer.concat([head, Buffer.from(truth.primary.buffer, truth.primary.byteOffset, n * 4), Buffer.from(truth.secondary.buffer, truth.secondary.byteOffset, n * 4)]));
}

export function readTruth(file: string): PlantedTruth {
  const buf = readFileSync(file);
  if (buf.toString('latin1', 0, 8) !== MAGIC) throw new InputError(file, null, 'not a planted-truth file');
  const n = buf.readDoubleLE(16);
  const copy = new Int32Array(2 * n);
  new Uint8Array(copy.buffer).set(buf.subarray(24, 24 + 8 * n));
  const primary = copy.subarray(0, n);
  const secondary = copy.subarray(n);
  let max = -1;
  for (let i = 0; i < n; i++) max = Math.max(max, primary[i], secondary[i]);
  return { primary, secondary, synsetCount: max + 1 };
}

export interface PlantedScores {
  precision: number;
  recall: number;
  pairedF1: number;
  systemPairs: number;
  goldPairs: number;
  /** Share of cannot-link (antonym) pairs that share a cluster. */
  antonymIntrusion: number;
  clusters: number;
  nonSingletonClusters: number;
  largestCluster: number;
  /** Nodes in clusters of >= 2 members / nodes. */
  coverage: number;
}

const pairs = (k: number): number => (k * (k - 1)) / 2;

/**
 * Distinct pairs sharing a planted synset inside a group of nodes: sum over synsets of C(c_s, 2)
 * minus the pairs counted twice (both nodes carry the same two synsets).
 */
function sharedPairs(nodes: ArrayLike<number>, truth: PlantedTruth, count: Int32Array, touched: number[]): number {
  let total = 0;
  const twice = new Map<number, number>();
  for (let i = 0; i < nodes.length; i++) {
    const t = nodes[i];
    const p = truth.primary[t];
    const s = truth.secondary[t];
    if (count[p]++ === 0) touched.push(p);
    if (s >= 0) {
      if (count[s]++ === 0) touched.push(s);
      const key = Math.min(p, s) * truth.synsetCount + Math.max(p, s);
      twice.set(key, (twice.get(key) ?? 0) + 1);
    }
  }
  for (const s of touched) {
    total += pairs(count[s]);
    count[s] = 0;
  }
  touched.length = 0;
  for (const c of twice.values()) total -= pairs(c);
  return total;
}

export function scorePlanted(assignment: Int32Array, clusterCount: number, truth: PlantedTruth, cannot?: { a: Int32Array; b: Int32Array }): PlantedScores {
  const n = assignment.length;
  const count = new Int32Array(truth.synsetCount);
  const touched: number[] = [];
  const { offsets, members } = clusterMembers(assignment, clusterCount);
  let tp = 0;
  let sys = 0;
  let nonSingleton = 0;
  let largest = 0;
  let covered = 0;
  for (let c = 0; c < clusterCount; c++) {
    const group = members.subarray(offsets[c], offsets[c + 1]);
    sys += pairs(group.length);
    largest = Math.max(largest, group.length);
    if (group.length >= 2) {
      nonSingleton++;
      covered += group.length;
      tp += sharedPairs(group, truth, count, touched);
    }
  }
  const all = Int32Array.from({ length: n }, (_, i) => i);
  const gold = sharedPairs(all, truth, count, touched);
  let intruded = 0;
  let linkCount = 0;
  if (cannot) {
    linkCount = cannot.a.length;
    for (let i = 0; i < linkCount; i++) {
      const ca = assignment[cannot.a[i]];
      if (ca >= 0 && ca === assignment[cannot.b[i]]) intruded++;
    }
  }
  const precision = sys === 0 ? 0 : tp / sys;
  const recall = gold === 0 ? 0 : tp / gold;
  return {
    precision,
    recall,
    pairedF1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall),
    systemPairs: sys,
    goldPairs: gold,
    antonymIntrusion: linkCount === 0 ? 0 : intruded / linkCount,
    clusters: clusterCount,
    nonSingletonClusters: nonSingleton,
    largestCluster: largest,
    coverage: n === 0 ? 0 : covered / n,
  };
}
