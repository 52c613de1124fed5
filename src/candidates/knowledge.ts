/**
 * Candidates from independent knowledge (issue 11): pairs of terms that a dictionary gives in one
 * sense of one headword, or that translate one headword in several languages. They join the
 * embedding's neighbours whatever their cosine, so that words the embedder places badly still
 * meet the discriminator. Pure: term ids and translations in, pairs out.
 */
import { languageOf } from '../lexicon/dictionaries.js';
import { isSortedUnique, termPairs, type TermPairs } from './pairs.js';
import type { PairChunk } from './raw-pairs.js';
import { adviseHugePages } from '../util/native-addon.js';

export interface KnowledgeCandidateOptions {
  /** Pairs given in one numbered sense of one headword. */
  sameSense: boolean;
  /** Pairs sharing a headword in at least this many languages (0: none). */
  minLanguages: number;
  /**
   * Senses and headwords with more terms than this give no pairs: a headword such as `get`
   * translates into dozens of unrelated verbs.
   */
  maxGroup: number;
}

export interface KnowledgePair {
  a: number;
  b: number;
  /** Why: `sense` (one sense), `languages` (one headword in several languages) or both. */
  rule: 'sense' | 'languages' | 'both';
}

/** Every knowledge pair among the given terms (a < b by term id, sorted). */
export function knowledgePairs(translations: readonly { term: string; source: string; headword: string; sense: string }[], termId: (norm: string) => number, options: KnowledgeCandidateOptions): KnowledgePair[] {
  const senses = new Map<string, number[]>();
  const heads = new Map<string, number[]>();
  const add = (groups: Map<string, number[]>, key: string, id: number): void => {
    const g = groups.get(key);
    if (g) {
      if (g[g.length - 1] !== id) g.push(id);
    } else groups.set(key, [id]);
  };
  for (const t of translations) {
    const id = termId(t.term);
    if (id < 0) continue;
    if (options.sameSense && t.sense !== '0') add(senses, `${t.source}\u0000${t.headword}\u0000${t.sense}`, id);
    if (options.minLanguages > 0) add(heads, `${languageOf(t.source)}\u0000${t.headword}`, id);
  }
  const key = (x: number, y: number): number => (x < y ? x * 0x4000000 + y : y * 0x4000000 + x);
  const inSense = new Set<number>();
  for (const ids of senses.values()) {
    const u = [...new Set(ids)];
    if (u.length < 2 || u.length > options.maxGroup) continue;
    for (let i = 0; i < u.length; i++) for (let j = i + 1; j < u.length; j++) inSense.add(key(u[i], u[j]));
  }
  // Languages per pair: one headword of a language counts once however many it shares.
  const languages = new Map<number, Set<string>>();
  for (const [k, ids] of heads) {
    const u = [...new Set(ids)];
    if (u.length < 2 || u.length > options.maxGroup) continue;
    const lang = k.slice(0, k.indexOf('\u0000'));
    for (let i = 0; i < u.length; i++)
      for (let j = i + 1; j < u.length; j++) {
        const p = key(u[i], u[j]);
        let s = languages.get(p);
        if (!s) languages.set(p, (s = new Set()));
        s.add(lang);
      }
  }
  const out = new Map<number, KnowledgePair['rule']>();
  for (const p of inSense) out.set(p, 'sense');
  for (const [p, s] of languages) if (s.size >= options.minLanguages) out.set(p, out.has(p) ? 'both' : 'languages');
  return [...out.keys()]
    .sort((x, y) => x - y)
    .map((p) => {
      const a = Math.floor(p / 0x4000000);
      return { a, b: p - a * 0x4000000, rule: out.get(p) as KnowledgePair['rule'] };
    });
}

/** A candidate pair's origin, by its code in `MergedCandidates.origin`. */
export const CANDIDATE_ORIGINS = ['knn', 'knowledge'] as const;
export type CandidateOrigin = (typeof CANDIDATE_ORIGINS)[number];

/** Candidate pairs by term id (a < b, sorted) with their origins as codes into CANDIDATE_ORIGINS. */
export interface MergedCandidates extends TermPairs {
  origin: Uint8Array;
  /** Knowledge pairs the kNN had not found. */
  added: number;
}

/**
 * The kNN pairs and the knowledge pairs in one sorted list, with each pair's origin; a knowledge
 * pair the kNN did not find gets its cosine from `cosine(a, b)`. Typed arrays: at a million terms
 * the kNN gives ~27M pairs, and a JS array per column would cost ~1 GB more.
 */
export function mergeCandidates(knn: TermPairs, extra: readonly KnowledgePair[], cosine: (a: number, b: number) => number): MergedCandidates {
  if (extra.length === 0) return { ...knn, origin: new Uint8Array(knn.length), added: 0 };
  let maxId = 0;
  for (let i = 0; i < knn.length; i++) maxId = Math.max(maxId, knn.b[i]);
  for (const p of extra) maxId = Math.max(maxId, p.b);
  return mergeSorted(knn, knn.length, null, extra, cosine, maxId >= 2 ** 31);
}

/** What mergeCandidateChunks has merged so far. */
export interface MergeCounts {
  pairs: number;
  knn: number;
  added: number;
}

