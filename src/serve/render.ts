/**
 * The 200 bodies of GET /v1/terms/{term} and POST /v1/expand, written by hand: byte for byte what
 * Fastify's schema serializer (fast-json-stringify over `termAnswerSchema`, `expandAnswerSchema`)
 * writes, at a fraction of the cost. That serializer picks an `anyOf` branch (`cluster`, each
 * result's `matched`) by validating the value (a cluster's members included) against the branch's
 * schema on every answer; here a null test does, and a cluster's part of a term's body (most of
 * it) is written once per cached cluster answer and reused by every member of the cluster. Same rules as fast-json-stringify: properties in schema order, only those the
 * schema names, strings escaped as JSON.stringify does (its escaping falls back to it whenever
 * anything needs escaping), finite numbers as `'' + x`.
 */
import type { Expansion, ExpandResult } from './expand.js';
import type { AntonymAnswer, ClusterAnswer, EdgeAnswer, Member, SenseAnswer, TermAnswer } from './query.js';

export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

const str = (s: string): string => JSON.stringify(s);
const strOrNull = (s: string | null): string => (s === null ? 'null' : JSON.stringify(s));
const numOrNull = (x: number | null): string => (x === null ? 'null' : `${x}`);

function array<T>(items: readonly T[], item: (x: T) => string): string {
  let out = '[';
  for (let i = 0; i < items.length; i++) out += (i === 0 ? '' : ',') + item(items[i]);
  return `${out}]`;
}

const matched = (m: { norm: string; via: string }): string => `{"norm":${str(m.norm)},"via":${str(m.via)}}`;

const member = (m: Member): string => `{"term":${str(m.term)},"support":${m.support},"primary":${m.primary},"sense":${numOrNull(m.sense)}}`;

const sense = (s: SenseAnswer): string => `{"clusterId":${s.clusterId},"support":${s.support},"sense":${numOrNull(s.sense)},"representative":${strOrNull(s.representative)},"members":${array(s.members, member)}}`;

const antonym = (a: AntonymAnswer): string => `{"term":${str(a.term)},"pAntonym":${numOrNull(a.pAntonym)},"origin":${str(a.origin)},"cannotLink":${a.cannotLink}}`;

const edge = (e: EdgeAnswer): string =>
  `{"term":${str(e.term)},"pSynonym":${e.pSynonym},"pAntonym":${e.pAntonym},"pCohyponym":${e.pCohyponym},"label":${str(e.label)},"gated":${e.gated},"origin":${str(e.origin)}}`;

function renderCluster(c: ClusterAnswer): string {
  return `{"id":${c.id},"algorithm":${str(c.algorithm)},"representative":${strOrNull(c.representative)},"size":${c.size},"members":${array(c.members, member)},"truncated":${c.truncated},"minPSynonym":${numOrNull(c.minPSynonym)},"meanPSynonym":${numOrNull(c.meanPSynonym)}}`;
}

/** Rendered cluster parts by answer object: SynonymQuery shares one answer per cached cluster and limit. */
const clusterParts = new WeakMap<ClusterAnswer, string>();

function clusterPart(c: ClusterAnswer): string {
  let part = clusterParts.get(c);
  if (part === undefined) {
    part = renderCluster(c);
    clusterParts.set(c, part);
  }
  return part;
}

/** A term answer as the HTTP API writes it (see the module comment). */
export function renderTermAnswer(a: TermAnswer): string {
  return `{"term":${str(a.term)},"found":${a.found},"matched":${matched(a.matched)},"primarySense":${numOrNull(a.primarySense)},"cluster":${a.cluster === null ? 'null' : clusterPart(a.cluster)},"alternativeSenses":${array(a.alternativeSenses, sense)},"antonyms":${array(a.antonyms, antonym)},"edges":${array(a.edges, edge)}}`;
}

const expansion = (e: Expansion): string => `{"term":${str(e.term)},"weight":${e.weight},"source":${str(e.source)},"clusterId":${numOrNull(e.clusterId)}}`;

const expandResult = (r: ExpandResult): string => `{"input":${str(r.input)},"matched":${r.matched === null ? 'null' : matched(r.matched)},"expansions":${array(r.expansions, expansion)}}`;

/** An expansion answer as the HTTP API writes it (see the module comment). */
export function renderExpandAnswer(results: readonly ExpandResult[]): string {
  return `{"results":${array(results, expandResult)}}`;
}
