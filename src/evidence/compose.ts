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
import { GrowableInt32 } from '../util/growable.js';
import { LargeMap } from '../util/large-map.js';
import { groupEqual, hashInts } from './groups.js';
import type { DetailOf, EvidencePairs } from './pairs.js';
import type { EvidenceKind, WordKnowledge } from './types.js';

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
  /** canonicalIds(surface, expansions), when the caller has them (withExpansions). */
  canonical?: CanonicalIds;
  /** Hash bits the phrase grouping uses (groups.ts; tests lower it to make phrases collide). */
  hashBits?: number;
}

/**
 * Given which terms (indices) sit in a pattern group larger than SMALL_GROUP, the terms after term
 * a (larger indices) that the candidate stage paired with it, among those: each pair once, under
 * its first term. Asked once, after grouping, so that a caller reading pairs from a store holds
 * only these: a quarter of a 1M-term list's pairs.
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
 * The pairs (i < j, as i x members + j, ascending) of a group's members whose words at the slot
 * share a variant family or a most common sense: the only pairs wordRelation can call
 * 'compositional'. Reading every pair of those groups made findCompositional 55 s of the evidence
 * stage's 113 s under the profiler, on the 1M-line bench:e2e list; with the buckets the stage took
 * 57-60 s instead of 80-88 s there, with the same evidence.
 */
function maybeSynonyms(members: ArrayLike<number>, factOf: (a: number) => WordFacts): number[] {
  const byKey = new Map<string, number[]>();
  const add = (key: string, i: number): void => {
    const list = byKey.get(key);
    if (list) list.push(i);
    else byKey.set(key, [i]);
  };
  for (let i = 0; i < members.length; i++) {
    const f = factOf(members[i]);
    if (f.family !== undefined) add(`f${f.family}`, i);
    if (f.sense !== undefined) add(`s${f.sense}`, i);
  }
  const out: number[] = [];
  for (const list of byKey.values()) for (let x = 0; x < list.length; x++) for (let y = x + 1; y < list.length; y++) out.push(list[x] * members.length + list[y]);
  out.sort((x, y) => x - y);
  return out.filter((at, k) => k === 0 || at !== out[k - 1]);
}

/** How a composed pair's detail is written (the low two bits of its ref; the slot is above them). */
const SLOT_FORM = 0;
const NEGATES_FORM = 1;
const SAME_NAME_FORM = 2;

/** Every term's canonical words as ids into `words`: term i is ids[offset[i] .. offset[i + 1]). */
export interface CanonicalIds {
  words: string[];
  ids: Int32Array;
  offset: Int32Array;
}

export function canonicalIds(surface: readonly string[], expansions: ReadonlyMap<string, string>): CanonicalIds {
  const idOf = new LargeMap<string, number>();
  const words: string[] = [];
  const offset = new Int32Array(surface.length + 1);
  const ids = new GrowableInt32(surface.length * 3);
  for (let i = 0; i < surface.length; i++) {
    pushIds(canonicalWords(surface[i], expansions), idOf, words, ids);
    offset[i + 1] = ids.length;
  }
  return { words, ids: ids.view().slice(), offset };
}

/** Pushes the ids of `read` to `ids`, numbering a word not met before after the `words` known. */
function pushIds(read: readonly string[], idOf: LargeMap<string, number>, words: string[], ids: GrowableInt32): void {
  for (const w of read) {
    let id = idOf.get(w);
    if (id === undefined) {
      id = words.length;
      idOf.set(w, id);
      words.push(w);
    }
    ids.push(id);
  }
}

/**
 * canonicalIds(surface, expansions) from canonicalIds(surface, new Map()): only a term holding an
 * expanded acronym reads differently, and a list has few (122 acronyms among the 4.4M terms of a
 * 5M-line bench:e2e list), so the rest are copied. The words added are numbered after the plain
 * ones: ids differ from canonicalIds' own, the sequences they spell do not. Read twice, once for
 * the acronyms' phrase index and once for the compositional rules, the terms' words took 16.7 s
 * under the profiler on that list; read once, 7.3 s.
 */