/**
 * The merge of mergeCandidates: `m` sorted, unique kNN pairs, each side's id `idOf[x]` (or `x`
 * itself when `idOf` is null), and the sorted knowledge pairs. Mapping while merging serves
 * mergeCandidateChunks: with rows ranked by term id and a chunk's pairs sorted, termPairs would
 * only map them, so the pairs are copied once instead of twice. On the 1M-line bench:e2e list
 * (928k terms, 61.7M pairs) the candidates stage's write step took 6.4 s so, 8.7 s with termPairs
 * then mergeCandidates (one run each, the same stored blocks).
 */
function mergeSorted(knn: { a: ArrayLike<number>; b: ArrayLike<number>; cosine: ArrayLike<number> }, m: number, idOf: ArrayLike<number> | null, extra: readonly KnowledgePair[], cosine: (a: number, b: number) => number, wide: boolean): MergedCandidates {
  const KNOWLEDGE = 1;
  const e = extra.length;
  // Room for both lists; pairs found by both take one slot, so the tail goes unused.
  const ids = (): Int32Array | Float64Array => (wide ? new Float64Array(m + e) : new Int32Array(m + e));
  const a = ids();
  const b = ids();
  const cos = new Float32Array(m + e);
  const origin = new Uint8Array(m + e);
  // Each range's merge is new memory, hundreds of MB at 928k terms: on huge pages the stage's write
  // step took 6.1-8.1 s instead of 8.4-9.0 s (with termPairs' arrays), alternating runs.
  for (const array of [a, b, cos, origin]) adviseHugePages(array);
  let added = 0;
  let k = 0;
  let j = 0;
  // The next knowledge pair, (ea, eb); past the last, one no pair reaches.
  let ea = e > 0 ? extra[0].a : Infinity;
  let eb = e > 0 ? extra[0].b : Infinity;
  const next = (): void => {
    j++;
    ea = j < e ? extra[j].a : Infinity;
    eb = j < e ? extra[j].b : Infinity;
  };
  for (let i = 0; i <= m; i++) {
    const x = i === m ? Infinity : idOf ? idOf[knn.a[i]] : knn.a[i];
    const y = i === m ? Infinity : idOf ? idOf[knn.b[i]] : knn.b[i];
    while (ea < x || (ea === x && eb < y)) {
      a[k] = ea;
      b[k] = eb;
      cos[k] = cosine(ea, eb);
      origin[k++] = KNOWLEDGE;
      added++;
      next();
    }
    if (i === m) break;
    a[k] = x;
    b[k] = y;
    cos[k] = knn.cosine[i];
    // A pair both found is the knowledge's too: it ranks first in each term's list.
    if (ea === x && eb === y) {
      origin[k] = KNOWLEDGE;
      next();
    }
    k++;
  }
  return { a: a.subarray(0, k), b: b.subarray(0, k), cosine: cos.subarray(0, k), origin: origin.subarray(0, k), length: k, added };
}

/** Whether termPairs would only map rows to these ids: ranked by term id, integers in 0 .. 2^31 - 1. */
function rankedIds(termIds: ArrayLike<number>): boolean {
  for (let i = 0; i < termIds.length; i++) if (!(Number.isInteger(termIds[i]) && termIds[i] >= 0 && (i === 0 || termIds[i] > termIds[i - 1]))) return false;
  return termIds.length === 0 || termIds[termIds.length - 1] < 2 ** 31;
}

/**
 * mergeCandidates range by range: each chunk of kNN pairs (rows `from .. to - 1` as `a`, rows
 * ranked by term id) mapped to term ids and merged with the knowledge pairs whose first term falls
 * in its range (`extra` sorted by (a, b)), so that no step holds every pair. The chunks joined are
 * mergeCandidates(termPairs(termIds, all), extra).
 */
export function* mergeCandidateChunks(chunks: Iterable<PairChunk>, termIds: ArrayLike<number>, extra: readonly KnowledgePair[], cosine: (a: number, b: number) => number, counts: MergeCounts = { pairs: 0, knn: 0, added: 0 }): Generator<MergedCandidates> {
  let j = 0;
  // Checked once, not per chunk as termPairs would: 96 chunks at 12.6M terms, two passes of ~35 ms each.
  const ranked = rankedIds(termIds);
  const fits = extra.every((p) => p.b < 2 ** 31);
  for (const chunk of chunks) {
    const upper = chunk.to < termIds.length ? termIds[chunk.to] : Infinity;
    const start = j;
    while (j < extra.length && extra[j].a < upper) j++;
    const knn = ranked && fits && isSortedUnique(chunk.pairs, termIds.length) ? null : termPairs(termIds, chunk.pairs);
    const merged = knn ? mergeCandidates(knn, extra.slice(start, j), cosine) : mergeSorted(chunk.pairs, chunk.pairs.a.length, termIds, extra.slice(start, j), cosine, false);
    counts.pairs += merged.length;
    counts.knn += knn ? knn.length : chunk.pairs.a.length;
    counts.added += merged.added;
    yield merged;
  }
  if (j < extra.length) throw new RangeError(`knowledge pair (${extra[j].a}, ${extra[j].b}) lies after the last chunk's rows`);
}
