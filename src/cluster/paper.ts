/**
 * The paper's clustering, reproduced exactly (Tosun et al. 2026, stages 5-6): expansion with the 0.51
 * ratio test in confidence order, topological-voting pruning on the pre-pruning snapshot,
 * clusters of fewer than 2 members dropped (their words stay unclustered: assignment -1).
 */
import type { SynonymGraph } from './graph.js';
import { edgeOrder } from './order.js';
import { finishResult, type ClusteringResult, type NodeVectors } from './result.js';
import { expand, PAPER_EXPANSION, prune, rowFilters } from './soft.js';

export function paperClusters(graph: SynonymGraph, vectors?: NodeVectors): ClusteringResult {
  const order = edgeOrder(graph.synonyms);
  const filter = rowFilters(graph);
  const soft = expand(graph, order, PAPER_EXPANSION, filter);
  const { clusterOf } = prune(graph, soft, false, filter);
  soft.release();
  const { map: _map, ...result } = finishResult(graph, 'paper', clusterOf, soft.clusterCount, { singletons: false, vectors });
  return result;
}
