/**
 * Read side of a built database for serving (the API, the explorer, the query command): every
 * statement prepared once (the server answers thousands of lookups a second on one connection),
 * synchronous better-sqlite3 reads, and only the rows of one clustering algorithm (the clusters
 * table may hold several).
 */
import type { Statement } from 'better-sqlite3';
import { buildIdentity, builtGate } from './builds.js';
import type { Db } from './db.js';
import { DEFAULT_GATE, type RelationLabel } from '../types.js';
import type { RelationOrigin, RelationVerdict } from './relations.js';
import { Lru } from '../util/lru.js';

export interface TermRow {
  id: number;
  norm: string;
}

export interface MembershipRow {
  clusterId: number;
  support: number;
  primary: boolean;
  /** The lexicon's sense number the term belongs to the cluster through; null when not known. */
  sense: number | null;
  /** The cluster's row, read with the membership (every caller wants its representative or more). */
  cluster: ClusterRow;
}

export interface ClusterRow {
  id: number;
  algorithm: string;
  representative: string | null;
  size: number;
  minPSynonym: number | null;
  meanPSynonym: number | null;
}

export interface MemberRow {
  termId: number;
  term: string;
  support: number;
  /** The cluster is this member's primary cluster (false: it belongs through another of its senses). */
  primary: boolean;
  sense: number | null;
}

/** A stored verdict's scores, label, gate decision and origin (the pair itself aside). */
export type VerdictRow = Omit<RelationVerdict, 'a' | 'b'>;

/** A stored verdict seen from one term: the other end and the verdict. */
export interface EdgeRow extends VerdictRow {
  otherId: number;
  term: string;
}

export interface CannotLinkRow {
  otherId: number;
  term: string;
  origin: RelationOrigin;
}

type Raw = Record<string, number | string | null>;

/** Scores are stored as float32: six decimals say all they hold (0.85, not 0.8500000238418579). */
export function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
const round6OrNull = (x: number | string | null) => (x === null ? null : round6(x as number));

const EDGE_COLUMNS = 'p_synonym, p_antonym, p_cohyponym, label, gated, origin';

function toVerdict(r: Raw): VerdictRow {
  return { pSynonym: round6(r.p_synonym as number), pAntonym: round6(r.p_antonym as number), pCohyponym: round6(r.p_cohyponym as number), label: r.label as RelationLabel, gated: r.gated === 1, origin: r.origin as RelationOrigin };
}

/** A row of `neighboursOf`: kind 0 a verdict (scores, label, gated set), 1 a cannot-link (those null). */
type RawNeighbour = [0 | 1, number, string, number, number, number, RelationLabel, number, RelationOrigin];

function toEdge(r: RawNeighbour): EdgeRow {
  return { otherId: r[1], term: r[2], pSynonym: round6(r[3]), pAntonym: round6(r[4]), pCohyponym: round6(r[5]), label: r[6], gated: r[7] === 1, origin: r[8] };
}

/** A row of `membershipsOf`: cluster id, support, is_primary, sense. */
type RawMembership = [number, number, number, number | null];

/** Primary first, then the strongest (on the stored value, before rounding), ties by cluster id. */
const byMembershipRank = (x: RawMembership, y: RawMembership) => y[2] - x[2] || y[1] - x[1] || x[0] - y[0];

/** A term's verdicts and cannot-links, each cut at the limit. */
export interface Neighbours {
  verdicts: EdgeRow[];
  cannotLinks: CannotLinkRow[];
}

/** Longest a shared read transaction stays open (ms): how stale an answer may be, and how long a writer's checkpoint may wait. */
const SNAPSHOT_MS = 100;

/** Clusters whose rows and member lists are kept (a few tens of MB at most). */
const CLUSTER_CACHE = 20_000;

const byTerm = (x: { term: string }, y: { term: string }) => (x.term < y.term ? -1 : x.term > y.term ? 1 : 0);
/** The first `limit` rows (the array itself when it is no longer). */
export const cut = <T>(rows: T[], limit: number): T[] => (rows.length > limit ? rows.slice(0, limit) : rows);


