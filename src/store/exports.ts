/**
 * What the exports read, paged by key so that millions of rows stream in bounded memory: the
 * newest build's record, clusters with every member, memberships, the term graph's nodes,
 * verdicts and bare cannot-links.
 */
import type { Db } from './db.js';

export interface BuildRecord {
  id: number;
  mode: string;
  codeVersion: string;
  /** When it finished, or started when it did not. */
  at: string;
}

export function readNewestBuildRecord(db: Db): BuildRecord | null {
  return (db.prepare('SELECT id, mode, code_version AS codeVersion, coalesce(finished_at, started_at) AS at FROM builds ORDER BY id DESC LIMIT 1').get() as BuildRecord | undefined) ?? null;
}

export interface ClusterPageRow {
  id: number;
  algorithm: string;
  representative: string | null;
  size: number;
  minP: number | null;
  meanP: number | null;
}

export interface ClusterMemberRow {
  clusterId: number;
  term: string;
  support: number;
  isPrimary: number;
  sense: number | null;
}

/** Clusters of one algorithm by id, a page at a time, each page with its members (primary ones first, then by support). */
export function* clusterPages(db: Db, algorithm: string, pageSize: number): Generator<{ clusters: ClusterPageRow[]; members: ClusterMemberRow[] }> {
  const page = db.prepare(
    'SELECT c.id, c.algorithm, t.norm AS representative, c.size, c.min_p_synonym AS minP, c.mean_p_synonym AS meanP FROM clusters c LEFT JOIN terms t ON t.id = c.representative WHERE c.algorithm = ? AND c.id > ? ORDER BY c.id LIMIT ?',
  );
  const members = db.prepare(
    'SELECT m.cluster_id AS clusterId, t.norm AS term, m.support, m.is_primary AS isPrimary, m.sense FROM memberships m JOIN terms t ON t.id = m.term_id WHERE m.cluster_id BETWEEN ? AND ? ORDER BY m.cluster_id, m.is_primary DESC, m.support DESC, t.norm',
  );
  for (let after = 0; ; ) {
    const clusters = page.all(algorithm, after, pageSize) as ClusterPageRow[];
    if (clusters.length === 0) return;
    yield { clusters, members: members.all(clusters[0].id, clusters[clusters.length - 1].id) as ClusterMemberRow[] };
    after = clusters[clusters.length - 1].id;
  }
}

export interface MembershipRow {
  clusterId: number;
  termId: number;
  term: string;
  representative: string | null;
  support: number;
  isPrimary: number;
  sense: number | null;
}

/** Every membership of one algorithm's clusters, by (cluster, term), a page at a time. */
export function* membershipPages(db: Db, algorithm: string, pageSize: number): Generator<MembershipRow[]> {
  const page = db.prepare(
    `SELECT m.cluster_id AS clusterId, m.term_id AS termId, t.norm AS term, r.norm AS representative, m.support, m.is_primary AS isPrimary, m.sense
     FROM memberships m JOIN clusters c ON c.id = m.cluster_id JOIN terms t ON t.id = m.term_id LEFT JOIN terms r ON r.id = c.representative
     WHERE c.algorithm = ? AND (m.cluster_id, m.term_id) > (?, ?) ORDER BY m.cluster_id, m.term_id LIMIT ?`,
  );
  for (let after: [number, number] = [0, 0]; ; ) {
    const rows = page.all(algorithm, after[0], after[1], pageSize) as MembershipRow[];
    if (rows.length === 0) return;
    yield rows;
    const last = rows[rows.length - 1];
    after = [last.clusterId, last.termId];
  }
}

export interface GraphNodeRow {
  termId: number;
  norm: string;
  clusterId: number | null;
  representative: string | null;
  /** Every cluster the term belongs to through any sense, primary first, space-separated. */
  senseClusters: string | null;
}

/** Every term with its primary cluster (of one algorithm) and all its clusters, by id, a page at a time. */
export function* graphNodePages(db: Db, algorithm: string, pageSize: number): Generator<GraphNodeRow[]> {
  const page = db.prepare(
    `SELECT t.id AS termId, t.norm, pm.cluster_id AS clusterId, r.norm AS representative,
       (SELECT group_concat(cluster_id, ' ') FROM (SELECT m2.cluster_id FROM memberships m2 WHERE m2.term_id = t.id ORDER BY m2.is_primary DESC, m2.cluster_id)) AS senseClusters FROM terms t
     LEFT JOIN (SELECT m.term_id, m.cluster_id, c.representative FROM memberships m JOIN clusters c ON c.id = m.cluster_id WHERE m.is_primary = 1 AND c.algorithm = ?) pm ON pm.term_id = t.id
     LEFT JOIN terms r ON r.id = pm.representative
     WHERE t.id > ? ORDER BY t.id LIMIT ?`,
  );
  for (let after = 0; ; ) {
    const rows = page.all(algorithm, after, pageSize) as GraphNodeRow[];
    if (rows.length === 0) return;
    yield rows;
    after = rows[rows.length - 1].termId;
  }
}

export interface VerdictEdgeRow {
  a: number;
  b: number;
  label: 'synonym' | 'antonym' | 'co-hyponym';
  pSynonym: number;
  pAntonym: number;
  pCohyponym: number;
  gated: number;
  origin: 'model' | 'seed';
  cannotLink: number;
}

/** Every stored verdict with whether a cannot-link holds too, by (a, b), a page at a time. */
export function* verdictPages(db: Db, pageSize: number): Generator<VerdictEdgeRow[]> {
  const page = db.prepare(
    `SELECT r.a, r.b, r.label, r.p_synonym AS pSynonym, r.p_antonym AS pAntonym, r.p_cohyponym AS pCohyponym, r.gated, r.origin, (c.a IS NOT NULL) AS cannotLink
     FROM relation_predictions r LEFT JOIN cannot_links c ON c.a = r.a AND c.b = r.b WHERE (r.a, r.b) > (?, ?) ORDER BY r.a, r.b LIMIT ?`,
  );
  for (let after: [number, number] = [0, 0]; ; ) {
    const rows = page.all(after[0], after[1], pageSize) as VerdictEdgeRow[];
    if (rows.length === 0) return;
    yield rows;
    after = [rows[rows.length - 1].a, rows[rows.length - 1].b];
  }
}

/** Cannot-links with no verdict of their own (antonym constraints from seeds), by (a, b), a page at a time. */
export function* bareCannotLinkPages(db: Db, pageSize: number): Generator<{ a: number; b: number; origin: 'model' | 'seed' }[]> {
  const page = db.prepare(
    'SELECT c.a, c.b, c.origin FROM cannot_links c WHERE (c.a, c.b) > (?, ?) AND NOT EXISTS (SELECT 1 FROM relation_predictions r WHERE r.a = c.a AND r.b = c.b) ORDER BY c.a, c.b LIMIT ?',
  );
  for (let after: [number, number] = [0, 0]; ; ) {
    const rows = page.all(after[0], after[1], pageSize) as { a: number; b: number; origin: 'model' | 'seed' }[];
    if (rows.length === 0) return;
    yield rows;
    after = [rows[rows.length - 1].a, rows[rows.length - 1].b];
  }
}
