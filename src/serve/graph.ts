/**
 * A term's neighbourhood: the stored verdicts (every label, gated or not) and cannot-links out
 * to a depth, bounded in nodes, with each node's cluster and, relative to the centre, why it was
 * kept out of the centre's cluster. The explorer draws it; the GEXF export writes it.
 */
import type { RelationLabel } from '../types.js';
import type { RelationOrigin } from '../store/index.js';
import { LIMITS, QueryInputError } from './limits.js';
import type { ServeReader, VerdictRow } from './reader.js';
import type { MatchVia, TermResolver } from './resolve.js';

/** How an edge is drawn: a kept synonym edge, an antonym, a co-hyponym, or a synonym-ish verdict the gate dropped. */
export type EdgeKind = 'synonym' | 'antonym' | 'co-hyponym' | 'pruned';

export interface GraphNode {
  id: string;
  termId: number;
  depth: number;
  /** The node's primary cluster. */
  clusterId: number | null;
  representative: string | null;
  /** Every cluster the node belongs to through any sense, primary first. */
  clusters: number[];
  /** The centre's sense cluster this node shares (its primary one first), or null. */
  centerSense: number | null;
  center: boolean;
  /** Relative to the centre: false when the node shares one of the centre's sense clusters. */
  keptOut: boolean;
  why: string[];
}

/** One of the centre's senses: the cluster it belongs to through it. */
export interface CenterSense {
  clusterId: number;
  primary: boolean;
  /** The lexicon's sense number (null when not known). */
  sense: number | null;
  representative: string | null;
}

export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  kind: EdgeKind;
  label: RelationLabel | null;
  pSynonym: number | null;
  pAntonym: number | null;
  pCohyponym: number | null;
  gated: boolean;
  origin: RelationOrigin | null;
  cannotLink: boolean;
}

export interface Neighbourhood {
  center: string;
  matched: { norm: string; via: MatchVia };
  depth: number;
  gate: number;
  truncated: boolean;
  /** The centre's senses: its primary cluster first, then its other senses' clusters. */
  senses: CenterSense[];
  nodes: GraphNode[];
  edges: GraphEdge[];
}

export interface NeighbourhoodOptions {
  depth?: number;
  maxNodes?: number;
  neighboursPerNode?: number;
  gate?: number;
  /** Ceiling on depth (the API's is LIMITS.maxDepth; an export may go further). */
  maxDepth?: number;
}

export function edgeKind(label: RelationLabel, gated: boolean): EdgeKind {
  if (gated) return 'synonym';
  return label === 'synonym' ? 'pruned' : label;
}

const fmt = (p: number) => p.toFixed(2);

interface NodeState {
  termId: number;
  norm: string;
  depth: number;
}

export class GraphReader {
  constructor(private readonly reader: ServeReader, private readonly resolver: TermResolver) {}

  neighbourhood(input: string, options: NeighbourhoodOptions = {}): Neighbourhood | null {
    return this.reader.snapshot(() => this.read(input, options));
  }