export class ServeReader {
  /** The clustering algorithm served: the one asked for, else that of the newest cluster row. */
  readonly algorithm: string | null;
  /** The P(synonym) gate the database was built with (the default where no relations stage ran). */
  readonly gate: number;
  private readonly s: Record<string, Statement>;
  /**
   * Cluster rows (null: no such cluster, or another algorithm's) and member lists, least recently
   * used evicted: the database is read-only while served, and every member of a cluster (and every
   * expansion through it) asks for the same row and list.
   */
  readonly clusterCache = new Lru<number, ClusterRow | null>(CLUSTER_CACHE);
  readonly memberCache = new Lru<number, MemberRow[]>(CLUSTER_CACHE);
  private readonly begin: Statement;
  private readonly commit: Statement;
  /** Ends the shared read transaction this reader opened; null when none is open. */
  private releaseTimer: NodeJS.Timeout | null = null;

  constructor(readonly db: Db, algorithm?: string) {
    this.algorithm = algorithm ?? ((db.prepare('SELECT algorithm FROM clusters ORDER BY id DESC LIMIT 1').pluck().get() as string | undefined) ?? null);
    this.gate = builtGate(db) ?? DEFAULT_GATE;
    this.begin = db.prepare('BEGIN');
    this.commit = db.prepare('COMMIT');
    const p = (sql: string) => db.prepare(sql);
    this.s = {
      byNorm: p('SELECT id, norm FROM terms WHERE norm = ?'),
      byId: p('SELECT id, norm FROM terms WHERE id = ?'),
      // terms.folded is NULL when equal to norm, so the folded key is looked up in both columns.
      byFolded: p('SELECT id, norm FROM terms WHERE folded = ? UNION SELECT id, norm FROM terms WHERE norm = ? ORDER BY id LIMIT 1'),
      // Several inflected entries may share a lemma: the shortest is the closest to the lemma itself.
      byLemma: p('SELECT id, norm FROM terms WHERE lemma = ? ORDER BY length(norm), id LIMIT 1'),
      // One range of the primary key; the clusters' rows come from the cluster cache, the sort from JS.
      membershipsOf: p('SELECT cluster_id, support, is_primary, sense FROM memberships WHERE term_id = ?').raw(),
      cluster: p('SELECT c.id, c.algorithm, t.norm AS representative, c.size, c.min_p_synonym, c.mean_p_synonym FROM clusters c LEFT JOIN terms t ON t.id = c.representative WHERE c.id = ?'),
      // Every member, through its primary sense or another one (the flag says which).
      members: p('SELECT m.term_id, t.norm, m.support, m.is_primary, m.sense FROM memberships m JOIN terms t ON t.id = m.term_id WHERE m.cluster_id = ?').raw(),
      // Verdicts and cannot-links touching a term in one statement (kind 0 and 1), the other end's
      // spelling included. No ORDER BY or LIMIT in SQL: sorting a term's few dozen rows in JS is
      // several times cheaper than SQLite's sorter, and this is the hottest statement of a lookup.
      neighboursOf: p(
        `SELECT 0, b, (SELECT norm FROM terms WHERE id = b), ${EDGE_COLUMNS} FROM relation_predictions WHERE a = ?
         UNION ALL SELECT 0, a, (SELECT norm FROM terms WHERE id = a), ${EDGE_COLUMNS} FROM relation_predictions WHERE b = ?
         UNION ALL SELECT 1, b, (SELECT norm FROM terms WHERE id = b), NULL, NULL, NULL, NULL, NULL, origin FROM cannot_links WHERE a = ?
         UNION ALL SELECT 1, a, (SELECT norm FROM terms WHERE id = a), NULL, NULL, NULL, NULL, NULL, origin FROM cannot_links WHERE b = ?`,
      ).raw(),
      opposed: p(
        `SELECT b FROM relation_predictions WHERE a = ? AND label = 'antonym' UNION ALL SELECT a FROM relation_predictions WHERE b = ? AND label = 'antonym'
         UNION ALL SELECT b FROM cannot_links WHERE a = ? UNION ALL SELECT a FROM cannot_links WHERE b = ?`,
      ).pluck(),
      relation: p(`SELECT ${EDGE_COLUMNS} FROM relation_predictions WHERE a = ? AND b = ?`),
      // Pairs inside a node set (a neighbourhood), one indexed range scan per member.
      relationsAmong: p(`SELECT a, b, ${EDGE_COLUMNS} FROM relation_predictions WHERE a IN (SELECT value FROM json_each(?)) AND b IN (SELECT value FROM json_each(?))`),
      cannotLinksAmong: p('SELECT a, b, origin FROM cannot_links WHERE a IN (SELECT value FROM json_each(?)) AND b IN (SELECT value FROM json_each(?))'),
      cannotLink: p('SELECT origin FROM cannot_links WHERE a = ? AND b = ?').pluck(),
    };
  }

