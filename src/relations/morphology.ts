/**
 * Turkish morphology cues for the relation discriminator, computed once per term as a small
 * integer signature so that pair features are typed-array comparisons in the scoring hot loop.
 *
 * Why these cues: Turkish marks many antonyms morphologically. The privative pair -lI / -sIz
 * (`tapulu` / `tapusuz`), the negative verb -mA- (`gelmek` / `gelmemek`), the negating prefixes
 * gayri-, na-, bi- (`gayrimeşru`, `namevcut`, `bilinçsiz` is suffixal) and analytic negation
 * (`... olmayan`, `... değil`, `... aykırı`) are all visible in the surface form. Co-hyponyms
 * often share a head word (`kemane balığı` / `japon balığı`); synonyms often differ only by
 * circumflex or spelling (`cemal` / `cemâl`).
 */
import { headWord } from '../lexicon/lemmatize.js';
import { foldCircumflex } from '../lexicon/normalize.js';
import { hash32 } from '../util/random.js';
import { analyseTerm, termNumerals } from './derivation.js';

/** Fields of a term's signature (Int32 each). */
export const SIG = {
  lemma: 0,
  head: 1,
  first: 2,
  words: 3,
  privStem: 4,
  privClass: 5,
  verbStem: 6,
  verbClass: 7,
  prefixStem: 8,
  negMarker: 9,
  reduplicated: 10,
  folded: 11,
  length: 12,
  norm: 13,
  /** The folded term without spaces, hyphens and apostrophes (`kepçe kuyruk` = `kepçekuyruk`). */
  compact: 14,
  defFlags: 15,
  /** The root of a one-content-word term in dictionary form (0 for phrases): looked up among known word pairs. */
  rootWord: 16,
  headKey: 17,
  /** What differs (derivation.ts): the root with its modifiers, the suffix classes, the final class. */
  rootKey: 18,
  chain: 19,
  final: 20,
  /** Bits of FLAG. */
  flags: 21,
  /** The numbers the term spells, and the term with them blanked (0 without numbers). */
  numValue: 22,
  numFrame: 23,
  /** Frames of a multiword term (all words but the last, all but the first) and the word each leaves out, in dictionary form. */
  prefixFrame: 24,
  lastWord: 25,
  suffixFrame: 26,
  firstWord: 27,
} as const;
export const SIG_FIELDS = 28;

/** Bits of SIG.flags. */
export const FLAG = {
  /** The term is a verb (its last word an infinitive). */
  verb: 1,
  /** The embedder knows the term from its own training text (set by the term table, not here). */
  embedderKnows: 2,
  /** The last word is a negative infinitive (`gelmemek`): its dictionary form is the positive one. */
  negative: 4,
} as const;

/** Bits of SIG.defFlags. */
export const DEF = { hasDefinition: 1, kind: 2, opposite: 8, negated: 16 } as const;

const HASH_SEED = 0x5e1a;
/** 0 is reserved for "no value", so hashes are forced odd. */
function h(text: string): number {
  return (hash32(text, HASH_SEED) | 1) | 0;
}

const PRIVATIVE_POSITIVE = /^(.{2,}?)(lı|li|lu|lü)(k)?$/u;
const PRIVATIVE_NEGATIVE = /^(.{2,}?)(sız|siz|suz|süz)(lık|lik|luk|lük)?$/u;
const VERB_NEGATIVE = /^(.{1,}?)(memek|mamak)$/u;
const VERB_POSITIVE = /^(.{1,}?)(mek|mak)$/u;
const NEG_PREFIXES = ['gayri', 'gayrı', 'na', 'bi'] as const;
const NEG_WORDS = new Set(['olmayan', 'değil', 'aykırı', 'karşıt', 'karşıtı', 'yoksun', 'dışı', 'anti']);

/** Word-level privative analysis: the stem with the privative suffix removed, and its polarity. */
export function privative(word: string): { stem: string; polarity: 1 | -1 } | null {
  const neg = PRIVATIVE_NEGATIVE.exec(word);
  if (neg) return { stem: neg[1], polarity: -1 };
  const pos = PRIVATIVE_POSITIVE.exec(word);
  if (pos) return { stem: pos[1], polarity: 1 };
  return null;
}

/** Infinitive polarity: `gelmemek` -> (gel, -1), `gelmek` -> (gel, +1). */
export function verbPolarity(word: string): { stem: string; polarity: 1 | -1 } | null {
  const neg = VERB_NEGATIVE.exec(word);
  if (neg) return { stem: neg[1], polarity: -1 };
  const pos = VERB_POSITIVE.exec(word);
  if (pos) return { stem: pos[1], polarity: 1 };
  return null;
}

/** `gayrimeşru` -> `meşru`; only when the rest is long enough to be a word. */
export function negPrefixStem(term: string): string | null {
  for (const p of NEG_PREFIXES) if (term.startsWith(p) && term.length - p.length >= 4) return term.slice(p.length);
  return null;
}

/** `sıcak sıcak`, `kitap mitap`, `apaçık`: doubled words or an m-/p- echo. */
export function isReduplicated(words: readonly string[]): boolean {
  if (words.length === 2) {
    const [x, y] = words;
    if (x === y) return true;
    if (x.length >= 3 && y.length === x.length && y[0] === 'm' && y.slice(1) === x.slice(1)) return true;
  }
  return false;
}

/** Hash of a word as a dictionary lists it, so that a term's word can be looked up among known word pairs. */
export function wordKey(word: string): number {
  return h(foldCircumflex(word));
}

const NEGATIVE_INFINITIVE = /^(.{2,}?)m[ae](m[ae]k)$/u;