export function withExpansions(plain: CanonicalIds, surface: readonly string[], expansions: ReadonlyMap<string, string>): CanonicalIds {
  if (expansions.size === 0) return plain;
  // A stopword is dropped from the plain words, so a term expanding one cannot be told by them.
  for (const key of expansions.keys()) if (STOPWORDS.has(key)) return canonicalIds(surface, expansions);
  const isKey = Uint8Array.from(plain.words, (w) => (expansions.has(w) ? 1 : 0));
  // The terms that hold an expanded acronym, read again; every word they use gets its plain id.
  const redone = new Map<number, string[]>();
  const wanted = new Set<string>();
  for (let i = 0; i < surface.length; i++) {
    for (let k = plain.offset[i]; k < plain.offset[i + 1]; k++) {
      if (isKey[plain.ids[k]] === 0) continue;
      const read = canonicalWords(surface[i], expansions);
      redone.set(i, read);
      for (const w of read) wanted.add(w);
      break;
    }
  }
  const words = plain.words.slice();
  const idOf = new LargeMap<string, number>();
  words.forEach((w, id) => {
    if (wanted.has(w)) idOf.set(w, id);
  });
  const offset = new Int32Array(surface.length + 1);
  const ids = new GrowableInt32(plain.ids.length + 1024);
  for (let i = 0; i < surface.length; i++) {
    const read = redone.get(i);
    if (read === undefined) {
      for (let k = plain.offset[i]; k < plain.offset[i + 1]; k++) ids.push(plain.ids[k]);
    } else pushIds(read, idOf, words, ids);
    offset[i + 1] = ids.length;
  }
  return { words, ids: ids.view().slice(), offset };
}

/** The detail of a composed pair, written from the canonical words (its own scope: it outlives the grouping). */
function composedDetail(surface: readonly string[], { words, ids, offset }: CanonicalIds): DetailOf {
  return (a, b, ref) => {
    const form = ref & 3;
    if (form === NEGATES_FORM) return `"${surface[b]}" negates "${surface[a]}"`;
    if (form === SAME_NAME_FORM) return `"${surface[a]}" and "${surface[b]}" name the same (function words, acronyms)`;
    const p = ref >> 2;
    const slotted: string[] = [];
    for (let k = offset[a]; k < offset[a + 1]; k++) slotted.push(k - offset[a] === p ? '_' : words[ids[k]]);
    return `${words[ids[offset[a] + p]]} / ${words[ids[offset[b] + p]]} in "${slotted.join(' ')}"`;
  };
}

const WHOLE_SEED = 0x5eed;
const SLOT_SEED = 0x51a7;

/**
 * Adds the compositional evidence of the list to `out`, in the order found, and returns how its
 * details are written: a pair keeps only its rule and slot, and its detail is put together from
 * the canonical words when it is read. Phrases are grouped by their canonical words, and by each
 * one-word-left-out pattern of them, as id sequences (groups.ts).
 */