  /**
   * Runs `read` inside a read transaction, shared by every answer for up to SNAPSHOT_MS: WAL's
   * shared lock is taken once per window instead of once per statement (three syscalls, about
   * 3 us on this VM, several statements an answer) or per answer (about 15 us of server CPU per
   * request, measured). Answers see one consistent snapshot, at most SNAPSHOT_MS old: the database
   * is read-only while served, and a writer's checkpoint is never held back longer than that.
   * Inside a transaction someone else opened, `read` simply runs in it.
   */
  snapshot<T>(read: () => T): T {
    if (!this.db.inTransaction) {
      this.begin.run();
      this.releaseTimer = setTimeout(() => this.release(), SNAPSHOT_MS);
      this.releaseTimer.unref();
    }
    return read();
  }

  /** Ends the shared read transaction now (the next answer opens a fresh one); a no-op when none is open. */
  release(): void {
    if (this.releaseTimer === null) return;
    clearTimeout(this.releaseTimer);
    this.releaseTimer = null;
    if (!this.db.open || !this.db.inTransaction) return;
    try {
      this.commit.run();
    } catch {
      // A statement is still iterating (a streamed export between chunks): try again later.
      this.releaseTimer = setTimeout(() => this.release(), SNAPSHOT_MS);
      this.releaseTimer.unref();
    }
  }

  termByNorm(norm: string): TermRow | undefined {
    return this.s.byNorm.get(norm) as TermRow | undefined;
  }

  termById(id: number): TermRow | undefined {
    return this.s.byId.get(id) as TermRow | undefined;
  }

  termByFolded(folded: string): TermRow | undefined {
    return this.s.byFolded.get(folded, folded) as TermRow | undefined;
  }

  termByLemma(lemma: string): TermRow | undefined {
    return this.s.byLemma.get(lemma) as TermRow | undefined;
  }

  /** The term's memberships in the served clustering, primary first, then by support (ties by cluster id), each with its cluster's row. */
  memberships(termId: number): MembershipRow[] {
    if (this.algorithm === null) return [];
    const rows = this.s.membershipsOf.all(termId) as RawMembership[];
    if (rows.length > 1) rows.sort(byMembershipRank);
    const out: MembershipRow[] = [];
    for (const [clusterId, support, primary, sense] of rows) {
      const cluster = this.cluster(clusterId);
      if (cluster && cluster.algorithm === this.algorithm) out.push({ clusterId, support: round6(support), primary: primary === 1, sense, cluster });
    }
    return out;
  }

  /** A cluster's row (any algorithm's); shared with the cache, not to be changed. */
  cluster(id: number): ClusterRow | undefined {
    let row = this.clusterCache.get(id);
    if (row === undefined) {
      const r = this.s.cluster.get(id) as Raw | undefined;
      row = r ? { id: r.id as number, algorithm: r.algorithm as string, representative: r.representative as string | null, size: r.size as number, minPSynonym: round6OrNull(r.min_p_synonym), meanPSynonym: round6OrNull(r.mean_p_synonym) } : null;
      this.clusterCache.set(id, row);
    }
    return row ?? undefined;
  }

  /**
   * Every member of a cluster: those for whom it is the primary cluster first, then those who
   * belong through another of their senses; each group strongest first (ties by spelling).
   */
  members(clusterId: number, limit: number): MemberRow[] {
    let all = this.memberCache.get(clusterId);
    if (!all) {
      all = (this.s.members.all(clusterId) as [number, string, number, number, number | null][]).map(([termId, term, support, primary, sense]) => ({ termId, term, support: round6(support), primary: primary === 1, sense }));
      all.sort((x, y) => Number(y.primary) - Number(x.primary) || y.support - x.support || byTerm(x, y));
      this.memberCache.set(clusterId, all);
    }
    return cut(all, limit);
  }

