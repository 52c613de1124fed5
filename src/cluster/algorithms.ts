/**
 * `clusterGraph(graph, algorithm, options)` runs one algorithm over a CSR SynonymGraph and
 * returns a ClusteringResult (typed arrays). `synograph` is the project default.
 */
import { chineseWhispersLabels, componentLabels, louvainLabels, type Labels } from './baselines.js';
import type { SynonymGraph } from './graph.js';
import { paperClusters } from './paper.js';
import { finishResult, type ClusterAlgorithm, type ClusteringResult, type NodeVectors } from './result.js';
import { synographClusters, type SynographOptions } from './synograph.js';
import { watsetLabels } from './watset.js';

export interface ClusterOptions {
  /** Seed for Louvain, Chinese Whispers and Watset (default 42). */
  seed?: number;
  /** Optional node vectors: representatives become the member closest to the centroid. */
  vectors?: NodeVectors;
  /** Options of the `synograph` algorithm (each improvement over the paper can be switched off). */
  synograph?: Omit<SynographOptions, 'vectors'>;
  /** Louvain refuses graphs with more edges than this (graphology is in-memory objects). */
  louvainMaxEdges?: number;
}

function fromLabels(graph: SynonymGraph, algorithm: ClusterAlgorithm, { labels, labelCount }: Labels, vectors?: NodeVectors): ClusteringResult {
  const { map: _map, ...result } = finishResult(graph, algorithm, labels, labelCount, { singletons: true, vectors });
  return result;
}

export function clusterGraph(graph: SynonymGraph, algorithm: ClusterAlgorithm, options: ClusterOptions = {}): ClusteringResult {
  const { seed = 42, vectors } = options;
  switch (algorithm) {
    case 'synograph':
      return synographClusters(graph, { ...options.synograph, vectors });
    case 'paper':
      return paperClusters(graph, vectors);
    case 'components':
      return fromLabels(graph, algorithm, componentLabels(graph.synonyms), vectors);
    case 'chineseWhispers':
      return fromLabels(graph, algorithm, chineseWhispersLabels(graph.synonyms, { seed }), vectors);
    case 'louvain':
      return fromLabels(graph, algorithm, louvainLabels(graph.synonyms, { seed, maxEdges: options.louvainMaxEdges }), vectors);
    case 'watset': {
      const w = watsetLabels(graph, { seed });
      const { map, ...result } = finishResult(graph, algorithm, w.labels, w.labelCount, { singletons: true, vectors });
      const keep: number[] = [];
      for (let i = 0; i < w.alternatives.node.length; i++) if (map[w.alternatives.label[i]] >= 0) keep.push(i);
      result.alternatives = {
        node: Int32Array.from(keep, (i) => w.alternatives.node[i]),
        cluster: Int32Array.from(keep, (i) => map[w.alternatives.label[i]]),
        support: Float32Array.from(keep, (i) => w.alternatives.support[i]),
      };
      return result;
    }
    default: {
      const never: never = algorithm;
      throw new Error(`unknown clustering algorithm ${String(never)}`);
    }
  }
}
