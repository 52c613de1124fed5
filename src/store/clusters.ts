/**
 * The served clustering: clusters (with representative and edge-confidence summary) and
 * memberships (every term's one primary cluster with its support, plus losing soft memberships
 * kept as alternative senses). Written as a whole, replacing the previous clustering.
 */
import type { TermId } from '../types.js';
import type { Db } from './db.js';

export interface StoredClustering {
  algorithm: string;
  /** Per cluster (index k is stored as cluster id k + 1). */
  representative: Int32Array;
  size: Int32Array;
  /** Minimum and mean P(synonym) over the cluster's stored pairs; NaN when unknown (stored NULL). */
  minPSynonym: Float32Array;
  meanPSynonym: Float32Array;
  /** Memberships: term, cluster index, support, primary flag (1: the term's hard cluster). */
  memberTerm: Int32Array;
  memberCluster: Int32Array;
  memberSupport: Float32Array;
  memberPrimary: Uint8Array;
}

/** Replaces the stored clustering; the caller owns the transaction. */
export function writeClustering(db: Db, c: StoredClustering): void {
  db.prepare('DELETE FROM memberships').run();
  db.prepare('DELETE FROM clusters').run();
  const insertCluster = db.prepare('INSERT INTO clusters(id, algorithm, representative, size, min_p_synonym, mean_p_synonym) VALUES (?, ?, ?, ?, ?, ?)');
  for (let k = 0; k < c.representative.length; k++) {
    const min = c.minPSynonym[k];
    const mean = c.meanPSynonym[k];
    insertCluster.run(k + 1, c.algorithm, c.representative[k], c.size[k], Number.isNaN(min) ? null : min, Number.isNaN(mean) ? null : mean);
  }
  const insertMember = db.prepare('INSERT OR REPLACE INTO memberships(term_id, cluster_id, support, is_primary) VALUES (?, ?, ?, ?)');
  for (let i = 0; i < c.memberTerm.length; i++) insertMember.run(c.memberTerm[i], c.memberCluster[i] + 1, c.memberSupport[i], c.memberPrimary[i]);
}

export interface ClusterRecord {
  id: number;
  algorithm: string;
  representative: TermId | null;
  size: number;
  minPSynonym: number | null;
  meanPSynonym: number | null;
}

export interface MemberRecord {
  termId: TermId;
  norm: string;
  support: number;
  primary: boolean;
}

export function readCluster(db: Db, id: number): ClusterRecord | null {
  const row = db.prepare('SELECT id, algorithm, representative, size, min_p_synonym, mean_p_synonym FROM clusters WHERE id = ?').get(id) as
    | { id: number; algorithm: string; representative: number | null; size: number; min_p_synonym: number | null; mean_p_synonym: number | null }
    | undefined;
  return row ? { id: row.id, algorithm: row.algorithm, representative: row.representative, size: row.size, minPSynonym: row.min_p_synonym, meanPSynonym: row.mean_p_synonym } : null;
}

/** Members of a cluster, primary members first, then by support. */
export function readClusterMembers(db: Db, id: number): MemberRecord[] {
  const rows = db
    .prepare('SELECT m.term_id, t.norm, m.support, m.is_primary FROM memberships m JOIN terms t ON t.id = m.term_id WHERE m.cluster_id = ? ORDER BY m.is_primary DESC, m.support DESC, t.norm')
    .raw()
    .all(id) as [number, string, number, number][];
  return rows.map(([termId, norm, support, primary]) => ({ termId, norm, support, primary: primary === 1 }));
}

/** A term's memberships: its primary cluster first, then alternative senses by support. */
export function readMemberships(db: Db, term: TermId): { clusterId: number; support: number; primary: boolean }[] {
  const rows = db.prepare('SELECT cluster_id, support, is_primary FROM memberships WHERE term_id = ? ORDER BY is_primary DESC, support DESC, cluster_id').raw().all(term) as [number, number, number][];
  return rows.map(([clusterId, support, primary]) => ({ clusterId, support, primary: primary === 1 }));
}
