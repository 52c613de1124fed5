/**
 * `synograph cluster`: clusters a synonym edge list (TSV or the binary graph format) and writes
 * one `{"id","members"}` JSON object per cluster (JSONL).
 *
 * Written clusters: those of >= 2 members by default (as the gold export); `--singletons` also
 * writes every other word as a cluster of one (including words an algorithm leaves
 * unclustered). Members are the normalised terms, sorted; clusters come in order of their
 * smallest member, ids "c0", "c1", ... in that order. The summary
 * `{nodes, edges, cannotLinks, clusters, written, seconds, peakRssBytes, algorithm}` goes to
 * stderr, or to stdout with --json.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { CLUSTER_ALGORITHMS, clusterGraph, clusterMembers, type ClusterAlgorithm } from '../cluster/index.js';
import { loadGraph } from '../cluster/load.js';
import { peakRssBytes } from '../util/memory.js';
import { integerOption, printJson, UsageError } from './args.js';
import { parseCommand } from './options.js';

export async function clusterCommand(argv: string[]): Promise<number> {
  const { values, flags } = parseCommand('cluster', argv);
  if (!values.edges) throw new UsageError('--edges FILE is required');
  if (!values.out) throw new UsageError('--out FILE is required');
  const algorithm = (values.algorithm ?? 'synograph') as ClusterAlgorithm;
  if (!CLUSTER_ALGORITHMS.includes(algorithm)) throw new UsageError(`--algorithm: one of ${CLUSTER_ALGORITHMS.join('|')}, not "${values.algorithm}"`);
  const seed = integerOption(values.seed, 'seed', 42);
  const maxClusterSize = integerOption(values['max-cluster-size'], 'max-cluster-size', 0, 0);

  const started = performance.now();
  const { graph, terms, warnings } = await loadGraph(values.edges, values['cannot-link']);
  for (const line of warnings.format()) process.stderr.write(`synograph cluster: warning: ${line}\n`);
  const result = clusterGraph(graph, algorithm, { seed, synograph: { maxClusterSize, weighted: flags.weighted } });

  // Unclustered words (-1) become clusters of one when singletons are asked for.
  const assignment = result.assignment;
  let count = result.clusterCount;
  if (flags.singletons) for (let t = 0; t < assignment.length; t++) if (assignment[t] < 0) assignment[t] = count++;
  const { offsets, members } = clusterMembers(assignment, count);
  // Order clusters by their smallest member (ids are in sorted term order for TSV input).
  const order = Array.from({ length: count }, (_, c) => c).filter((c) => offsets[c + 1] - offsets[c] >= (flags.singletons ? 1 : 2));
  order.sort((x, y) => members[offsets[x]] - members[offsets[y]]);
  const fd = openSync(values.out, 'w');
  let buffer = '';
  let written = 0;
  try {
    for (const c of order) {
      const names: string[] = [];
      for (let i = offsets[c]; i < offsets[c + 1]; i++) names.push(terms(members[i]));
      names.sort();
      buffer += JSON.stringify({ id: `c${written++}`, members: names }) + '\n';
      if (buffer.length > 1 << 20) {
        writeSync(fd, buffer);
        buffer = '';
      }
    }
    writeSync(fd, buffer);
  } finally {
    closeSync(fd);
  }
  const summary = {
    nodes: graph.nodeCount,
    edges: graph.edgeCount,
    cannotLinks: graph.cannotLinkCount,
    clusters: count,
    written,
    singletons: flags.singletons,
    seconds: Number(((performance.now() - started) / 1000).toFixed(3)),
    peakRssBytes: peakRssBytes(),
    algorithm,
    out: values.out,
  };
  if (flags.json) printJson(summary);
  else process.stderr.write(JSON.stringify(summary) + '\n');
  return 0;
}
