/**
 * Compositional relations of phrases: two phrases that differ in one word inherit that word
 * pair's relation. Phrases are compared as word sequences with acronyms expanded (`bm` ->
 * `birleşmiş milletler`) and function words dropped (`medeni ve siyasal` = `medeni siyasal`), and
 * grouped by every one-word-left-out pattern, so that a list is read in one pass:
 *
 * - equal sequences: the same name written two ways (`bm medeni siyasi haklar sözleşmesi` and
 *   `birleşmiş milletler medeni ve siyasi haklar sözleşmesi`): synonyms;
 * - the differing words are synonyms in their most common sense (KeNet), or spellings of one
 *   word: synonyms (`siyasi` ~ `siyasal`, `kanun` ~ `yasa`; not `kara yol` / `toprak yol`, where
 *   kara ~ toprak holds only in kara's third sense);
 * - they are numbers (`2918 sayılı` / `2919 sayılı`), a negation (`uygun olan` / `uygun
 *   olmayan`, `yetkili` / `yetkisiz`; also a phrase and the same with a negating word added,
 *   `yasal` / `yasal olmayan`) or antonyms (`yasal` / `yasadışı` where the lexicon says so):
 *   never to share a cluster;
 * - two lexicon words with no sense in common, neither a verb: siblings (`baro genel kurulu` / `sayıştay genel
 *   kurulu`), co-hyponyms; anything else is left to the model.
 *
 * Siblings, numbers and negations are written for every pair of a pattern group of at most
 * SMALL_GROUP phrases, and in larger groups (`<city> barosu` over hundreds of cities) only for the
 * pairs the candidate stage paired (those a model could call synonyms). Synonyms are looked for in
 * every pair of a group of up to LARGEST_GROUP.
 */
import { hasDigit, NEGATION_WORDS, privativeOpposites, STOPWORDS, tokens, verbalOpposites } from './keys.js';
import type { Evidence, EvidenceKind, WordKnowledge } from './types.js';

export const SMALL_GROUP = 32;
/** Pattern groups larger than this are not read pair by pair at all (a template, not a family). */
export const LARGEST_GROUP = 2048;

export interface ComposeInput {
  surface: readonly string[];
  familyOf: Int32Array;
  /** Acronym (surface key) -> expansion (surface key), from acronyms.ts. */
  expansions: ReadonlyMap<string, string>;
  words: WordKnowledge;
  /** The terms the candidate stage paired with term a (indices); absent: no large group is read. */
  neighbours?: (a: number) => ArrayLike<number>;
}

/** The word sequence a phrase is compared by: acronyms expanded, function words dropped. */
export function canonicalWords(surface: string, expansions: ReadonlyMap<string, string>): string[] {
  const words = tokens(surface);
  if (words.length < 2) return words;
  const out: string[] = [];
  for (const w of words) {
    const expanded = expansions.get(w);
    for (const x of expanded ? tokens(expanded) : [w]) if (!STOPWORDS.has(x)) out.push(x);
  }
  return out;
}

/**
 * The relation two differing words give two otherwise equal phrases, or null when the words do
 * not say: a phrase pair is called siblings only when both words are lexicon words with no sense
 * in common (`baro` / `sayıştay`); words that share a sense that is not their most common one
 * (`etmek` / `yapmak`: `kötülük etmek` = `kötülük yapmak`) or that the lexicon does not know are
 * left to the model.
 */
export function wordRelation(x: string, y: string, words: WordKnowledge, sameFamily: boolean): EvidenceKind | null {
  if (hasDigit(x) || hasDigit(y)) return 'number';
  if (privativeOpposites(x, y) || verbalOpposites(x, y)) return 'negation';
  if (words.antonyms(x, y)) return 'antonym';
  if (sameFamily || words.plainSynonyms(x, y)) return 'compositional';
  if (words.inLexicon(x) && words.inLexicon(y) && !words.synonyms(x, y) && !VERBAL.test(x) && !VERBAL.test(y)) return 'sibling';
  return null;
}