  /** Stored verdicts touching a term, strongest synonym evidence first (ties by spelling), and its cannot-links by spelling; each cut at the limit. */
  neighbours(termId: number, limit: number): Neighbours {
    const verdicts: EdgeRow[] = [];
    const cannotLinks: CannotLinkRow[] = [];
    for (const r of this.s.neighboursOf.all(termId, termId, termId, termId) as RawNeighbour[]) {
      if (r[0] === 0) verdicts.push(toEdge(r));
      else cannotLinks.push({ otherId: r[1], term: r[2], origin: r[8] });
    }
    verdicts.sort((x, y) => y.pSynonym - x.pSynonym || byTerm(x, y));
    cannotLinks.sort(byTerm);
    return { verdicts: cut(verdicts, limit), cannotLinks: cut(cannotLinks, limit) };
  }

  /** Terms opposed to this one: antonym verdicts and cannot-links (never an expansion). */
  opposedTo(termId: number): Set<number> {
    return new Set(this.s.opposed.all(termId, termId, termId, termId) as number[]);
  }

  relation(a: number, b: number): VerdictRow | null {
    const r = this.s.relation.get(Math.min(a, b), Math.max(a, b)) as Raw | undefined;
    if (!r) return null;
    return toVerdict(r);
  }

  /** Verdicts and cannot-links between any two of the given terms. */
  among(ids: readonly number[]): { a: number; b: number; verdict: VerdictRow | null; cannot: RelationOrigin | null }[] {
    const json = JSON.stringify(ids);
    const out = new Map<string, { a: number; b: number; verdict: VerdictRow | null; cannot: RelationOrigin | null }>();
    for (const r of this.s.relationsAmong.all(json, json) as Raw[]) {
      out.set(`${r.a}-${r.b}`, { a: r.a as number, b: r.b as number, verdict: toVerdict(r), cannot: null });
    }
    for (const r of this.s.cannotLinksAmong.all(json, json) as Raw[]) {
      const key = `${r.a}-${r.b}`;
      const known = out.get(key);
      if (known) known.cannot = r.origin as RelationOrigin;
      else out.set(key, { a: r.a as number, b: r.b as number, verdict: null, cannot: r.origin as RelationOrigin });
    }
    return [...out.values()];
  }

  cannotLink(a: number, b: number): RelationOrigin | null {
    return (this.s.cannotLink.get(Math.min(a, b), Math.max(a, b)) as RelationOrigin | undefined) ?? null;
  }

  /** Counts and build mode; computed once by the caller (a full count on 15M terms is not free). */
  summary(): { terms: number; clusters: number; relations: number; mode: string | null; algorithm: string | null } {
    const count = (sql: string) => this.db.prepare(sql).pluck().get() as number;
    return {
      terms: count('SELECT count(*) FROM terms'),
      clusters: this.algorithm === null ? 0 : (this.db.prepare('SELECT count(*) FROM clusters WHERE algorithm = ?').pluck().get(this.algorithm) as number),
      relations: count('SELECT count(*) FROM relation_predictions'),
      mode: buildIdentity(this.db)?.mode ?? null,
      algorithm: this.algorithm,
    };
  }
}

/**
 * Reads the first and last rows of the tables answers come from (each a root-to-leaf path of its
 * b-tree): what /healthz asks of the file, in milliseconds, where counts would scan it.
 */
export function probeServedTables(db: Db): void {
  for (const [table, key] of [['terms', 'id'], ['clusters', 'id'], ['memberships', 'term_id, cluster_id'], ['relation_predictions', 'a, b']] as const) {
    db.prepare(`SELECT * FROM ${table} ORDER BY ${key} LIMIT 1`).get();
    db.prepare(`SELECT * FROM ${table} ORDER BY ${key.split(', ').map((k) => `${k} DESC`).join(', ')} LIMIT 1`).get();
  }
}
