/**
 * The served clustering: clusters (with representative and edge-confidence summary) and
 * memberships (every term's one primary cluster with its support, plus losing soft memberships
 * kept as alternative senses). Written as a whole, replacing the previous clustering.
 */
import type { TermId } from '../types.js';
import type { Db } from './db.js';
import { rowInserter } from './row-insert.js';

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
  /** The sense a membership comes through (a lexicon sense number); absent or NO_SENSE: not known. */
  memberSense?: Int32Array;
}

/** memberSense value stored as NULL. */
export const NO_SENSE = 0x7fffffff;

/** Replaces the stored clustering; the caller owns the transaction. */
export function writeClustering(db: Db, c: StoredClustering): void {
  db.prepare('DELETE FROM memberships').run();
  db.prepare('DELETE FROM clusters').run();
  const clusters = rowInserter(db, 'INSERT INTO clusters(id, algorithm, representative, size, min_p_synonym, mean_p_synonym)', 6);
  for (let k = 0; k < c.representative.length; k++) {
    const min = c.minPSynonym[k];
    const mean = c.meanPSynonym[k];
    clusters.add(k + 1, c.algorithm, c.representative[k], c.size[k], Number.isNaN(min) ? null : min, Number.isNaN(mean) ? null : mean);
  }
  clusters.finish();
  const members = rowInserter(db, 'INSERT OR REPLACE INTO memberships(term_id, cluster_id, support, is_primary, sense)', 5);
  for (let i = 0; i < c.memberTerm.length; i++) {
    const sense = c.memberSense ? c.memberSense[i] : NO_SENSE;
    members.add(c.memberTerm[i], c.memberCluster[i] + 1, c.memberSupport[i], c.memberPrimary[i], sense === NO_SENSE ? null : sense);
  }
  members.finish();
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

/**
 * The senses a lexicon knows of the given terms, for the sense graph: for each of `nodes` nodes
 * (`nodeOf`: the node of each term id, -1 for none, as `readNorms` takes it) the synsets holding it
 * with their sense numbers, as a CSR with synsets numbered densely. In a held-out build the
 * lexicon holds only the synsets the build may see.
 */
export function readSenseInventory(db: Db, nodeOf: Int32Array, nodes: number, unnumbered: number): { offsets: Int32Array; synset: Int32Array; number: Int32Array; synsetCount: number } {
  const rows = db
    .prepare('SELECT t.id, m.synset_id, m.sense FROM synset_members m JOIN terms t ON t.norm = m.norm ORDER BY t.id, m.synset_id')
    .raw()
    .iterate() as IterableIterator<[number, string, number | null]>;
  const synsetIndex = new Map<string, number>();
  const node: number[] = [];
  const synset: number[] = [];
  const number: number[] = [];
  for (const [termId, synsetId, sense] of rows) {
    const x = termId < nodeOf.length ? nodeOf[termId] : -1;
    if (x < 0) continue;
    let s = synsetIndex.get(synsetId);
    if (s === undefined) synsetIndex.set(synsetId, (s = synsetIndex.size));
    node.push(x);
    synset.push(s);
    number.push(sense ?? unnumbered);
  }
  // Rows come in term-id order, and nodes follow term ids: a counting pass gives the CSR.
  const offsets = new Int32Array(nodes + 1);
  for (const x of node) offsets[x + 1]++;
  for (let i = 0; i < nodes; i++) offsets[i + 1] += offsets[i];
  const cursor = offsets.slice(0, nodes);
  const outSynset = new Int32Array(node.length);
  const outNumber = new Int32Array(node.length);
  node.forEach((x, i) => {
    outSynset[cursor[x]] = synset[i];
    outNumber[cursor[x]++] = number[i];
  });
  return { offsets, synset: outSynset, number: outNumber, synsetCount: synsetIndex.size };
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

/**
 * The stored clustering as groups of normalised terms by cluster id: `primary` holds each term's
 * primary membership only (word level), `any` every membership (sense level).
 */
export function readClusterGroups(db: Db, level: 'primary' | 'any'): { algorithm: string | null; groups: Map<number, string[]> } {
  const algorithm = (db.prepare('SELECT algorithm FROM clusters LIMIT 1').pluck().get() as string | undefined) ?? null;
  const where = level === 'primary' ? 'WHERE m.is_primary = 1' : '';
  const groups = new Map<number, string[]>();
  for (const [c, norm] of db.prepare(`SELECT m.cluster_id, t.norm FROM memberships m JOIN terms t ON t.id = m.term_id ${where} ORDER BY m.cluster_id, t.norm`).raw().iterate() as IterableIterator<[number, string]>) {
    const g = groups.get(c);
    if (g) g.push(norm);
    else groups.set(c, [norm]);
  }
  return { algorithm, groups };
}

/** Clusters of two or more terms, and how many of them hold a stored verdict under `gate` (drift). */
export function countDrift(db: Db, gate: number): { clusters: number; underGate: number } {
  return {
    clusters: db.prepare('SELECT count(*) FROM clusters WHERE size >= 2').pluck().get() as number,
    underGate: db.prepare('SELECT count(*) FROM clusters WHERE size >= 2 AND min_p_synonym < ?').pluck().get(gate) as number,
  };
}

/** Every term's normalised form. */
export function readTermNorms(db: Db): string[] {
  return db.prepare('SELECT norm FROM terms').pluck().all() as string[];
}

/** The largest clusters: id and size, biggest first (ties by id). */
export function readLargestClusters(db: Db, limit: number): { id: number; size: number }[] {
  return db.prepare('SELECT id, size FROM clusters WHERE size >= 2 ORDER BY size DESC, id LIMIT ?').all(limit) as { id: number; size: number }[];
}
