/**
 * GEXF 1.3 for Gephi: the whole graph (every term, every stored verdict and cannot-link, paged)
 * or one term's neighbourhood. Nodes carry their primary cluster; edges their relation kind,
 * label, probabilities, gate decision and origin, weight = P(synonym). Text is XML-escaped and
 * characters XML 1.0 forbids (control characters, lone surrogates) are dropped.
 */
import { bareCannotLinkPages, graphNodePages, verdictPages, type Db } from '../store/index.js';
import { edgeKind, type GraphEdge, type GraphReader } from './graph.js';
import { round6 } from './reader.js';
import { EXPORT_PAGE, type TextSink } from './export-sink.js';
import type { Provenance } from './export-provenance.js';

const INVALID_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
const XML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

export function xmlEscape(text: string): string {
  return text.replace(INVALID_XML, '').replace(/[&<>"']/g, (c) => XML_ENTITIES[c]);
}

interface GexfNode {
  termId: number;
  norm: string;
  clusterId: number | null;
  representative: string | null;
  /** Every cluster the term belongs to through any sense, primary first, space-separated. */
  senseClusters: string | null;
}

/** An edge by term ids (the GEXF node ids), with what the explorer's edges carry. */
type GexfEdge = Omit<GraphEdge, 'id' | 'source' | 'target' | 'kind'> & { a: number; b: number };

function header(provenance: Provenance, description: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<gexf xmlns="http://gexf.net/1.3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd" version="1.3">
  <meta lastmodifieddate="${provenance.exportedAt.slice(0, 10)}">
    <creator>synograph</creator>
    <description>${xmlEscape(`${description}; build ${provenance.build ?? '-'} (${provenance.mode ?? '-'}), algorithm ${provenance.algorithm ?? '-'}`)}</description>
  </meta>
  <graph defaultedgetype="undirected" mode="static">
    <attributes class="node">
      <attribute id="cluster" title="cluster" type="long"/>
      <attribute id="representative" title="representative" type="string"/>
      <attribute id="sense_clusters" title="clusters of every sense" type="string"/>
    </attributes>
    <attributes class="edge">
      <attribute id="relation" title="relation" type="string"/>
      <attribute id="label" title="label" type="string"/>
      <attribute id="p_synonym" title="P(synonym)" type="double"/>
      <attribute id="p_antonym" title="P(antonym)" type="double"/>
      <attribute id="p_cohyponym" title="P(co-hyponym)" type="double"/>
      <attribute id="gated" title="gated" type="boolean"/>
      <attribute id="origin" title="origin" type="string"/>
      <attribute id="cannot_link" title="cannot-link" type="boolean"/>
    </attributes>
`;
}

const att = (name: string, value: string | number | boolean | null) => (value === null ? '' : `<attvalue for="${name}" value="${typeof value === 'string' ? xmlEscape(value) : value}"/>`);

function nodeXml(n: GexfNode): string {
  return `      <node id="n${n.termId}" label="${xmlEscape(n.norm)}"><attvalues>${att('cluster', n.clusterId)}${att('representative', n.representative)}${att('sense_clusters', n.senseClusters)}</attvalues></node>\n`;
}

function edgeXml(e: GexfEdge): string {
  const kind = e.label ? edgeKind(e.label, e.gated) : 'antonym';
  const weight = e.pSynonym === null ? '' : ` weight="${e.pSynonym}"`;
  return `      <edge id="e${e.a}-${e.b}" source="n${e.a}" target="n${e.b}" label="${kind}"${weight}><attvalues>${att('relation', kind)}${att('label', e.label)}${att('p_synonym', e.pSynonym)}${att('p_antonym', e.pAntonym)}${att('p_cohyponym', e.pCohyponym)}${att('gated', e.gated)}${att('origin', e.origin)}${att('cannot_link', e.cannotLink)}</attvalues></edge>\n`;
}

const FOOTER = '  </graph>\n</gexf>\n';

/** The whole graph, streamed in pages. Returns the node and edge counts. */
export async function exportGexfWhole(db: Db, algorithm: string | null, sink: TextSink, provenance: Provenance): Promise<{ nodes: number; edges: number }> {
  await sink.write(header(provenance, 'synograph term graph'));
  let nodes = 0;
  await sink.write('    <nodes>\n');
  for (const rows of graphNodePages(db, algorithm ?? '', EXPORT_PAGE)) {
    for (const n of rows) await sink.write(nodeXml(n));
    nodes += rows.length;
  }
  await sink.write('    </nodes>\n    <edges>\n');
  let edges = 0;
  for (const rows of verdictPages(db, EXPORT_PAGE)) {
    for (const r of rows) await sink.write(edgeXml({ ...r, pSynonym: round6(r.pSynonym), pAntonym: round6(r.pAntonym), pCohyponym: round6(r.pCohyponym), gated: r.gated === 1, cannotLink: r.cannotLink === 1 }));
    edges += rows.length;
  }
  // Cannot-links with no verdict of their own are edges too (antonym constraints from seeds).
  for (const rows of bareCannotLinkPages(db, EXPORT_PAGE)) {
    for (const r of rows) await sink.write(edgeXml({ a: r.a, b: r.b, label: null, pSynonym: null, pAntonym: null, pCohyponym: null, gated: false, origin: r.origin, cannotLink: true }));
    edges += rows.length;
  }
  await sink.write('    </edges>\n' + FOOTER);
  return { nodes, edges };
}

/** One term's neighbourhood to a depth; null when the term is unknown. */
export async function exportGexfNeighbourhood(graph: GraphReader, term: string, depth: number, maxNodes: number, sink: TextSink, provenance: Provenance): Promise<{ nodes: number; edges: number; truncated: boolean } | null> {
  const g = graph.neighbourhood(term, { depth, maxNodes, maxDepth: depth });
  if (!g) return null;
  const ids = new Map(g.nodes.map((n) => [n.id, n.termId]));
  await sink.write(header(provenance, `neighbourhood of "${g.center}" to depth ${depth}${g.truncated ? ` (cut at ${maxNodes} nodes)` : ''}`));
  await sink.write('    <nodes>\n');
  for (const n of g.nodes) await sink.write(nodeXml({ termId: n.termId, norm: n.id, clusterId: n.clusterId, representative: n.representative, senseClusters: n.clusters.length > 0 ? n.clusters.join(' ') : null }));
  await sink.write('    </nodes>\n    <edges>\n');
  for (const e of g.edges) {
    const [a, b] = [ids.get(e.source)!, ids.get(e.target)!].sort((x, y) => x - y);
    await sink.write(edgeXml({ a, b, label: e.label, pSynonym: e.pSynonym, pAntonym: e.pAntonym, pCohyponym: e.pCohyponym, gated: e.gated, origin: e.origin, cannotLink: e.cannotLink }));
  }
  await sink.write('    </edges>\n' + FOOTER);
  return { nodes: g.nodes.length, edges: g.edges.length, truncated: g.truncated };
}
