/**
 * Spellings of one term in a list: term families found by grouping surface keys (keys.ts), each
 * accepted with its rule, precision first. Two strings that differ in a number never share a key;
 * two that differ in letters join only when a rule says the difference is a spelling:
 *
 * - `surface`: equal after NFKC and punctuation;
 * - `ascii`: equal after folding Turkish letters, where one side is the other typed without some of
 *   its Turkish letters or with the ASCII capital I (`ıdamlık sevahıt` for `idamlık şevahit`), and
 *   one of its words is no word the lexicon or the analyser knows while the other spelling is one
 *   (`kazasi`: `olum` is a word but `is kazasi olum geliri` as a whole was typed without Turkish
 *   letters); names neither side knows (`ısparta` / `isparta`) join only when the plain side is
 *   all ASCII or was typed with a capital I and never an İ;
 * - `circumflex`: equal after folding circumflexes, unless the lexicon lists both spellings as
 *   words of different synsets (`kâr`, profit, and `kar`, snow);
 * - `inflection`: phrases with the same words but the last, whose last words share an
 *   inflection-only stem (`kanununa` / `kanunu`: kanun; not `yetkisiz` / `yetkisizlik`, a derivation).
 */
import { asciiKey, hasDigit, hasTurkishLetters, surfaceKey, tokens } from './keys.js';
import type { Evidence, EvidenceKind, WordKnowledge } from './types.js';
import { hash32 } from '../util/random.js';
import { groupEqual } from './groups.js';

/** Families larger than this are left alone: a real term has a handful of spellings, not dozens. */
export const MAX_FAMILY = 16;

class UnionFind {
  private readonly parent: Int32Array;
  readonly why: (string | null)[];
  constructor(n: number) {
    this.parent = new Int32Array(n);
    for (let i = 0; i < n; i++) this.parent[i] = i;
    this.why = new Array<string | null>(n).fill(null);
  }
  find(x: number): number {
    while (this.parent[x] !== x) {
      this.parent[x] = this.parent[this.parent[x]];
      x = this.parent[x];
    }
    return x;
  }
  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
}

/**
 * The items (term indices) that share a key with another, by key, keys in the order first seen, and
 * each key's first item, in that order; an empty key is none. Lone items get no list: most keys
 * have one, and a list (and a [key, term] pair) for each was 17.5 s of findVariants' 48 s on the
 * 4.4M terms of a 5M-line bench:e2e list (profiled). The keys are grouped by hash and sort
 * (groups.ts), not in a Map: a `has` and a `set` per key (LargeMap, for lists past V8's Map
 * limit) made sharedKeys 23.3 s of that list's 235 s in the evidence rules under the profiler;
 * grouped, 12.6 s.
 */
function sharedKeys(items: ArrayLike<number>, keyOf: (item: number) => string): { groups: Map<string, number[]>; first: Int32Array } {
  const keys = new Array<string>(items.length);
  let keyed = 0;
  for (let k = 0; k < items.length; k++) if ((keys[k] = keyOf(items[k])) !== '') keyed++;
  const at = new Int32Array(keyed);
  for (let k = 0, e = 0; k < items.length; k++) if (keys[k] !== '') at[e++] = k;
  const byKey = groupEqual(
    keyed,
    (e) => hash32(keys[at[e]]),
    (x, y) => keys[at[x]] === keys[at[y]],
  );
  const count = byKey.start.length - 1;
  const first = new Int32Array(count);
  const groups = new Map<string, number[]>();
  for (let g = 0; g < count; g++) {
    const from = byKey.start[g];
    const to = byKey.start[g + 1];
    first[g] = items[at[byKey.members[from]]];
    if (to - from < 2) continue;
    const list: number[] = [];
    for (let m = from; m < to; m++) list.push(items[at[byKey.members[m]]]);
    groups.set(keys[at[byKey.members[from]]], list);
  }
  return { groups, first };
}

const TURKISH_TO_ASCII: Record<string, string> = { ç: 'c', ğ: 'g', ı: 'i', ö: 'o', ş: 's', ü: 'u' };

