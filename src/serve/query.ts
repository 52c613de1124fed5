/**
 * The answers the query CLI and the HTTP API give: a term's cluster, its alternative senses, its
 * known antonyms and every stored verdict touching it (scores and gate decisions), so a user can
 * see both what the database says and why.
 */
import type { RelationOrigin } from '../store/index.js';
import { clampLimit, LIMITS } from './limits.js';
import { Lru } from '../util/lru.js';
import { cut, type CannotLinkRow, type ClusterRow, type EdgeRow, type ServeReader, type VerdictRow } from './reader.js';
import { TermResolver, type MatchVia } from './resolve.js';

export interface Member {
  term: string;
  support: number;
  /** The cluster is this member's primary cluster; false when it belongs through another of its senses. */
  primary: boolean;
  /** The lexicon's sense number it belongs through (1 = the most common); null when not known. */
  sense: number | null;
}

export interface ClusterAnswer {
  id: number;
  algorithm: string;
  representative: string | null;
  size: number;
  members: Member[];
  /** True when `members` was cut at the answer's limit (`size` says how many there are). */
  truncated: boolean;
  minPSynonym: number | null;
  meanPSynonym: number | null;
}

/** One of a term's other senses: the cluster it belongs to through that sense. */
export interface SenseAnswer {
  clusterId: number;
  support: number;
  /** The lexicon's sense number (null for an induced sense or a losing soft membership without one). */
  sense: number | null;
  representative: string | null;
  members: Member[];
}

export interface AntonymAnswer {
  term: string;
  /** P(antonym) of the stored verdict; null when only a cannot-link records the opposition. */
  pAntonym: number | null;
  origin: RelationOrigin;
  cannotLink: boolean;
}

/** A stored verdict touching the term: the other term, scores, label, gate decision, origin. */
export type EdgeAnswer = Omit<EdgeRow, 'otherId'>;

export interface TermAnswer {
  term: string;
  found: true;
  matched: { norm: string; via: MatchVia };
  /** The sense number of the primary cluster's membership (null when not known). */
  primarySense: number | null;
  /** The primary cluster: that of the term's most common sense. */
  cluster: ClusterAnswer | null;
  /** Its other senses' clusters, by sense number, then support. */
  alternativeSenses: SenseAnswer[];
  antonyms: AntonymAnswer[];
  edges: EdgeAnswer[];
}

export interface RelationAnswer {
  a: string;
  b: string;
  verdict: VerdictRow | null;
  cannotLink: { origin: RelationOrigin } | null;
}

/** Cluster answers kept per (cluster, limit): every member's lookup answers with the same one. */
const CLUSTER_ANSWER_CACHE = 20_000;

export class SynonymQuery {
  readonly resolver: TermResolver;
  /** Shared between answers (and keyed on by the HTTP renderer): never changed once made. */
  private readonly clusterAnswers = new Lru<number, ClusterAnswer>(CLUSTER_ANSWER_CACHE);

  constructor(readonly reader: ServeReader) {
    this.resolver = new TermResolver(reader);
  }

  /** A term's answer, or null when no stored term matches any of its forms. */
  term(input: string, options: { limit?: number } = {}): TermAnswer | null {
    const limit = clampLimit(options.limit, LIMITS.defaultResults, LIMITS.maxResults);
    return this.reader.snapshot(() => this.readTerm(input, limit));
  }

  private readTerm(input: string, limit: number): TermAnswer | null {
    const match = this.resolver.resolve(input);
    if (!match) return null;
    const memberships = this.reader.memberships(match.id);
    // Every verdict and cannot-link in one read: the edges are the verdicts' head, the antonyms their antonym-labelled rows.
    const { verdicts, cannotLinks } = this.reader.neighbours(match.id, LIMITS.maxResults);
    const primary = memberships.find((m) => m.primary);
    const alternativeSenses: SenseAnswer[] = [];
    for (const m of memberships) {
      if (m === primary) continue;
      alternativeSenses.push({ clusterId: m.clusterId, support: m.support, sense: m.sense, representative: m.cluster.representative, members: this.members(m.clusterId, limit) });
    }
    // The lexicon's order of senses (most common first), then the strongest.
    alternativeSenses.sort((x, y) => (x.sense ?? Infinity) - (y.sense ?? Infinity) || y.support - x.support || x.clusterId - y.clusterId);
    return {
      term: input,
      found: true,
      matched: { norm: match.norm, via: match.via },
      primarySense: primary?.sense ?? null,
      cluster: primary ? this.clusterAnswer(primary.cluster, limit) : null,
      alternativeSenses,
      antonyms: antonyms(verdicts, cut(cannotLinks, limit), limit),
      edges: cut(verdicts, limit).map(({ otherId: _, ...edge }) => edge),
    };
  }

  clusterById(id: number, options: { limit?: number } = {}): ClusterAnswer | null {
    const limit = clampLimit(options.limit, LIMITS.defaultResults, LIMITS.maxResults);
    return this.reader.snapshot(() => {
      const row = this.reader.cluster(id);
      return row ? this.clusterAnswer(row, limit) : null;
    });
  }

  /** The stored verdict and cannot-link between two terms (any surface forms); which term is unknown, or null when nothing is stored. */
  relation(a: string, b: string): RelationAnswer | { unknown: string } | null {
    return this.reader.snapshot(() => this.readRelation(a, b));
  }

  private readRelation(a: string, b: string): RelationAnswer | { unknown: string } | null {
    const ma = this.resolver.resolve(a);
    if (!ma) return { unknown: a };
    const mb = this.resolver.resolve(b);
    if (!mb) return { unknown: b };
    const verdict = ma.id === mb.id ? null : this.reader.relation(ma.id, mb.id);
    const cannot = ma.id === mb.id ? null : this.reader.cannotLink(ma.id, mb.id);
    if (!verdict && !cannot) return null;
    return { a: ma.norm, b: mb.norm, verdict, cannotLink: cannot ? { origin: cannot } : null };
  }

  private clusterAnswer(row: ClusterRow, limit: number): ClusterAnswer {
    // One numeric key per cluster and limit (a limit is at most LIMITS.maxResults).
    const key = row.id * (LIMITS.maxResults + 1) + limit;
    let answer = this.clusterAnswers.get(key);
    if (!answer) {
      const members = this.members(row.id, limit + 1);
      const truncated = members.length > limit;
      answer = { ...row, members: truncated ? members.slice(0, limit) : members, truncated };
      this.clusterAnswers.set(key, answer);
    }
    return answer;
  }

  private members(clusterId: number, limit: number): Member[] {
    return this.reader.members(clusterId, limit).map((m) => ({ term: m.term, support: m.support, primary: m.primary, sense: m.sense }));
  }
}

/** Antonym verdicts and cannot-links merged: one entry per opposed term. */
function antonyms(verdicts: readonly EdgeRow[], cannotLinks: readonly CannotLinkRow[], limit: number): AntonymAnswer[] {
  const out = new Map<string, AntonymAnswer>();
  const antonymVerdicts = verdicts.filter((v) => v.label === 'antonym').sort((x, y) => y.pAntonym - x.pAntonym);
  for (const v of antonymVerdicts) out.set(v.term, { term: v.term, pAntonym: v.pAntonym, origin: v.origin, cannotLink: false });
  for (const c of cannotLinks) {
    const known = out.get(c.term);
    if (known) known.cannotLink = true;
    else out.set(c.term, { term: c.term, pAntonym: null, origin: c.origin, cannotLink: true });
  }
  return [...out.values()].slice(0, limit);
}
