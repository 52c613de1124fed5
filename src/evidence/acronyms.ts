/**
 * Acronyms found inside a list: `tck` / `türk ceza kanunu`, `aihm` / `avrupa insan hakları
 * mahkemesi`, `bm` / `birleşmiş milletler`. An acronym is a short token written in capitals or
 * that no lexicon knows; its expansion is a phrase of the list whose initials spell it (with or
 * without function words, compared without Turkish letters, since `AIHM` typed with an ASCII I
 * normalises to `aıhm`). Precision first, an acronym is paired only when
 * - the list defines it (`Türk Ceza Kanunu (TCK)`: the phrase followed by its initials), or
 * - one term family alone spells it and it has three letters or more, or
 * - a phrase with the acronym, the acronym replaced by the expansion, is another term of the
 *   list (`bm medeni ... sözleşmesi` and `birleşmiş milletler medeni ... sözleşmesi`) for one
 *   family alone: two letters are too ambiguous on their own (`bm` is also `bakım maliyeti`), or
 * - it has three letters or more and one family alone of those its initials spell is written as
 *   a name (`Türk Dil Kurumu` beside `trabzon dümen kurulu`).
 */
import { hasDigit, STOPWORDS, tokens } from './keys.js';
import { groupEqual, hashInts } from './groups.js';
import { GrowableInt32 } from '../util/growable.js';
import { canonicalIds, type CanonicalIds } from './compose.js';
import type { Evidence, WordKnowledge } from './types.js';
import { LargeMap } from '../util/large-map.js';

const ACRONYM = /^\p{L}{2,6}$/u;
const UPPER_WORD = /^\p{Lu}{2,6}$/u;

function initials(words: readonly string[]): string {
  let out = '';
  // A word's first code point, not the word spread into all of its own.
  for (const w of words) if (w !== '') out += String.fromCodePoint(w.codePointAt(0)!);
  return out;
}

/**
 * Letters compared: `ı` as `i`, since an acronym typed with the ASCII capital I (`AIHM`)
 * normalises to `aıhm`; every other letter as it is (`cıa` does not spell `çember içine almak`).
 */
function letterKey(s: string): string {
  return s.replace(/ı/gu, 'i');
}

const contentWords = (ws: readonly string[]): string[] => ws.filter((w) => !STOPWORDS.has(w));

/** Initials of a phrase, with and without its function words (`medeni ve siyasal` -> mvs, ms). */
function initialKeys(words: readonly string[]): string[] {
  const all = letterKey(initials(words));
  const content = contentWords(words);
  const short = content.length >= 2 ? letterKey(initials(content)) : all;
  return short === all ? [all] : [all, short];
}

/**
 * Written as a name: every content word capitalised, not all of it in capitals (`Türk Dil Kurumu`,
 * `Birleşmiş Milletler`; not `TÜRK DİL KURUMU`, which says nothing about names).
 */
function titleCased(original: string | null): boolean {
  if (original === null) return false;
  const ws = original.split(/\s+/u).filter((w) => /\p{L}/u.test(w) && !STOPWORDS.has(w.toLocaleLowerCase('tr')));
  return ws.length >= 2 && ws.every((w) => /^\P{L}*\p{Lu}\p{Ll}/u.test(w));
}

/** Acronyms abbreviate names: a phrase headed by a verb or a postposition (`fesini havaya atmak`, `eliyle koymuş gibi`) names nothing. */
const NOT_A_NAME_HEAD = /(?:m[ae]k|m[ae])$/u;

/** The list's phrases by their content words (two or more), as usedInContext looks them up. */
interface PhraseIndex {
  /** The ids of words as the index numbers them, -1 for a word no term of the list has. */
  idsOf(ws: readonly string[]): Int32Array;
  /** Whether some phrase's content words are `query`. */
  has(query: Int32Array): boolean;
  /**
   * Whether some phrase's content words are `query` but for the one at `q`, which is another word
   * of the same most common sense (WordKnowledge.plainSynonyms).
   */
  swapsAt(query: Int32Array, q: number): boolean;
}

const WHOLE_SEED = 0x3a11;
const SLOT_SEED = 0x5107;