/**
 * Whether `plain` is `turkish` typed without some of its Turkish letters, letter by letter: each
 * differing letter is a Turkish letter written as its ASCII look-alike (`ş` as `s`), or an `i`
 * that came out dotless (`I` typed for `İ`, lowercased Turkish-style). Mixed typing
 * (`ıdamlık sevahıt` for `idamlık şevahit`) is one direction throughout.
 */
function degraded(plain: string, turkish: string): boolean {
  const p = [...plain];
  const t = [...turkish];
  if (p.length !== t.length) return false;
  let differs = false;
  for (let k = 0; k < p.length; k++) {
    if (p[k] === t[k]) continue;
    if (TURKISH_TO_ASCII[t[k]] !== p[k] && !(t[k] === 'i' && p[k] === 'ı')) return false;
    differs = true;
  }
  return differs;
}

/** A spelling typed with the ASCII capital I and never the dotted İ: its `ı`s may be `i`s. */
const ASCII_CAPITAL_I = (original: string | null): boolean => original !== null && original.includes('I') && !original.includes('İ');

/**
 * Why two surface forms with one ASCII key are one term's spellings, or null when they may be two
 * words. `originals` are the spellings the two were first seen with (null: as normalised).
 */
export function spellingRule(x: string, y: string, words: WordKnowledge, originals: readonly [string | null, string | null] = [null, null]): { kind: EvidenceKind; detail: string } | null {
  const tx = tokens(x);
  const ty = tokens(y);
  if (tx.length !== ty.length) return null;
  const differing: [string, string][] = [];
  for (let i = 0; i < tx.length; i++) if (tx[i] !== ty[i]) differing.push([tx[i], ty[i]]);
  if (differing.length === 0) return null;
  if (differing.some(([a, b]) => hasDigit(a) || hasDigit(b))) return null;
  const unknown = (w: string): boolean => !words.isWord(w);
  // Circumflex only: one word spelt two ways unless the lexicon makes them two words.
  const fold = (w: string) => w.replace(/[âîûôê]/gu, (c) => ({ â: 'a', î: 'i', û: 'u', ô: 'o', ê: 'e' })[c] ?? c);
  if (differing.every(([a, b]) => fold(a) === fold(b))) {
    const distinct = differing.some(([a, b]) => words.inLexicon(a) && words.inLexicon(b) && !words.synonyms(a, b));
    return distinct ? null : { kind: 'circumflex', detail: differing.map(([a, b]) => `${a}/${b}`).join(', ') };
  }
  // One side typed without (some of) its Turkish letters. Precision first: a degraded word must be
  // no word (`kazasi`), since `iş` / `is` and `baş` / `bas` are two words each; where every
  // degraded word is unknown on both sides (a name: `ısparta` / `isparta`), the plain side must be
  // all ASCII or its dotless letters must come from a capital I.
  for (const [plain, turkish, pairs, original] of [
    [x, y, differing, originals[0]],
    [y, x, differing.map(([a, b]) => [b, a] as [string, string]), originals[1]],
  ] as const) {
    if (!pairs.every(([p, t]) => degraded(p, t))) continue;
    if (pairs.some(([p, t]) => unknown(p) && !unknown(t))) return { kind: 'ascii', detail: `${plain} written without Turkish letters` };
    if (pairs.every(([p]) => unknown(p)) && (!hasTurkishLetters(plain) || ASCII_CAPITAL_I(original)))
      return { kind: 'ascii', detail: `${plain} written without Turkish letters` + (hasTurkishLetters(plain) ? ' (I read as ı)' : '') };
  }
  return null;
}

/**
 * Variant evidence of a list of normalised terms: one record per pair of a family (families are
 * cliques, so that the clusterer's support test sees every member supported by all the others).
 */
