/**
 * Read side of a built database for serving: every statement prepared once (the server answers
 * thousands of lookups a second on one connection), synchronous better-sqlite3 reads, and only
 * the rows of one clustering algorithm (the clusters table may hold several).
 */
import type { Statement } from 'better-sqlite3';
import { buildIdentity, type Db } from '../store/index.js';
import type { RelationLabel } from '../types.js';
import type { RelationOrigin, RelationVerdict } from '../store/index.js';

export interface TermRow {
  id: number;
  norm: string;
}

export interface MembershipRow {
  clusterId: number;
  support: number;
  primary: boolean;
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

function toEdge(r: Raw): EdgeRow {
  return { otherId: r.other as number, term: r.norm as string, ...toVerdict(r) };
}

export class ServeReader {
  /** The clustering algorithm served: the one asked for, else that of the newest cluster row. */
  readonly algorithm: string | null;
  private readonly s: Record<string, Statement>;

  constructor(readonly db: Db, algorithm?: string) {
    this.algorithm = algorithm ?? ((db.prepare('SELECT algorithm FROM clusters ORDER BY id DESC LIMIT 1').pluck().get() as string | undefined) ?? null);
    const p = (sql: string) => db.prepare(sql);
    this.s = {
      byNorm: p('SELECT id, norm FROM terms WHERE norm = ?'),
      byId: p('SELECT id, norm FROM terms WHERE id = ?'),
      // terms.folded is NULL when equal to norm, so the folded key is looked up in both columns.
      byFolded: p('SELECT id, norm FROM terms WHERE folded = ? UNION SELECT id, norm FROM terms WHERE norm = ? ORDER BY id LIMIT 1'),
      // Several inflected entries may share a lemma: the shortest is the closest to the lemma itself.
      byLemma: p('SELECT id, norm FROM terms WHERE lemma = ? ORDER BY length(norm), id LIMIT 1'),
      memberships: p(
        'SELECT m.cluster_id AS clusterId, m.support, m.is_primary AS isPrimary FROM memberships m JOIN clusters c ON c.id = m.cluster_id WHERE m.term_id = ? AND c.algorithm = ? ORDER BY m.is_primary DESC, m.support DESC, m.cluster_id',
      ),
      cluster: p('SELECT c.id, c.algorithm, t.norm AS representative, c.size, c.min_p_synonym, c.mean_p_synonym FROM clusters c LEFT JOIN terms t ON t.id = c.representative WHERE c.id = ?'),
      members: p('SELECT m.term_id AS termId, t.norm AS term, m.support FROM memberships m JOIN terms t ON t.id = m.term_id WHERE m.cluster_id = ? AND m.is_primary = 1 ORDER BY m.support DESC, t.norm LIMIT ?'),
      relationsOf: p(
        `SELECT r.other, t.norm, r.p_synonym, r.p_antonym, r.p_cohyponym, r.label, r.gated, r.origin FROM (
           SELECT b AS other, ${EDGE_COLUMNS} FROM relation_predictions WHERE a = ?
           UNION ALL SELECT a AS other, ${EDGE_COLUMNS} FROM relation_predictions WHERE b = ?
         ) r JOIN terms t ON t.id = r.other ORDER BY r.p_synonym DESC, t.norm LIMIT ?`,
      ),
      antonymsOf: p(
        `SELECT r.other, t.norm, r.p_synonym, r.p_antonym, r.p_cohyponym, r.label, r.gated, r.origin FROM (
           SELECT b AS other, ${EDGE_COLUMNS} FROM relation_predictions WHERE a = ? AND label = 'antonym'
           UNION ALL SELECT a AS other, ${EDGE_COLUMNS} FROM relation_predictions WHERE b = ? AND label = 'antonym'
         ) r JOIN terms t ON t.id = r.other ORDER BY r.p_antonym DESC, t.norm LIMIT ?`,
      ),
      cannotLinksOf: p(
        `SELECT c.other, t.norm, c.origin FROM (
           SELECT b AS other, origin FROM cannot_links WHERE a = ? UNION ALL SELECT a AS other, origin FROM cannot_links WHERE b = ?
         ) c JOIN terms t ON t.id = c.other ORDER BY t.norm LIMIT ?`,
      ),
      relation: p(`SELECT ${EDGE_COLUMNS} FROM relation_predictions WHERE a = ? AND b = ?`),
      // Pairs inside a node set (a neighbourhood), one indexed range scan per member.
      relationsAmong: p(`SELECT a, b, ${EDGE_COLUMNS} FROM relation_predictions WHERE a IN (SELECT value FROM json_each(?)) AND b IN (SELECT value FROM json_each(?))`),
      cannotLinksAmong: p('SELECT a, b, origin FROM cannot_links WHERE a IN (SELECT value FROM json_each(?)) AND b IN (SELECT value FROM json_each(?))'),
      cannotLink: p('SELECT origin FROM cannot_links WHERE a = ? AND b = ?').pluck(),
    };
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

  memberships(termId: number): MembershipRow[] {
    if (this.algorithm === null) return [];
    const rows = this.s.memberships.all(termId, this.algorithm) as { clusterId: number; support: number; isPrimary: number }[];
    return rows.map((r) => ({ clusterId: r.clusterId, support: round6(r.support), primary: r.isPrimary === 1 }));
  }

  cluster(id: number): ClusterRow | undefined {
    const r = this.s.cluster.get(id) as Raw | undefined;
    if (!r) return undefined;
    return { id: r.id as number, algorithm: r.algorithm as string, representative: r.representative as string | null, size: r.size as number, minPSynonym: round6OrNull(r.min_p_synonym), meanPSynonym: round6OrNull(r.mean_p_synonym) };
  }

  /** Primary members (the cluster's hard membership), strongest first. */
  members(clusterId: number, limit: number): MemberRow[] {
    const rows = this.s.members.all(clusterId, limit) as MemberRow[];
    for (const r of rows) r.support = round6(r.support);
    return rows;
  }

  /** Every stored verdict touching a term, strongest synonym evidence first. */
  relationsOf(termId: number, limit: number): EdgeRow[] {
    return (this.s.relationsOf.all(termId, termId, limit) as Raw[]).map(toEdge);
  }

  antonymVerdictsOf(termId: number, limit: number): EdgeRow[] {
    return (this.s.antonymsOf.all(termId, termId, limit) as Raw[]).map(toEdge);
  }

  cannotLinksOf(termId: number, limit: number): CannotLinkRow[] {
    return (this.s.cannotLinksOf.all(termId, termId, limit) as Raw[]).map((r) => ({ otherId: r.other as number, term: r.norm as string, origin: r.origin as RelationOrigin }));
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
