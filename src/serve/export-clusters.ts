/**
 * Clusters of the served algorithm, paged by id, each with every member: first those for whom it
 * is the primary cluster (strongest first, representative first), then those who belong through
 * another of their senses. The shared reader of the JSONL and Solr exports.
 */
import type { Db } from '../store/index.js';
import { round6, type ClusterRow } from './reader.js';
import type { Member } from './query.js';
import { EXPORT_PAGE } from './export-sink.js';

export interface ExportCluster extends ClusterRow {
  members: Member[];
}

export function* clustersOf(db: Db, algorithm: string | null): Generator<ExportCluster[]> {
  if (algorithm === null) return;
  const page = db.prepare(
    'SELECT c.id, c.algorithm, t.norm AS representative, c.size, c.min_p_synonym AS minP, c.mean_p_synonym AS meanP FROM clusters c LEFT JOIN terms t ON t.id = c.representative WHERE c.algorithm = ? AND c.id > ? ORDER BY c.id LIMIT ?',
  );
  const members = db.prepare(
    'SELECT m.cluster_id AS clusterId, t.norm AS term, m.support, m.is_primary AS isPrimary, m.sense FROM memberships m JOIN terms t ON t.id = m.term_id WHERE m.cluster_id BETWEEN ? AND ? ORDER BY m.cluster_id, m.is_primary DESC, m.support DESC, t.norm',
  );
  let after = 0;
  for (;;) {
    const rows = page.all(algorithm, after, EXPORT_PAGE) as { id: number; algorithm: string; representative: string | null; size: number; minP: number | null; meanP: number | null }[];
    if (rows.length === 0) return;
    const byId = new Map<number, ExportCluster>();
    for (const r of rows) byId.set(r.id, { id: r.id, algorithm: r.algorithm, representative: r.representative, size: r.size, minPSynonym: r.minP === null ? null : round6(r.minP), meanPSynonym: r.meanP === null ? null : round6(r.meanP), members: [] });
    for (const m of members.all(rows[0].id, rows[rows.length - 1].id) as { clusterId: number; term: string; support: number; isPrimary: number; sense: number | null }[]) {
      byId.get(m.clusterId)?.members.push({ term: m.term, support: round6(m.support), primary: m.isPrimary === 1, sense: m.sense });
    }
    for (const c of byId.values()) {
      // The representative leads (when it is there through its primary sense): the line's and the record's canonical form.
      const i = c.members.findIndex((m) => m.term === c.representative && m.primary);
      if (i > 0) c.members.unshift(...c.members.splice(i, 1));
    }
    yield [...byId.values()];
    after = rows[rows.length - 1].id;
  }
}
