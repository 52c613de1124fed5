/**
 * Seeded synthetic synonym graph with planted synsets, streamed to disk in the binary format of
 * src/cluster/binary.ts, plus the planted truth (src/cluster/planted.ts) in FILE.truth.
 *
 *   node dist/scripts/generate-graph.js --nodes 1000000 --out data/graph-1m.bin [--seed 1]
 *
 * Shape (per ~35 edges per node, all weights >= 0.70 as after the paper's gate):
 * - topics of ~280 nodes split into planted synsets of 2-20 members; synonyms inside a synset
 *   (p = 0.9, w ~ U(0.75, 1.0));
 * - co-topic edges: each node links to ~28 random non-synonyms of its topic (w ~ U(0.70, 0.86)),
 *   the sibling concepts that a kNN + discriminator lets through;
 * - polysemous bridges (3% of nodes) also belong to a second synset of their topic and link to
 *   its members (p = 0.9, w ~ U(0.75, 0.95));
 * - antonym synset pairs (10% of synsets, paired inside the topic): cannot-links between their
 *   members (up to 16 per pair) and noisy synonym edges between 30% of those pairs (w ~ U(0.80, 0.95));
 * - drift chains: one path of 5 random nodes (different synsets) per 100 nodes (w ~ U(0.78, 0.90));
 * - noise: 2 random global edges per node (w ~ U(0.70, 0.80)).
 * Node ids are a seeded permutation, so ids carry no hint of the planted structure.
 * Memory is bounded by the node count (permutation + truth, 12 bytes a node) and one topic.
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { GraphFileWriter, type GraphHeader } from '../src/cluster/binary.js';
import { writeTruth } from '../src/cluster/planted.js';
import { mulberry32 } from '../src/util/random.js';

export interface GenerateOptions {
  nodes: number;
  out: string;
  seed?: number;
}

export function generateGraph({ nodes: n, out, seed = 1 }: GenerateOptions): GraphHeader & { synsets: number; seconds: number } {
  const started = performance.now();
  const rnd = mulberry32(seed);
  const uni = (lo: number, hi: number): number => lo + (hi - lo) * rnd();
  const int = (k: number): number => Math.floor(rnd() * k);
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = int(i + 1);
    const x = perm[i];
    perm[i] = perm[j];
    perm[j] = x;
  }
  const primary = new Int32Array(n);
  const secondary = new Int32Array(n).fill(-1);
  const writer = new GraphFileWriter(out, n);
  let synsetCount = 0;
  const TOPIC = 280;
  const synStart: number[] = [];
  const synSize: number[] = [];

  for (let topicStart = 0; topicStart < n; topicStart += TOPIC) {
    const topicEnd = Math.min(n, topicStart + TOPIC);
    synStart.length = 0;
    synSize.length = 0;
    // Planted synsets over the topic's local indexes.
    for (let i = topicStart; i < topicEnd; ) {
      const size = Math.min(topicEnd - i, 2 + int(19));
      synStart.push(i);
      synSize.push(size);
      for (let k = 0; k < size; k++) primary[i + k] = synsetCount;
      synsetCount++;
      i += size;
    }
    const first = primary[topicStart];
    const synsetsHere = synStart.length;
    for (let s = 0; s < synsetsHere; s++) {
      const a = synStart[s];
      for (let i = 0; i < synSize[s]; i++) for (let j = i + 1; j < synSize[s]; j++) if (rnd() < 0.9) writer.edge(perm[a + i], perm[a + j], uni(0.75, 1.0));
    }
    // Bridges: a second synset in the topic.
    if (synsetsHere > 1) {
      for (let i = topicStart; i < topicEnd; i++) {
        if (rnd() >= 0.03) continue;
        let s = int(synsetsHere);
        if (s + first === primary[i]) s = (s + 1) % synsetsHere;
        secondary[i] = first + s;
        for (let k = 0; k < synSize[s]; k++) if (rnd() < 0.9) writer.edge(perm[i], perm[synStart[s] + k], uni(0.75, 0.95));
      }
    }
    // Co-topic (sibling) edges.
    const span = topicEnd - topicStart;
    for (let i = topicStart; i < topicEnd; i++) {
      for (let k = 0; k < 28 && span > 21; k++) {
        const j = topicStart + int(span);
        if (primary[j] === primary[i] || j === i) continue;
        writer.edge(perm[i], perm[j], uni(0.7, 0.86));
      }
    }
    // Antonym synset pairs.
    for (let s = 0; s + 1 < synsetsHere; s++) {
      if (rnd() >= 0.1) continue;
      const t = s + 1 + int(synsetsHere - s - 1);
      let links = 0;
      for (let i = 0; i < synSize[s] && links < 16; i++) {
        for (let j = 0; j < synSize[t] && links < 16; j++, links++) {
          const x = perm[synStart[s] + i];
          const y = perm[synStart[t] + j];
          writer.cannotLink(x, y);
          if (rnd() < 0.3) writer.edge(x, y, uni(0.8, 0.95));
        }
      }
    }
  }
  // Global drift chains and noise.
  for (let c = 0; c < Math.floor(n / 100); c++) {
    let prev = perm[int(n)];
    for (let k = 0; k < 4; k++) {
      const next = perm[int(n)];
      writer.edge(prev, next, uni(0.78, 0.9));
      prev = next;
    }
  }
  for (let i = 0; i < 2 * n; i++) writer.edge(perm[int(n)], perm[int(n)], uni(0.7, 0.8));
  const header = writer.close();
  // Truth is indexed by node id, not by local index.
  const byIdPrimary = new Int32Array(n);
  const byIdSecondary = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    byIdPrimary[perm[i]] = primary[i];
    byIdSecondary[perm[i]] = secondary[i];
  }
  writeTruth(`${out}.truth`, { primary: byIdPrimary, secondary: byIdSecondary, synsetCount });
  return { ...header, synsets: synsetCount, seconds: (performance.now() - started) / 1000 };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { nodes: { type: 'string', default: '10000' }, out: { type: 'string' }, seed: { type: 'string', default: '1' } } });
  if (!values.out) {
    process.stderr.write('usage: generate-graph --nodes N --out FILE [--seed S]\n');
    process.exit(2);
  }
  process.stdout.write(JSON.stringify(generateGraph({ nodes: Number(values.nodes), out: values.out, seed: Number(values.seed) })) + '\n');
}
