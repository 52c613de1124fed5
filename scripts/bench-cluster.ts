/**
 * Clustering benchmark on a seeded synthetic graph (scripts/generate-graph.ts); prints JSON.
 *
 *   npm run bench:cluster -- --nodes 1000000 [--dir data/bench] [--seed 1] [--no-ablation]
 *       [--algorithms synograph,paper,...] [--no-baseline] [--baseline-cap SECONDS]
 *
 * The graph is generated once into --dir and reused. Each algorithm runs in its own process
 * (so its peak RSS is its own): load (two streaming passes over the binary file into the CSR),
 * cluster, score against the planted synsets (paired F1, antonym intrusion over the planted
 * cannot-links, which synograph is given and the other algorithms ignore). The baseline, in the same run, is
 * the straightforward Map/Set implementation of the paper (scripts/paper-mapset.ts); its child
 * also runs the CSR `paper` and says whether both give the same clusters. `speedupOverMapSet`
 * compares clustering time (graph building included on both sides, file reading excluded).
 * With --baseline-cap the Map/Set child is stopped after that many seconds (it is quadratic-ish
 * and may take hours at millions of nodes); the run then reports `timedOut`, `seconds` = cap
 * minus its file-reading time, and the speedups are lower bounds (`speedupIsLowerBound`).
 * Louvain runs only where graphology fits (edges <= LOUVAIN_MAX_EDGES). Each run prints an
 * `outputHash` of its full result: optimisations must leave it unchanged on the same graph.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { binaryCannotLinkSource, binaryEdgeSource, readGraphHeader } from '../src/cluster/binary.js';
import { buildGraph, clusterGraph, LOUVAIN_MAX_EDGES, type ClusterAlgorithm, type ClusteringResult, type SynographOptions } from '../src/cluster/index.js';
import { readTruth, scorePlanted } from '../src/cluster/planted.js';
import { peakRssBytes } from '../src/util/memory.js';
import { generateGraph } from './generate-graph.js';
import { paperMapSet } from './paper-mapset.js';

const round = (x: number, d = 3): number => Number(x.toFixed(d));

/**
 * sha256 (first 16 hex digits) over every output array of a result, so that optimisations can
 * be checked for identical output against an earlier run on the same graph.
 */
function outputHash(r: ClusteringResult): string {
  const hash = createHash('sha256');
  hash.update(String(r.clusterCount));
  for (const a of [r.assignment, r.support, r.representative, r.alternatives.node, r.alternatives.cluster, r.alternatives.support]) {
    hash.update(String(a.length));
    hash.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  }
  return hash.digest('hex').slice(0, 16);
}

/** Named runs: an algorithm plus synograph switches (the ablation). */
const VARIANTS: Record<string, { algorithm: ClusterAlgorithm; synograph?: SynographOptions }> = {
  synograph: { algorithm: 'synograph' },
  'synograph-noCannotLinks': { algorithm: 'synograph', synograph: { cannotLinks: false } },
  'synograph-noRecheck': { algorithm: 'synograph', synograph: { recheck: false } },
  'synograph-noReexpand': { algorithm: 'synograph', synograph: { reexpand: false } },
  'synograph-weighted': { algorithm: 'synograph', synograph: { weighted: true } },
  'synograph-maxSize20': { algorithm: 'synograph', synograph: { maxClusterSize: 20 } },
  'synograph-allOff': { algorithm: 'synograph', synograph: { cannotLinks: false, recheck: false, reexpand: false } },
  paper: { algorithm: 'paper' },
  components: { algorithm: 'components' },
  chineseWhispers: { algorithm: 'chineseWhispers' },
  watset: { algorithm: 'watset' },
  louvain: { algorithm: 'louvain' },
};

function loadGraph(file: string) {
  const header = readGraphHeader(file);
  const graph = buildGraph(header.nodeCount, binaryEdgeSource(file, header), { cannotLinks: binaryCannotLinkSource(file, header) });
  return { header, graph };
}

function cannotPairs(file: string) {
  const header = readGraphHeader(file);
  const a: number[] = [];
  const b: number[] = [];
  for (const c of binaryCannotLinkSource(file, header)()) for (let i = 0; i < (c.length ?? c.a.length); i++) a.push(c.a[i]), b.push(c.b[i]);
  return { a: Int32Array.from(a), b: Int32Array.from(b) };
}

const childStarted = performance.now();

