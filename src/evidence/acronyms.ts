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
import type { Evidence, WordKnowledge } from './types.js';

const ACRONYM = /^\p{L}{2,6}$/u;
const UPPER_WORD = /^\p{Lu}{2,6}$/u;

function initials(words: readonly string[]): string {
  return words.map((w) => [...w][0]).join('');
}

/**
 * Letters compared: `ı` as `i`, since an acronym typed with the ASCII capital I (`AIHM`)
 * normalises to `aıhm`; every other letter as it is (`cıa` does not spell `çember içine almak`).
 */
function letterKey(s: string): string {
  return s.replace(/ı/gu, 'i');
}

/** Initials of a phrase, with and without its function words (`medeni ve siyasal` -> mvs, ms). */
function initialKeys(words: readonly string[]): string[] {
  const all = letterKey(initials(words));
  const content = words.filter((w) => !STOPWORDS.has(w));
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

export interface AcronymResult {
  evidence: Evidence[];
  /** Accepted acronym (surface key) -> its expansion's surface key, for reading phrases that use it. */
  expansions: Map<string, string>;
}

/**
 * `surface[i]`: the surface key of term i (keys.ts); `originals[i]`: the spelling it was first seen
 * with (null when that was the normalised form); `familyOf[i]`: its variant family (an id shared by
 * a family's members, its own index when alone).
 */
export function findAcronyms(surface: readonly string[], originals: readonly (string | null)[], familyOf: Int32Array, words: WordKnowledge): AcronymResult {
  const nameLike = (head: string): boolean => !NOT_A_NAME_HEAD.test(head) && words.nounLike(head);
  const indexOf = new Map<string, number>();
  surface.forEach((k, i) => {
    if (k !== '' && !indexOf.has(k)) indexOf.set(k, i);
  });
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

  // Phrases by their initials, definitions "name (acr)", and the phrases each acronym is a word of.
  const byInitials = new Map<string, number[]>();
  const defined = new Map<string, number>(); // acronym key -> expansion term
  const phrasesWith = new Map<string, number[]>();
  const members = new Map<number, number[]>();
  surface.forEach((key, i) => {
    const family = members.get(familyOf[i]);
    if (family) family.push(i);
    else members.set(familyOf[i], [i]);
    const words = tokens(key);
    if (words.length < 2) return;
    for (const w of new Set(words)) {
      if (!acronymSet.has(w)) continue;
      const list = phrasesWith.get(w);
      if (list) list.push(i);
      else phrasesWith.set(w, [i]);
    }
    if (words.length > 8 || words.some(hasDigit) || !nameLike(words[words.length - 1])) return;
    for (const k of initialKeys(words)) {
      const list = byInitials.get(k);
      if (list) list.push(i);
      else byInitials.set(k, [i]);
    }
    const last = words[words.length - 1];
    const name = words.slice(0, -1);
    if (name.length >= 2 && ACRONYM.test(last) && initialKeys(name).includes(letterKey(last))) {
      const expansion = indexOf.get(name.join(' '));
      if (expansion !== undefined) {
        pair(i, expansion, `"${key}" defines ${last} as "${name.join(' ')}"`);
        defined.set(letterKey(last), expansion);
      }
    }
  });

  /**
   * A phrase holding the acronym as a word, with the expansion in its place, is a term too, up to
   * function words and one word swapped for a synonym (`bm medeni siyasi haklar sözleşmesi` and
   * `birleşmiş milletler medeni ve siyasal haklar sözleşmesi`).
   */
  const content = (ws: readonly string[]): string[] => ws.filter((w) => !STOPWORDS.has(w));
  let phrases: { whole: Set<string>; slots: Map<string, string[]> } | null = null;
  const phraseIndex = () => {
    if (phrases) return phrases;
    const whole = new Set<string>();
    const slots = new Map<string, string[]>();
    for (const key of surface) {
      const ws = content(tokens(key));
      if (ws.length < 2) continue;
      whole.add(ws.join(' '));
      ws.forEach((w, p) => {
        const slot = `${p}\u0000${ws.slice(0, p).join(' ')}\u0001${ws.slice(p + 1).join(' ')}`;
        const list = slots.get(slot);
        if (list) list.push(w);
        else slots.set(slot, [w]);
      });
    }
    return (phrases = { whole, slots });
  };
  const usedInContext = (acronym: string, expansion: string): boolean =>
    (phrasesWith.get(acronym) ?? []).some((p) => {
      const ws = tokens(surface[p]);
      const at = ws.indexOf(acronym);
      const replaced = content([...ws.slice(0, at), ...tokens(expansion), ...ws.slice(at + 1)]);
      const index = phraseIndex();
      if (index.whole.has(replaced.join(' '))) return true;
      return replaced.some((w, q) => (index.slots.get(`${q}\u0000${replaced.slice(0, q).join(' ')}\u0001${replaced.slice(q + 1).join(' ')}`) ?? []).some((x) => x !== w && words.plainSynonyms(x, w)));
    });

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
        const inContext = families.filter((f) => usedInContext(acronym, surface[shortestOf(f)]));
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