export function findVariants(terms: readonly string[], words: WordKnowledge, originals: readonly (string | null)[] = [], surface: readonly string[] = terms.map(surfaceKey)): Evidence[] {
  const uf = new UnionFind(terms.length);
  const kinds = new Map<string, { kind: EvidenceKind; detail: string }>();
  const link = (a: number, b: number, kind: EvidenceKind, detail: string): void => {
    uf.union(a, b);
    const key = a < b ? `${a},${b}` : `${b},${a}`;
    if (!kinds.has(key)) kinds.set(key, { kind, detail });
  };

  // Equal surface keys: the same term with other punctuation, spacing or compatibility characters.
  const everyTerm = new Int32Array(surface.length);
  for (let i = 0; i < everyTerm.length; i++) everyTerm[i] = i;
  const bySurface = sharedKeys(everyTerm, (i) => surface[i]);
  for (const [key, members] of bySurface.groups) {
    if (members.length > MAX_FAMILY) continue;
    for (let i = 1; i < members.length; i++) link(members[0], members[i], 'surface', `same as "${key}" after NFKC and punctuation`);
  }

  // One representative per surface key, grouped by ASCII key: spellings decided by spellingRule.
  const representatives = bySurface.first;
  const byAscii = sharedKeys(representatives, (i) => asciiKey(surface[i])).groups;
  for (const members of byAscii.values()) {
    if (members.length > MAX_FAMILY) continue;
    for (let i = 0; i < members.length; i++) {
      for (let j = i + 1; j < members.length; j++) {
        const rule = spellingRule(surface[members[i]], surface[members[j]], words, [originals[members[i]] ?? null, originals[members[j]] ?? null]);
        if (rule) link(members[i], members[j], rule.kind, rule.detail);
      }
    }
  }

  // Multiword terms with the same modifiers, grouped by the inflection-only stems of their head.
  const byPrefix = sharedKeys(representatives, (i) => {
    const cut = surface[i].lastIndexOf(' ');
    return cut > 0 ? surface[i].slice(0, cut) : '';
  }).groups;
  for (const [prefix, members] of byPrefix) {
    const byStem = new Map<string, number[]>();
    for (const i of members) {
      const head = surface[i].slice(prefix.length + 1);
      if (hasDigit(head)) continue;
      for (const stem of new Set(words.inflectionStems(head))) {
        if (stem.length < 3) continue;
        const list = byStem.get(stem);
        if (list) list.push(i);
        else byStem.set(stem, [i]);
      }
    }
    for (const [stem, list] of byStem) {
      if (list.length < 2 || list.length > MAX_FAMILY) continue;
      for (let k = 1; k < list.length; k++) link(list[0], list[k], 'inflection', `${prefix} + inflected ${stem}`);
    }
  }

  // Families as cliques. A pair joined through another spelling takes the family's most specific rule.
  const familyKind = new Map<number, { kind: EvidenceKind; detail: string }>();
  for (const [key, rule] of kinds) {
    const root = uf.find(Number(key.slice(0, key.indexOf(','))));
    const known = familyKind.get(root);
    if (!known || SPECIFICITY[rule.kind] > SPECIFICITY[known.kind]) familyKind.set(root, rule);
  }
  // Only roots that some link touched (familyKind's) can have two members: not a list for every lone term.
  const families = new Map<number, number[]>();
  for (let i = 0; i < terms.length; i++) {
    const r = uf.find(i);
    if (!familyKind.has(r)) continue;
    const list = families.get(r);
    if (list) list.push(i);
    else families.set(r, [i]);
  }
  const out: Evidence[] = [];
  for (const [root, members] of families) {
    if (members.length < 2 || members.length > MAX_FAMILY) continue;
    for (let i = 0; i < members.length; i++) {
      for (let j = i + 1; j < members.length; j++) {
        const a = members[i];
        const b = members[j];
        const rule = kinds.get(`${a},${b}`) ?? familyKind.get(root)!;
        out.push({ a, b, kind: rule.kind, detail: rule.detail });
      }
    }
  }
  return out;
}

/** Which rule names a family joined by several: the one that needed the most evidence. */
const SPECIFICITY: Record<EvidenceKind, number> = { surface: 0, circumflex: 1, ascii: 2, inflection: 3, acronym: 4, compositional: 5, number: 6, negation: 6, antonym: 6, sibling: 6 };
