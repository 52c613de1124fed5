/**
 * Candidates from independent knowledge (issue 11): pairs of terms that a dictionary gives in one
 * sense of one headword, or that translate one headword in several languages. They join the
 * embedding's neighbours whatever their cosine, so that words the embedder places badly still
 * meet the discriminator. Pure: term ids and translations in, pairs out.
 */
import { languageOf } from '../lexicon/dictionaries.js';
import type { TermPairs } from './pairs.js';

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

/**
 * The kNN pairs and the knowledge pairs in one sorted list, with each pair's origin; a knowledge
 * pair the kNN did not find gets its cosine from `cosine(a, b)`.
 */
export function mergeCandidates(knn: TermPairs, extra: readonly KnowledgePair[], cosine: (a: number, b: number) => number): { a: Float64Array; b: Float64Array; cosine: Float32Array; origin: ('knn' | 'knowledge')[]; length: number; added: number } {
  const a: number[] = [];
  const b: number[] = [];
  const c: number[] = [];
  const origin: ('knn' | 'knowledge')[] = [];
  let i = 0;
  let j = 0;
  let added = 0;
  while (i < knn.length || j < extra.length) {
    const takeKnn = j >= extra.length || (i < knn.length && (knn.a[i] < extra[j].a || (knn.a[i] === extra[j].a && knn.b[i] <= extra[j].b)));
    if (takeKnn) {
      const same = j < extra.length && knn.a[i] === extra[j].a && knn.b[i] === extra[j].b;
      a.push(knn.a[i]);
      b.push(knn.b[i]);
      c.push(knn.cosine[i]);
      // A pair both found is the knowledge's too: it ranks first in each term's list.
      origin.push(same ? 'knowledge' : 'knn');
      i++;
      if (same) j++;
    } else {
      a.push(extra[j].a);
      b.push(extra[j].b);
      c.push(cosine(extra[j].a, extra[j].b));
      origin.push('knowledge');
      added++;
      j++;
    }
  }
  return { a: Float64Array.from(a), b: Float64Array.from(b), cosine: Float32Array.from(c), origin, length: a.length, added };
}
