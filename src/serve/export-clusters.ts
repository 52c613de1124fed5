/**
 * Clusters of the served algorithm, paged by id, each with every member: first those for whom it
 * is the primary cluster (strongest first, representative first), then those who belong through
 * another of their senses. The shared reader of the JSONL and Solr exports.
 */
import { clusterPages, type Db } from '../store/index.js';
import { round6, type ClusterRow } from './reader.js';
import type { Member } from './query.js';
import { EXPORT_PAGE } from './export-sink.js';

export interface ExportCluster extends ClusterRow {
  members: Member[];
}

export function* clustersOf(db: Db, algorithm: string | null): Generator<ExportCluster[]> {
  if (algorithm === null) return;
  for (const { clusters, members } of clusterPages(db, algorithm, EXPORT_PAGE)) {
    const byId = new Map<number, ExportCluster>();
    for (const r of clusters) byId.set(r.id, { id: r.id, algorithm: r.algorithm, representative: r.representative, size: r.size, minPSynonym: r.minP === null ? null : round6(r.minP), meanPSynonym: r.meanP === null ? null : round6(r.meanP), members: [] });
    for (const m of members) byId.get(m.clusterId)?.members.push({ term: m.term, support: round6(m.support), primary: m.isPrimary === 1, sense: m.sense });
    for (const c of byId.values()) {
      // The representative leads (when it is there through its primary sense): the line's and the record's canonical form.
      const i = c.members.findIndex((m) => m.term === c.representative && m.primary);
      if (i > 0) c.members.unshift(...c.members.splice(i, 1));
    }
    yield [...byId.values()];
  }
}