export function findCompositional(input: ComposeInput, out: EvidencePairs): DetailOf {
  const { surface, familyOf, expansions, words } = input;
  const familyOfWord = new LargeMap<string, number>();
  surface.forEach((k, i) => {
    if (k !== '' && !k.includes(' ')) familyOfWord.set(k, familyOf[i]);
  });
  const canonical = input.canonical ?? canonicalIds(surface, expansions);
  const { ids, offset } = canonical;
  const length = (i: number): number => offset[i + 1] - offset[i];
  const wordAt = (i: number, p: number): string => canonical.words[ids[offset[i] + p]];
  // Filled at random ids: an array grown so from empty is sparse, which V8 may keep as a
  // dictionary. Dense, the pairs' loop (relate, with wordRelation and the facts) took 20.3 s under
  // the profiler on the 4.4M terms of a 5M-line bench:e2e list, from 31.2 s.
  const factsOfId: (WordFacts | undefined)[] = new Array<WordFacts | undefined>(canonical.words.length).fill(undefined);
  const factAt = (i: number, p: number): WordFacts => {
    const id = ids[offset[i] + p];
    return (factsOfId[id] ??= wordFacts(canonical.words[id], words, familyOfWord.get(canonical.words[id])));
  };
  /** The n ids from x and from y are equal, the skip-th left out. */
  const sameIds = (x: number, y: number, n: number, skip: number): boolean => {
    for (let k = 0; k < n; k++) if (k !== skip && ids[x + k] !== ids[y + k]) return false;
    return true;
  };

  // Terms by their whole canonical word sequence (written forms of one name).
  let worded = 0;
  for (let i = 0; i < surface.length; i++) if (length(i) > 0) worded++;
  const termOf = new Int32Array(worded);
  for (let i = 0, e = 0; i < surface.length; i++) if (length(i) > 0) termOf[e++] = i;
  const whole = groupEqual(
    worded,
    (e) => hashInts(ids, offset[termOf[e]], offset[termOf[e] + 1], WHOLE_SEED),
    (x, y) => length(termOf[x]) === length(termOf[y]) && sameIds(offset[termOf[x]], offset[termOf[y]], length(termOf[x]), -1),
    input.hashBits,
  );
  const termsOfWhole = (g: number): Int32Array => whole.members.subarray(whole.start[g], whole.start[g + 1]).map((e) => termOf[e]);

  // A phrase and the same phrase with a negating word added (`yasal` / `yasal olmayan`).
  for (let i = 0; i < surface.length; i++) {
    const n = length(i);
    if (n < 2 || !NEGATION_WORDS.has(wordAt(i, n - 1))) continue;
    const g = whole.find(hashInts(ids, offset[i], offset[i + 1] - 1, WHOLE_SEED), (e) => length(termOf[e]) === n - 1 && sameIds(offset[termOf[e]], offset[i], n - 1, -1));
    if (g >= 0) for (const j of termsOfWhole(g)) out.add(j, i, 'negation', NEGATES_FORM);
  }

  // One representative per written form of a phrase is enough below.
  let slots = 0;
  const representative = new Uint8Array(surface.length);
  const groups = whole.start.length - 1;
  for (let g = 0; g < groups; g++) {
    const members = termsOfWhole(g);
    if (length(members[0]) < 2) continue;
    representative[members[0]] = 1;
    slots += length(members[0]);
    for (let k = 1; k < members.length; k++) {
      const [a, b] = [members[0], members[k]];
      if (familyOf[a] !== familyOf[b]) out.add(a, b, 'compositional', SAME_NAME_FORM);
    }
  }
  const slotTerm = new Int32Array(slots);
  const slotP = new Int32Array(slots);
  for (let i = 0, e = 0; i < surface.length; i++) {
    if (!representative[i]) continue;
    for (let p = 0; p < length(i); p++) {
      slotTerm[e] = i;
      slotP[e++] = p;
    }
  }
  const bySlot = groupEqual(
    slots,
    (e) => hashInts(ids, offset[slotTerm[e]], offset[slotTerm[e] + 1], SLOT_SEED + slotP[e], offset[slotTerm[e]] + slotP[e]),
    (x, y) => slotP[x] === slotP[y] && length(slotTerm[x]) === length(slotTerm[y]) && sameIds(offset[slotTerm[x]], offset[slotTerm[y]], length(slotTerm[x]), slotP[x]),
    input.hashBits,
  );

  const relate = (a: number, b: number, p: number, keepOnlySynonyms: boolean): void => {
    if (familyOf[a] === familyOf[b]) return;
    const kind = wordRelation(factAt(a, p), factAt(b, p), words);
    if (kind === null || (keepOnlySynonyms && kind !== 'compositional')) return;
    out.add(a, b, kind, SLOT_FORM + 4 * p);
  };
  const slotGroups = bySlot.start.length - 1;
  const membersOf = (g: number): Int32Array => bySlot.members.subarray(bySlot.start[g], bySlot.start[g + 1]).map((e) => slotTerm[e]);
  let neighbours: ((a: number) => ArrayLike<number>) | undefined;
  if (input.pairedWithin) {
    const inLarge = new Uint8Array(surface.length);
    for (let g = 0; g < slotGroups; g++) if (bySlot.start[g + 1] - bySlot.start[g] > SMALL_GROUP) for (const a of membersOf(g)) inLarge[a] = 1;
    neighbours = input.pairedWithin(inLarge);
  }
  for (let g = 0; g < slotGroups; g++) {
    const size = bySlot.start[g + 1] - bySlot.start[g];
    if (size < 2) continue;
    const members = membersOf(g);
    const p = slotP[bySlot.members[bySlot.start[g]]];
    if (size <= SMALL_GROUP) {
      // Every pair in a small group (a family of names, not a template).
      for (let i = 0; i < size; i++) for (let j = i + 1; j < size; j++) relate(members[i], members[j], p, false);
    } else if (size <= LARGEST_GROUP) {
      // Only synonyms are kept from a large group: the pairs that can be some, in the same order.
      for (const at of maybeSynonyms(members, (a) => factAt(a, p))) relate(members[Math.floor(at / size)], members[at % size], p, true);
    }
    if (size > SMALL_GROUP && neighbours) {
      // A template's pairs that a model will score: the candidate pairs inside the group.
      const inGroup = new Set(members);
      for (const a of members) {
        const after = neighbours(a);
        for (let k = 0; k < after.length; k++) if (inGroup.has(after[k])) relate(a, after[k], p, false);
      }
    }
  }
  return composedDetail(surface, canonical);
}