/**
 * Verbs and verbal nouns (`-mak`, `-ma`): idioms swap verbs the lexicon keeps apart (`eyer
 * kapatmak` = `eyer vurmak`, `gaza dayanmak` = `gaza yüklenmek`), so a verb pair says nothing.
 * Measured on the default build: of the 1,913 model edges of a1e1b51, 178 were one-word-apart
 * siblings by the lexicon, nearly all the wrong ones nominal (`genel ağ` / `yerel ağ`, `polisiye
 * film` / `polisiye roman`) and the right ones verbal.
 */
const VERBAL = /m[ae]k?$/u;

export function findCompositional(input: ComposeInput): Evidence[] {
  const { surface, familyOf, expansions, words } = input;
  const out: Evidence[] = [];
  const familyOfWord = new Map<string, number>();
  surface.forEach((k, i) => {
    if (k !== '' && !k.includes(' ')) familyOfWord.set(k, familyOf[i]);
  });
  const sameWordFamily = (x: string, y: string): boolean => {
    const fx = familyOfWord.get(x);
    return fx !== undefined && fx === familyOfWord.get(y);
  };

  const canonical = surface.map((k) => canonicalWords(k, expansions));
  const byCanonical = new Map<string, number[]>();
  const bySlot = new Map<string, number[]>();
  const bySingle = new Map<string, number[]>();
  canonical.forEach((words, i) => {
    if (words.length === 1) {
      const list = bySingle.get(words[0]);
      if (list) list.push(i);
      else bySingle.set(words[0], [i]);
    }
    if (words.length < 2) return;
    const whole = words.join(' ');
    const same = byCanonical.get(whole);
    if (same) same.push(i);
    else byCanonical.set(whole, [i]);
    if (same && same.length > 1) return; // one representative per written form is enough below
    for (let p = 0; p < words.length; p++) {
      const key = `${p}\u0000${words.slice(0, p).join(' ')}\u0001${words.slice(p + 1).join(' ')}`;
      const list = bySlot.get(key);
      if (list) list.push(i);
      else bySlot.set(key, [i]);
    }
  });

  // A phrase and the same phrase with a negating word added (`yasal` / `yasal olmayan`).
  canonical.forEach((words, i) => {
    if (words.length < 2 || !NEGATION_WORDS.has(words[words.length - 1])) return;
    const positive = byCanonical.get(words.slice(0, -1).join(' ')) ?? bySingle.get(words.slice(0, -1).join(' '));
    for (const j of positive ?? []) out.push({ a: j, b: i, kind: 'negation', detail: `"${surface[i]}" negates "${surface[j]}"` });
  });

  for (const members of byCanonical.values()) {
    for (let i = 1; i < members.length; i++) {
      const [a, b] = [members[0], members[i]];
      if (familyOf[a] !== familyOf[b]) out.push({ a, b, kind: 'compositional', detail: `"${surface[a]}" and "${surface[b]}" name the same (function words, acronyms)` });
    }
  }

  const relate = (a: number, b: number, p: number, keepOnlySynonyms: boolean): void => {
    if (familyOf[a] === familyOf[b]) return;
    const x = canonical[a][p];
    const y = canonical[b][p];
    const kind = wordRelation(x, y, words, sameWordFamily(x, y));
    if (kind === null || (keepOnlySynonyms && kind !== 'compositional')) return;
    out.push({ a, b, kind, detail: `${x} / ${y} in "${canonical[a].map((w, q) => (q === p ? '_' : w)).join(' ')}"` });
  };
  for (const [key, members] of bySlot) {
    if (members.length < 2) continue;
    const p = Number(key.slice(0, key.indexOf('\u0000')));
    if (members.length <= LARGEST_GROUP) {
      // Every pair for its synonyms; the rest too in a small group (a family of names, not a template).
      const small = members.length <= SMALL_GROUP;
      for (let i = 0; i < members.length; i++) for (let j = i + 1; j < members.length; j++) relate(members[i], members[j], p, !small);
    }
    if (members.length > SMALL_GROUP && input.neighbours) {
      // A template's pairs that a model will score: the candidate pairs inside the group.
      const inGroup = new Set(members);
      for (const a of members) {
        const near = input.neighbours(a);
        for (let k = 0; k < near.length; k++) {
          const b = near[k];
          if (b > a && inGroup.has(b)) relate(a, b, p, false);
        }
      }
    }
  }
  return out;
}