/**
 * A word of a term in dictionary form: an infinitive stays as written (its lemma would drop the
 * ending), made positive (`götürmemek` -> `götürmek`); anything else is lemmatised.
 */
function dictionaryForm(word: string, wordLemma: (w: string) => string | undefined): { form: string; negative: boolean } {
  const neg = NEGATIVE_INFINITIVE.exec(word);
  if (neg && VERB_POSITIVE.test(word)) return { form: neg[1] + neg[2], negative: true };
  if (VERB_POSITIVE.test(word)) return { form: word, negative: false };
  return { form: wordLemma(word) ?? word, negative: false };
}

/**
 * Fills `out[offset .. offset + SIG_FIELDS)` with the surface part of a term's signature.
 * `wordLemma` is the lemmatiser's form of a single word (undefined when unknown).
 */
export function surfaceSignature(norm: string, lemma: string | null, out: Int32Array, offset: number, wordLemma: (word: string) => string | undefined = () => undefined): void {
  // Each text below is made once: on the 928k terms of the 1M-line bench:e2e list, the splits,
  // joins and fold made again were about 1.2 s of this function's 16 s on its thread (profiled).
  const words = norm.split(' ');
  const lemmaText = lemma ?? norm;
  const last = words[words.length - 1];
  out[offset + SIG.lemma] = h(lemmaText);
  out[offset + SIG.head] = h(headWord(lemmaText));
  out[offset + SIG.first] = h(words[0]);
  out[offset + SIG.words] = words.length;
  const prefix = norm.slice(0, Math.max(0, norm.length - last.length - 1));
  const priv = privative(last);
  out[offset + SIG.privStem] = priv ? h(`${prefix} ${priv.stem}`) : 0;
  out[offset + SIG.privClass] = priv ? priv.polarity : 0;
  const verb = verbPolarity(last);
  out[offset + SIG.verbStem] = verb ? h(`${prefix} ${verb.stem}`) : 0;
  out[offset + SIG.verbClass] = verb ? verb.polarity : 0;
  const stripped = negPrefixStem(norm);
  out[offset + SIG.prefixStem] = stripped ? h(stripped) : 0;
  let negMarker = 0;
  for (const w of words) if (NEG_WORDS.has(w)) negMarker = 1;
  out[offset + SIG.negMarker] = negMarker;
  out[offset + SIG.reduplicated] = isReduplicated(words) ? 1 : 0;
  const folded = foldCircumflex(norm);
  out[offset + SIG.folded] = h(folded);
  out[offset + SIG.length] = norm.length;
  out[offset + SIG.norm] = h(norm);
  out[offset + SIG.headKey] = stemKey(last);

  out[offset + SIG.compact] = h(folded.replace(/[\s'’-]+/gu, ''));
  const derivation = analyseTerm(folded, wordLemma);
  out[offset + SIG.rootKey] = h(derivation.rootKey);
  out[offset + SIG.chain] = derivation.chain;
  out[offset + SIG.final] = derivation.final;
  out[offset + SIG.rootWord] = derivation.rootKey === derivation.root ? wordKey(derivation.root) : 0;
  const lastForm = dictionaryForm(last, wordLemma);
  out[offset + SIG.flags] = (derivation.verb ? FLAG.verb : 0) | (lastForm.negative ? FLAG.negative : 0);
  const numerals = termNumerals(folded);
  out[offset + SIG.numValue] = numerals ? h(numerals.value) : 0;
  out[offset + SIG.numFrame] = numerals ? h(numerals.frame) : 0;
  if (words.length >= 2) {
    out[offset + SIG.prefixFrame] = h(prefix);
    out[offset + SIG.lastWord] = wordKey(lastForm.form);
    out[offset + SIG.suffixFrame] = h(norm.slice(words[0].length + 1));
    out[offset + SIG.firstWord] = wordKey(dictionaryForm(words[0], wordLemma).form);
  } else {
    out[offset + SIG.prefixFrame] = 0;
    out[offset + SIG.lastWord] = 0;
    out[offset + SIG.suffixFrame] = 0;
    out[offset + SIG.firstWord] = 0;
  }
}

const TOKEN = /[\p{L}\p{N}]+/gu;
const DEF_KIND = /\bbir tür(ü)?\b|\bçeşidi\b|\btürü\b/u;
const DEF_OPPOSITE = /\b(karşıtı|zıddı|zıttı|karşıt|aksi)\b/u;
const DEF_NEGATED = /\b(olmayan|olmadan|değil)\b|s[ıiuü]z(l[ıiuü]k)?\b/u;

/** Definition tokens are compared by their first five letters: a crude stem for an agglutinative language. */
export function stemKey(token: string): number {
  return h(token.length > 5 ? token.slice(0, 5) : token);
}

export interface DefinitionSignature {
  flags: number;
  /** Sorted, de-duplicated stem keys of the definition text. */
  tokens: Int32Array;
}

/** Dictionary evidence of one term from its definitions (already normalised text). */
export function definitionSignature(definitions: readonly string[]): DefinitionSignature {
  if (definitions.length === 0) return { flags: 0, tokens: new Int32Array(0) };
  let flags = DEF.hasDefinition;
  const keys = new Set<number>();
  for (const text of definitions) {
    const tokens = text.match(TOKEN) ?? [];
    for (const t of tokens) keys.add(stemKey(t));
    if (DEF_KIND.test(text)) flags |= DEF.kind;
    if (DEF_OPPOSITE.test(text)) flags |= DEF.opposite;
    if (DEF_NEGATED.test(text)) flags |= DEF.negated;
  }
  const tokens = Int32Array.from(keys).sort();
  return { flags, tokens };
}
