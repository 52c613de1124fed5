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
 * every group of up to LARGEST_GROUP, among the members whose words share a sense or a family.
 */
import { hasDigit, NEGATION_WORDS, privativeOpposed, STOPWORDS, suffixForms, tokens, verbalOpposites, type SuffixForms } from './keys.js';
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
  /** The candidate stage's pairs between the terms of large groups; absent: no large group is read. */
  pairedWithin?: PairedWithin;
}

/**
 * Given which terms (indices) sit in a pattern group larger than SMALL_GROUP, the terms the
 * candidate stage paired with term a among those (indices). Asked once, after grouping, so that a
 * caller reading pairs from a store holds only these: a quarter of a 1M-term list's pairs.
 */
export type PairedWithin = (members: Uint8Array) => (a: number) => ArrayLike<number>;

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
 * What wordRelation reads of one word, found once per distinct word of the list: a template
 * (`<city> barosu` over hundreds of cities) pairs the same words again and again, and asking the
 * regexes, the digit test and the family map anew for every pair was 47 s of the stage's 160 s
 * on a 1M-term list (profiled).
 */
export interface WordFacts extends SuffixForms {
  word: string;
  digit: boolean;
  /** The variant family of the word as a term of the list, if it is one. */
  family: number | undefined;
  inLexicon: boolean;
  verbal: boolean;
  /** Its most common synset (WordKnowledge.plainSense). */
  sense: string | undefined;
}

export function wordFacts(word: string, words: WordKnowledge, family: number | undefined): WordFacts {
  return { word, digit: hasDigit(word), ...suffixForms(word), family, inLexicon: words.inLexicon(word), verbal: VERBAL.test(word), sense: words.plainSense(word) };
}

/**
 * The relation two differing words give two otherwise equal phrases, or null when the words do
 * not say: a phrase pair is called siblings only when both words are lexicon words with no sense
 * in common (`baro` / `sayıştay`); words that share a sense that is not their most common one
 * (`etmek` / `yapmak`: `kötülük etmek` = `kötülük yapmak`) or that the lexicon does not know are
 * left to the model. Words of one variant family of the list count as synonyms.
 */
export function wordRelation(x: WordFacts, y: WordFacts, words: WordKnowledge): EvidenceKind | null {
  if (x.digit || y.digit) return 'number';
  if (privativeOpposed(x, y) || verbalOpposites(x.word, y.word)) return 'negation';
  // The lexicon relates only words it lists (WordKnowledge): the lookups are skipped for the rest.
  const listed = x.inLexicon && y.inLexicon;
  if (listed && words.antonyms(x.word, y.word)) return 'antonym';
  if ((x.family !== undefined && x.family === y.family) || (listed && words.plainSynonyms(x.word, y.word))) return 'compositional';
  if (listed && !words.synonyms(x.word, y.word) && !x.verbal && !y.verbal) return 'sibling';
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

/**
 * The pairs (i < j, as i x members + j, ascending) of a group's members whose words at slot p
 * share a variant family or a most common sense: the only pairs wordRelation can call
 * 'compositional'. Reading every pair of those groups made findCompositional 55 s of the evidence
 * stage's 113 s under the profiler, on the 1M-line bench:e2e list; with the buckets the stage took
 * 57-60 s instead of 80-88 s there, with the same evidence.
 */
function maybeSynonyms(members: readonly number[], p: number, facts: readonly WordFacts[][]): number[] {
  const byKey = new Map<string, number[]>();
  const add = (key: string, i: number): void => {
    const list = byKey.get(key);
    if (list) list.push(i);
    else byKey.set(key, [i]);
  };
  members.forEach((a, i) => {
    const f = facts[a][p];
    if (f.family !== undefined) add(`f${f.family}`, i);
    if (f.sense !== undefined) add(`s${f.sense}`, i);
  });
  const out: number[] = [];
  for (const list of byKey.values()) for (let x = 0; x < list.length; x++) for (let y = x + 1; y < list.length; y++) out.push(list[x] * members.length + list[y]);
  out.sort((x, y) => x - y);
  return out.filter((at, k) => k === 0 || at !== out[k - 1]);
}

export function findCompositional(input: ComposeInput): Evidence[] {
  const { surface, familyOf, expansions, words } = input;
  const out: Evidence[] = [];
  const familyOfWord = new Map<string, number>();
  surface.forEach((k, i) => {
    if (k !== '' && !k.includes(' ')) familyOfWord.set(k, familyOf[i]);
  });
  const factsOfWord = new Map<string, WordFacts>();
  const factsOf = (w: string): WordFacts => {
    let f = factsOfWord.get(w);
    if (f === undefined) factsOfWord.set(w, (f = wordFacts(w, words, familyOfWord.get(w))));
    return f;
  };

  const canonical = surface.map((k) => canonicalWords(k, expansions));
  const facts = canonical.map((ws) => (ws.length < 2 ? [] : ws.map(factsOf)));
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
    const kind = wordRelation(facts[a][p], facts[b][p], words);
    if (kind === null || (keepOnlySynonyms && kind !== 'compositional')) return;
    out.push({ a, b, kind, detail: `${canonical[a][p]} / ${canonical[b][p]} in "${canonical[a].map((w, q) => (q === p ? '_' : w)).join(' ')}"` });
  };
  let neighbours: ((a: number) => ArrayLike<number>) | undefined;
  if (input.pairedWithin) {
    const inLarge = new Uint8Array(surface.length);
    for (const members of bySlot.values()) if (members.length > SMALL_GROUP) for (const a of members) inLarge[a] = 1;
    neighbours = input.pairedWithin(inLarge);
  }
  for (const [key, members] of bySlot) {
    if (members.length < 2) continue;
    const p = Number(key.slice(0, key.indexOf('\u0000')));
    if (members.length <= SMALL_GROUP) {
      // Every pair in a small group (a family of names, not a template).
      for (let i = 0; i < members.length; i++) for (let j = i + 1; j < members.length; j++) relate(members[i], members[j], p, false);
    } else if (members.length <= LARGEST_GROUP) {
      // Only synonyms are kept from a large group: the pairs that can be some, in the same order.
      for (const at of maybeSynonyms(members, p, facts)) relate(members[Math.floor(at / members.length)], members[at % members.length], p, true);
    }
    if (members.length > SMALL_GROUP && neighbours) {
      // A template's pairs that a model will score: the candidate pairs inside the group.
      const inGroup = new Set(members);
      for (const a of members) {
        const near = neighbours(a);
        for (let k = 0; k < near.length; k++) {
          const b = near[k];
          if (b > a && inGroup.has(b)) relate(a, b, p, false);
        }
      }
    }
  }
  return out;
}