/**
 * Every phrase's content words as word ids, grouped whole and by each one-word-left-out pattern
 * with the left-out word's most common sense (groups.ts), not as strings: a Set of every phrase
 * and a Map of every pattern, built on the first acronym that needs them, took 26 s under the
 * profiler on the 4.4M terms of a 5M-line bench:e2e list (the evidence stage's peak there went
 * from 7.3 to 3.7 GB with this index and the family lists below and in variants.ts kept to
 * families of two or more). With the sense in a slot's key, a query meets only the phrases whose
 * word there could be a synonym, instead of every word the slot holds, each tested.
 */
function indexPhrases(surface: readonly string[], plainSense: (word: string) => string | undefined, plain: CanonicalIds): PhraseIndex {
  // With no acronyms expanded, a phrase's canonical words are its content words.
  const { words: vocabulary, ids, offset } = plain;
  const idOf = new LargeMap(vocabulary.map((w, id) => [w, id] as const));
  // Senses as small integers, -1 for a word the lexicon does not list.
  const senseIds = new Map<string, number>();
  const wordSense = Int32Array.from(vocabulary, (w) => {
    const s = plainSense(w);
    if (s === undefined) return -1;
    let id = senseIds.get(s);
    if (id === undefined) senseIds.set(s, (id = senseIds.size));
    return id;
  });
  const starts = new GrowableInt32(1024);
  starts.push(0);
  for (let i = 0; i < surface.length; i++) if (offset[i + 1] - offset[i] >= 2) starts.push(starts.data[starts.length - 1] + offset[i + 1] - offset[i]);
  // Only the phrases' ids, back to back.
  const phraseIds = new Int32Array(starts.data[starts.length - 1]);
  for (let i = 0, w = 0; i < surface.length; i++) if (offset[i + 1] - offset[i] >= 2) for (let k = offset[i]; k < offset[i + 1]; k++) phraseIds[w++] = ids[k];
  // Phrase i is at[start[i] .. start[i + 1]).
  const at = phraseIds;
  const start = starts.view();
  const phraseCount = start.length - 1;
  // The phrase of each word position, for the slot entries (an entry is a position in `at`).
  const phraseOf = new Int32Array(at.length);
  for (let i = 0; i < phraseCount; i++) phraseOf.fill(i, start[i], start[i + 1]);
  const length = (i: number): number => start[i + 1] - start[i];
  /** Whether the query's ids equal phrase i's, position `skip` of both left out. */
  const equals = (query: Int32Array, i: number, skip: number): boolean => {
    if (length(i) !== query.length) return false;
    for (let k = 0; k < query.length; k++) if (k !== skip && at[start[i] + k] !== query[k]) return false;
    return true;
  };
  const whole = groupEqual(
    phraseCount,
    (i) => hashInts(at, start[i], start[i + 1], WHOLE_SEED),
    (x, y) => equals(at.subarray(start[y], start[y + 1]), x, -1),
  );
  const slotOf = (e: number): number => e - start[phraseOf[e]];
  const slotSeed = (q: number, sense: number): number => (SLOT_SEED + q) ^ Math.imul(sense + 1, 0x9e3779b1);
  const slots = groupEqual(
    at.length,
    (e) => hashInts(at, start[phraseOf[e]], start[phraseOf[e] + 1], slotSeed(slotOf(e), wordSense[at[e]]), e),
    (x, y) => slotOf(x) === slotOf(y) && wordSense[at[x]] === wordSense[at[y]] && equals(at.subarray(start[phraseOf[y]], start[phraseOf[y] + 1]), phraseOf[x], slotOf(x)),
  );
  return {
    // A word no term has is -1, which no phrase's id equals.
    idsOf: (ws) => Int32Array.from(ws, (w) => idOf.get(w) ?? -1),
    has: (query) => whole.find(hashInts(query, 0, query.length, WHOLE_SEED), (i) => equals(query, i, -1)) >= 0,
    swapsAt(query, q) {
      const sense = query[q] < 0 ? -1 : wordSense[query[q]];
      if (sense < 0) return false;
      const g = slots.find(hashInts(query, 0, query.length, slotSeed(q, sense), q), (e) => slotOf(e) === q && wordSense[at[e]] === sense && equals(query, phraseOf[e], q));
      if (g < 0) return false;
      // The group's words share the sense; one that is not query[q] itself is a synonym.
      for (let k = slots.start[g]; k < slots.start[g + 1]; k++) if (at[slots.members[k]] !== query[q]) return true;
      return false;
    },
  };
}

