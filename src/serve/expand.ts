/**
 * Query expansion for retrieval: each input term (or each term found in free text, the longest
 * known phrase first) expands through its primary sense: the members of its primary cluster that
 * are there through their own primary sense, weighted by membership support. A member that is
 * there only through another of its senses (`kara` in the ill-fated cluster) and the term's other
 * senses are ambiguous for retrieval (`okul` -> `ekol`, school of thought, is harmful): they are
 * used only when asked (`senses`), at a discount, and never through a sense whose support is weak.
 * Antonyms are never returned, even when a clustering put one in the same cluster: a cannot-link
 * or an antonym verdict with the input term removes it.
 */
import { normalizeTerm } from '../lexicon/index.js';
import { clampLimit, LIMITS, QueryInputError } from './limits.js';
import { round6, type ServeReader } from './reader.js';
import type { MatchVia, TermResolver } from './resolve.js';

export interface Expansion {
  term: string;
  /** Retrieval weight in [0, 1]: 1 for the term itself, membership support in its cluster, support x sense support for an alternative sense. */
  weight: number;
  source: 'term' | 'cluster' | 'sense';
  clusterId: number | null;
}

export interface ExpandResult {
  input: string;
  matched: { norm: string; via: MatchVia } | null;
  expansions: Expansion[];
}

export interface ExpandOptions {
  limit?: number;
  minSupport?: number;
  /** Also expand through the term's other senses and through members there by another of their senses. */
  senses?: boolean;
}

/** A sense (the term's membership) supported by less than this share of its cluster is never expanded through. */
export const WEAK_SENSE = 0.5;
/** Weight factor of an expansion through a sense that is not both ends' primary one: ranked after the plain synonyms. */
const SENSE_DISCOUNT = 0.5;

/** Longest phrase (in words) tried against stored multiword terms when reading free text. */
const MAX_PHRASE_WORDS = 3;

/** Words of free text: letters, marks and digits, hyphenated compounds kept; a Turkish apostrophe suffix (`İstanbul'da`) dropped. */
const WORD = /[\p{L}\p{M}\p{N}]+(?:-[\p{L}\p{M}\p{N}]+)*(?:['’][\p{L}\p{M}]+)?/gu;

export function tokenize(text: string): string[] {
  const words: string[] = [];
  for (const m of text.matchAll(WORD)) {
    const apostrophe = m[0].search(/['’]/u);
    const word = normalizeTerm(apostrophe === -1 ? m[0] : m[0].slice(0, apostrophe));
    if (word.length > 0 && word.length <= LIMITS.termLength) words.push(word);
  }
  return words;
}

export class Expander {
  constructor(private readonly reader: ServeReader, private readonly resolver: TermResolver) {}

  expandTerms(terms: readonly string[], options: ExpandOptions = {}): ExpandResult[] {
    if (terms.length > LIMITS.expandTerms) throw new QueryInputError(`at most ${LIMITS.expandTerms} terms per request`);
    return this.reader.snapshot(() => terms.map((input) => this.expandMatch(input, this.resolver.resolve(input), options)));
  }

  /** Free text: words matched greedily, the longest stored phrase (up to three words) first. */
  expandQuery(text: string, options: ExpandOptions = {}): ExpandResult[] {
    if (text.length > LIMITS.queryLength) throw new QueryInputError(`query is longer than ${LIMITS.queryLength} characters`);
    return this.reader.snapshot(() => this.readQuery(tokenize(text), options));
  }

  private readQuery(words: readonly string[], options: ExpandOptions): ExpandResult[] {
    const results: ExpandResult[] = [];
    for (let i = 0; i < words.length && results.length < LIMITS.expandTerms; ) {
      let consumed = 1;
      let found: ExpandResult | null = null;
      for (let n = Math.min(MAX_PHRASE_WORDS, words.length - i); n >= 1 && !found; n--) {
        const phrase = words.slice(i, i + n).join(' ');
        const match = this.resolver.resolveNorm(phrase);
        if (match || n === 1) {
          found = this.expandMatch(phrase, match, options);
          consumed = n;
        }
      }
      results.push(found!);
      i += consumed;
    }
    return results;
  }

  private expandMatch(input: string, match: { id: number; norm: string; via: MatchVia } | null, options: ExpandOptions): ExpandResult {
    if (!match) return { input, matched: null, expansions: [] };
    const limit = clampLimit(options.limit, LIMITS.defaultExpansions, LIMITS.maxExpansions);
    const minSupport = options.minSupport ?? 0;
    const opposed = this.reader.opposedTo(match.id);

    const best = new Map<number, Expansion>();
    const offer = (termId: number, e: Expansion) => {
      if (opposed.has(termId) || e.weight < minSupport) return;
      const known = best.get(termId);
      if (!known || known.weight < e.weight) best.set(termId, e);
    };
    offer(match.id, { term: match.norm, weight: 1, source: 'term', clusterId: null });
    for (const m of this.reader.memberships(match.id)) {
      if ((!m.primary && !options.senses) || m.support < WEAK_SENSE) continue;
      for (const member of this.reader.members(m.clusterId, LIMITS.maxExpansions + 1)) {
        if (member.termId === match.id) continue;
        const plain = m.primary && member.primary;
        if (!plain && !options.senses) continue;
        const weight = m.primary ? member.support : round6(member.support * m.support);
        offer(member.termId, { term: member.term, weight: plain ? weight : round6(weight * SENSE_DISCOUNT), source: plain ? 'cluster' : 'sense', clusterId: m.clusterId });
      }
    }
    // The term itself leads, then by weight, ties by spelling (a stable answer for caches and tests).
    const rank = (e: Expansion) => (e.source === 'term' ? 1 : 0);
    const expansions = [...best.values()].sort((x, y) => rank(y) - rank(x) || y.weight - x.weight || (x.term < y.term ? -1 : x.term > y.term ? 1 : 0)).slice(0, limit);
    return { input, matched: { norm: match.norm, via: match.via }, expansions };
  }
}