  private read(input: string, options: NeighbourhoodOptions): Neighbourhood | null {
    const depth = options.depth ?? 1;
    const maxDepth = options.maxDepth ?? LIMITS.maxDepth;
    if (!Number.isInteger(depth) || depth < 0 || depth > maxDepth) throw new QueryInputError(`depth must be an integer from 0 to ${maxDepth}`);
    const maxNodes = options.maxNodes ?? LIMITS.maxGraphNodes;
    const perNode = options.neighboursPerNode ?? LIMITS.neighboursPerNode;
    // The database's own gate: a `--gate 0.5` build is judged against 0.5, not a constant.
    const gate = options.gate ?? this.reader.gate;
    const match = this.resolver.resolve(input);
    if (!match) return null;

    const nodes = new Map<number, NodeState>([[match.id, { termId: match.id, norm: match.norm, depth: 0 }]]);
    const edges = new Map<string, { a: number; b: number; verdict: VerdictRow | null; cannot: RelationOrigin | null }>();
    let truncated = false;
    const addNode = (termId: number, norm: string, d: number): boolean => {
      if (nodes.has(termId)) return true;
      if (nodes.size >= maxNodes) {
        truncated = true;
        return false;
      }
      nodes.set(termId, { termId, norm, depth: d });
      return true;
    };
    const addEdge = (x: number, y: number, verdict: VerdictRow | null, cannot: RelationOrigin | null) => {
      const [a, b] = x < y ? [x, y] : [y, x];
      const key = `${a}-${b}`;
      const known = edges.get(key);
      if (known) {
        known.verdict ??= verdict;
        known.cannot ??= cannot;
      } else edges.set(key, { a, b, verdict, cannot });
    };

    let frontier = [match.id];
    for (let d = 1; d <= depth && frontier.length > 0; d++) {
      const next: number[] = [];
      for (const id of frontier) {
        const { verdicts, cannotLinks } = this.reader.neighbours(id, perNode);
        for (const v of verdicts) {
          const isNew = !nodes.has(v.otherId);
          if (!addNode(v.otherId, v.term, d)) continue;
          if (isNew) next.push(v.otherId);
          addEdge(id, v.otherId, v, null);
        }
        for (const c of cannotLinks) {
          const isNew = !nodes.has(c.otherId);
          if (!addNode(c.otherId, c.term, d)) continue;
          if (isNew) next.push(c.otherId);
          addEdge(id, c.otherId, null, c.origin);
        }
      }
      frontier = next;
    }
    // Verdicts and cannot-links between nodes reached by different paths complete the picture.
    const ids = [...nodes.keys()];
    for (const p of this.reader.among(ids)) addEdge(p.a, p.b, p.verdict, p.cannot);

    const clusterOf = new Map<number, { clusterId: number | null; representative: string | null; clusters: number[] }>();
    for (const id of ids) {
      const memberships = this.reader.memberships(id);
      const primary = memberships.find((m) => m.primary);
      clusterOf.set(id, { clusterId: primary?.clusterId ?? null, representative: primary?.cluster.representative ?? null, clusters: memberships.map((m) => m.clusterId) });
    }
    const centerMemberships = this.reader.memberships(match.id);
    const senses: CenterSense[] = centerMemberships.map((m) => ({ clusterId: m.clusterId, primary: m.primary, sense: m.sense, representative: m.cluster.representative }));
    const centerClusters = clusterOf.get(match.id)!.clusters;
    const norm = (id: number) => nodes.get(id)!.norm;
    const outNodes: GraphNode[] = ids.map((id) => {
      const n = nodes.get(id)!;
      const c = clusterOf.get(id)!;
      const center = id === match.id;
      const shared = center ? null : (centerClusters.find((k) => c.clusters.includes(k)) ?? null);
      const key = id < match.id ? `${id}-${match.id}` : `${match.id}-${id}`;
      const e = edges.get(key);
      return {
        id: n.norm,
        termId: id,
        depth: n.depth,
        clusterId: c.clusterId,
        representative: c.representative,
        clusters: c.clusters,
        centerSense: shared,
        center,
        keptOut: !center && shared === null,
        why: center ? [] : explain(match.norm, senses, { ...c, shared }, e?.verdict ?? null, e?.cannot ?? null, gate),
      };
    });
    const outEdges: GraphEdge[] = [...edges.values()].map(({ a, b, verdict: v, cannot }) => ({
      id: `${a}-${b}`,
      source: norm(a),
      target: norm(b),
      kind: v ? edgeKind(v.label, v.gated) : 'antonym',
      label: v?.label ?? null,
      pSynonym: v?.pSynonym ?? null,
      pAntonym: v?.pAntonym ?? null,
      pCohyponym: v?.pCohyponym ?? null,
      gated: v?.gated ?? false,
      origin: v?.origin ?? cannot,
      cannotLink: cannot !== null,
    }));
    return { center: match.norm, matched: { norm: match.norm, via: match.via }, depth, gate, truncated, senses, nodes: outNodes, edges: outEdges };
  }
}

/** Plain-language reasons a neighbour is (or is not) in one of the centre's sense clusters. */
export function explain(
  center: string,
  senses: readonly CenterSense[],
  node: { clusterId: number | null; representative: string | null; shared: number | null },
  v: VerdictRow | null,
  cannot: RelationOrigin | null,
  gate: number,
): string[] {
  const why: string[] = [];
  const shared = senses.find((s) => s.clusterId === node.shared);
  if (shared) {
    const which = shared.primary ? 'its primary sense' : `another of its senses${shared.sense === null ? '' : ` (sense ${shared.sense})`}`;
    why.push(`in the same cluster as "${center}" (#${shared.clusterId}, ${which})`);
  }
  if (cannot) why.push(`cannot-link with "${center}" (antonym constraint, ${cannot} origin): never clustered together`);
  if (v) {
    const probs = `P(synonym) ${fmt(v.pSynonym)}, P(antonym) ${fmt(v.pAntonym)}, P(co-hyponym) ${fmt(v.pCohyponym)}`;
    if (v.label === 'antonym') why.push(`labelled antonym (${probs})`);
    else if (v.label === 'co-hyponym') why.push(`labelled co-hyponym, a sibling concept (${probs})`);
    else if (!v.gated && v.pSynonym < gate) why.push(`pruned: P(synonym) ${fmt(v.pSynonym)} is below the ${fmt(gate)} gate (${probs})`);
    else if (!v.gated) why.push(`pruned: labelled synonym but not kept by the gate (${v.origin} verdict; ${probs})`);
    else why.push(`kept as a synonym edge: P(synonym) ${fmt(v.pSynonym)} >= ${fmt(gate)} gate (${v.origin} verdict)`);
  } else if (!cannot) {
    why.push(`no stored verdict with "${center}": reached through other neighbours`);
  }
  if (node.clusterId === null) why.push('not in any cluster');
  else if (!shared) why.push(`clustered elsewhere: cluster #${node.clusterId}${node.representative ? ` ("${node.representative}")` : ''}`);
  return why;
}