function child(name: string, file: string): unknown {
  const truth = readTruth(`${file}.truth`);
  const cannot = cannotPairs(file);
  if (name === 'mapset') {
    const header = readGraphHeader(file);
    const a = new Int32Array(header.edgeCount);
    const b = new Int32Array(header.edgeCount);
    const w = new Float32Array(header.edgeCount);
    let k = 0;
    for (const c of binaryEdgeSource(file, header)()) {
      const len = c.length ?? c.a.length;
      a.set(c.a.subarray(0, len), k);
      b.set(c.b.subarray(0, len), k);
      w.set(c.w!.subarray(0, len), k);
      k += len;
    }
    // First line of output: how long reading took, so that a capped run can subtract it.
    process.stdout.write(JSON.stringify({ readSeconds: round((performance.now() - childStarted) / 1000, 2) }) + '\n');
    let t = performance.now();
    const assignment = paperMapSet(header.nodeCount, a, b, w, k);
    const seconds = (performance.now() - t) / 1000;
    const peak = peakRssBytes();
    t = performance.now();
    const csr = clusterGraph(buildGraph(header.nodeCount, () => [{ a, b, w, length: k }]), 'paper');
    const csrSeconds = (performance.now() - t) / 1000;
    let same = csr.assignment.length === assignment.length;
    for (let i = 0; same && i < assignment.length; i++) same = csr.assignment[i] === assignment[i];
    let clusters = 0;
    for (const c of assignment) clusters = Math.max(clusters, c + 1);
    return { name, seconds: round(seconds, 2), peakRssBytes: peak, sameClustersAsCsrPaper: same, csrPaperSecondsSameProcess: round(csrSeconds, 2), quality: scorePlanted(assignment, clusters, truth, cannot) };
  }
  const variant = VARIANTS[name];
  if (!variant) throw new Error(`unknown variant ${name}`);
  let t = performance.now();
  const { header, graph } = loadGraph(file);
  const loadSeconds = (performance.now() - t) / 1000;
  t = performance.now();
  // Each pass's seconds (synograph only; a pass run once a round, summed): where the clustering's
  // time goes at this size.
  const phases: Record<string, number> = {};
  const onPhase = (phase: string, seconds: number): void => {
    phases[phase] = round((phases[phase] ?? 0) + seconds, 2);
  };
  const r = clusterGraph(graph, variant.algorithm, { synograph: { ...variant.synograph, onPhase } });
  const clusterSeconds = (performance.now() - t) / 1000;
  const peak = peakRssBytes();
  return {
    name,
    algorithm: variant.algorithm,
    options: variant.synograph ?? {},
    nodes: header.nodeCount,
    edges: graph.edgeCount,
    seconds: { load: round(loadSeconds, 2), cluster: round(clusterSeconds, 2), total: round(loadSeconds + clusterSeconds, 2) },
    ...(Object.keys(phases).length > 0 ? { phases } : {}),
    edgesPerSecond: Math.round(graph.edgeCount / (loadSeconds + clusterSeconds)),
    peakRssBytes: peak,
    alternatives: r.alternatives.node.length,
    outputHash: outputHash(r),
    quality: Object.fromEntries(Object.entries(scorePlanted(r.assignment, r.clusterCount, truth, cannot)).map(([k, v]) => [k, round(v, 4)])),
  };
}

function main(): void {
  const { values } = parseArgs({
    options: {
      nodes: { type: 'string', default: '100000' },
      dir: { type: 'string', default: 'data/bench' },
      seed: { type: 'string', default: '1' },
      algorithms: { type: 'string' },
      'no-ablation': { type: 'boolean', default: false },
      'no-baseline': { type: 'boolean', default: false },
      'baseline-cap': { type: 'string' },
      child: { type: 'string' },
      graph: { type: 'string' },
    },
  });
  if (values.child) {
    process.stdout.write(JSON.stringify(child(values.child, values.graph!)) + '\n');
    return;
  }
  const nodes = Number(values.nodes);
  mkdirSync(values.dir, { recursive: true });
  const file = join(values.dir, `graph-${nodes}-s${values.seed}.bin`);
  let generated: unknown = 'reused';
  if (!existsSync(file) || !existsSync(`${file}.truth`)) generated = generateGraph({ nodes, out: file, seed: Number(values.seed) });
  const header = readGraphHeader(file);
  const names = values.algorithms
    ? values.algorithms.split(',')
    : [
        'synograph',
        ...(values['no-ablation'] ? [] : Object.keys(VARIANTS).filter((k) => k.startsWith('synograph-'))),
        'paper',
        'components',
        'chineseWhispers',
        'watset',
        ...(header.edgeCount <= LOUVAIN_MAX_EDGES ? ['louvain'] : []),
        ...(values['no-baseline'] ? [] : ['mapset']),
      ];
  const self = fileURLToPath(import.meta.url);
  const runs: Record<string, unknown> = {};
  for (const name of names) {
    process.stderr.write(`[bench-cluster ${nodes}] ${name}...\n`);
    const cap = name === 'mapset' && values['baseline-cap'] ? Number(values['baseline-cap']) : 0;
    const started = performance.now();
    try {
      const out = execFileSync(process.execPath, ['--max-old-space-size=15000', self, '--child', name, '--graph', file], { encoding: 'utf8', maxBuffer: 1 << 26, stdio: ['ignore', 'pipe', 'inherit'], timeout: cap * 1000 });
      runs[name] = JSON.parse(out.trim().split('\n').pop()!);
    } catch (err) {
      if (cap === 0) throw err;
      // Stopped at the cap: its clustering time is more than the cap minus the time it spent
      // reading the file (its first output line), which is what `seconds` then reports.
      const first = String((err as { stdout?: unknown }).stdout ?? '').split('\n')[0];
      const read = first.startsWith('{') ? (JSON.parse(first) as { readSeconds: number }).readSeconds : cap;
      runs[name] = { name, timedOut: true, capSeconds: cap, readSeconds: read, seconds: round(cap - read, 2), wallSecondsUntilStopped: round((performance.now() - started) / 1000, 1) };
    }
  }
  const syn = runs.synograph as { seconds: { total: number } } | undefined;
  const mapset = runs.mapset as { seconds: number; timedOut?: boolean } | undefined;
  const paper = runs.paper as { seconds: { cluster: number; total: number } } | undefined;
  process.stdout.write(
    JSON.stringify(
      {
        nodes: header.nodeCount,
        edgesInFile: header.edgeCount,
        cannotLinks: header.cannotLinkCount,
        graphFile: file,
        generated,
        cores: availableParallelism(),
        cpu: cpus()[0]?.model,
        runs,
        baseline: 'scripts/paper-mapset.ts (Map/Set paper), same graph, same run; its seconds include building its maps and sorting, not reading the file',
        speedupOverMapSet: {
          synographTotal: syn && mapset ? round(mapset.seconds / syn.seconds.total, 1) : null,
          paperCsrTotal: paper && mapset ? round(mapset.seconds / paper.seconds.total, 1) : null,
          speedupIsLowerBound: mapset?.timedOut === true,
        },
      },
      null,
      2,
    ) + '\n',
  );
}

main();