export interface AcronymResult {
  evidence: Evidence[];
  /** Accepted acronym (surface key) -> its expansion's surface key, for reading phrases that use it. */
  expansions: Map<string, string>;
}

/**
 * `surface[i]`: the surface key of term i (keys.ts); `originals[i]`: the spelling it was first seen
 * with (null when that was the normalised form); `familyOf[i]`: its variant family (an id shared by
 * a family's members, its own index when alone); `plain`: the terms' canonicalIds with no acronym
 * expanded, asked for only when some phrase holds an acronym (the caller may keep them).
 */
export function findAcronyms(surface: readonly string[], originals: readonly (string | null)[], familyOf: Int32Array, words: WordKnowledge, plain: () => CanonicalIds = () => canonicalIds(surface, new Map())): AcronymResult {
  const nameLike = (head: string): boolean => !NOT_A_NAME_HEAD.test(head) && words.nounLike(head);
  const evidence: Evidence[] = [];
  const expansions = new Map<string, string>();
  const pair = (a: number, b: number, detail: string) => {
    if (a !== b) evidence.push({ a, b, kind: 'acronym', detail });
  };

  const isAcronym = (i: number): boolean => {
    const key = surface[i];
    if (!ACRONYM.test(key)) return false;
    const original = originals[i];
    return (original !== null && UPPER_WORD.test(original.trim())) || !words.isWord(key);
  };
  const acronyms: number[] = [];
  for (let i = 0; i < surface.length; i++) if (isAcronym(i)) acronyms.push(i);
  const acronymSet = new Set(acronyms.map((i) => surface[i]));
  const acronymKeys = new Set(acronyms.map((i) => letterKey(surface[i])));

  // Phrases by their initials, definitions "name (acr)", and the phrases each acronym is a word of.
  const byInitials = new Map<string, number[]>();
  const defined = new Map<string, number>(); // acronym key -> expansion term
  const phrasesWith = new Map<string, number[]>();
  // Families of two or more only: a lone term is its own family, and a list for each is millions.
  const members = new Map<number, number[]>();
  // Phrases "name acr" whose name's initials spell their last word, in term order.
  const definitions: { term: number; name: string; last: string }[] = [];
  const familySize = new Int32Array(surface.length);
  for (let i = 0; i < surface.length; i++) familySize[familyOf[i]]++;
  surface.forEach((key, i) => {
    if (familySize[familyOf[i]] >= 2) {
      const family = members.get(familyOf[i]);
      if (family) family.push(i);
      else members.set(familyOf[i], [i]);
    }
    const words = tokens(key);
    if (words.length < 2) return;
    // Each acronym once per phrase; no Set of the words of every phrase (few hold an acronym).
    for (let x = 0; x < words.length; x++) {
      const w = words[x];
      if (!acronymSet.has(w) || words.indexOf(w) < x) continue;
      const list = phrasesWith.get(w);
      if (list) list.push(i);
      else phrasesWith.set(w, [i]);
    }
    if (words.length > 8 || words.some(hasDigit)) return;
    // Only the initials some acronym of the list spells are looked up: not a list for every phrase.
    const spelled = initialKeys(words).filter((k) => acronymKeys.has(k));
    const last = words[words.length - 1];
    // "name acr": a phrase of two or more words and the acronym they spell.
    const name = words.length >= 3 && ACRONYM.test(last) ? words.slice(0, -1) : null;
    const defines = name !== null && initialKeys(name).includes(letterKey(last));
    if ((spelled.length === 0 && !defines) || !nameLike(last)) return;
    for (const k of spelled) {
      const list = byInitials.get(k);
      if (list) list.push(i);
      else byInitials.set(k, [i]);
    }
    if (defines) definitions.push({ term: i, name: name.join(' '), last });
  });
  // The named phrases' first terms, found by one look at each term for the few names wanted, not
  // from a map of every term's key (4.4M inserts: 5.7 s under the profiler at 4.4M terms).
  const wanted = new Set(definitions.map((d) => d.name));
  const firstOf = new Map<string, number>();
  if (wanted.size > 0) {
    surface.forEach((k, j) => {
      if (wanted.has(k) && !firstOf.has(k)) firstOf.set(k, j);
    });
  }
  for (const { term, name, last } of definitions) {
    const expansion = firstOf.get(name);
    if (expansion !== undefined) {
      pair(term, expansion, `"${surface[term]}" defines ${last} as "${name}"`);
      defined.set(letterKey(last), expansion);
    }
  }

  /**
   * A phrase holding the acronym as a word, with the expansion in its place, is a term too, up to
   * function words and one word swapped for a synonym (`bm medeni siyasi haklar sözleşmesi` and
   * `birleşmiş milletler medeni ve siyasal haklar sözleşmesi`).
   */
  let phrases: PhraseIndex | null = null;
  /**
   * The content word ids before and after the acronym in the phrases that hold it, each read on
   * first use (a test usually stops at the first few phrases).
   */
  type Contexts = { count: number; at(k: number): readonly [Int32Array, Int32Array] };
  const contextsOf = (acronym: string): Contexts => {
    const holding = phrasesWith.get(acronym) ?? [];
    // The index is built for the first acronym that some phrase of the list holds.
    const index = holding.length === 0 ? null : (phrases ??= indexPhrases(surface, (w) => words.plainSense(w), plain()));
    const read: (readonly [Int32Array, Int32Array])[] = [];
    return {
      count: holding.length,
      at: (k) => {
        if (read[k] === undefined) {
          const ws = tokens(surface[holding[k]]);
          const at = ws.indexOf(acronym);
          read[k] = [index!.idsOf(contentWords(ws.slice(0, at))), index!.idsOf(contentWords(ws.slice(at + 1)))];
        }
        return read[k];
      },
    };
  };
  // As ids, each phrase's words looked up once per acronym and the expansion's once. Looked up
  // anew by string for every test, usedInContext took 182 s of findAcronyms' 248 s (58 s of it
  // the index) on the 12.6M terms of the 15M-line bench:e2e list, under the profiler.
  const usedInContext = (contexts: Contexts, expansion: string): boolean => {
    if (contexts.count === 0) return false;
    const index = phrases!;
    const middle = index.idsOf(contentWords(tokens(expansion)));
    for (let k = 0; k < contexts.count; k++) {
      const [before, after] = contexts.at(k);
      const replaced = new Int32Array(before.length + middle.length + after.length);
      replaced.set(before);
      replaced.set(middle, before.length);
      replaced.set(after, before.length + middle.length);
      if (index.has(replaced)) return true;
      for (let q = 0; q < replaced.length; q++) if (index.swapsAt(replaced, q)) return true;
    }
    return false;
  };

  const shortestOf = (list: readonly number[]): number => list.reduce((x, y) => (surface[y].length < surface[x].length || (surface[y].length === surface[x].length && y < x) ? y : x));
  for (const i of acronyms) {
    const acronym = surface[i];
    const key = letterKey(acronym);
    let expansion = defined.get(key);
    let why = 'defined in the list';
    if (expansion === undefined) {
      // The phrases its initials spell, by family, each family's shortest spelling first.
      const byFamily = new Map<number, number[]>();
      for (const j of byInitials.get(key) ?? []) {
        const list = byFamily.get(familyOf[j]);
        if (list) list.push(j);
        else byFamily.set(familyOf[j], [j]);
      }
      const families = [...byFamily.values()];
      if (families.length === 0) continue;
      const long = [...acronym].length >= 3;
      if (families.length === 1 && long) {
        expansion = shortestOf(families[0]);
        why = 'the only phrase of the list its initials spell';
      } else {
        // Several phrases spell it (or two letters, ambiguous alone): the one the list uses in its
        // place (`sgk raporu` and `sosyal güvenlik kurumu raporu`), else, three letters or more,
        // the only one written as a name (`Türk Dil Kurumu` beside `trabzon dümen kurulu`).
        const contexts = contextsOf(acronym);
        const inContext = families.filter((f) => usedInContext(contexts, surface[shortestOf(f)]));
        const named = long ? families.filter((f) => f.some((j) => titleCased(originals[j]))) : [];
        if (inContext.length === 1) {
          expansion = shortestOf(inContext[0]);
          why = 'the list has phrases with both';
        } else if (inContext.length === 0 && named.length === 1) {
          expansion = shortestOf(named[0]);
          why = 'the only name of the list its initials spell';
        } else continue;
      }
    }
    expansions.set(acronym, surface[expansion]);
    // The acronym joins the expansion's whole family (a clique).
    for (const j of members.get(familyOf[expansion]) ?? [expansion]) pair(i, j, `${acronym} = ${surface[expansion]} (${why})`);
  }
  return { evidence, expansions };
}
