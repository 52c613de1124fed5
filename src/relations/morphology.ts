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
import { foldCircumflex } from '../lexicon/normalize.js';
import { hash32 } from '../util/random.js';

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
  defHead: 14,
  defFlags: 15,
  giller: 16,
  headKey: 17,
} as const;
export const SIG_FIELDS = 18;

/** Bits of SIG.defFlags. */
export const DEF = { hasDefinition: 1, kind: 2, giller: 4, opposite: 8, negated: 16 } as const;

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

/** Fills `out[offset .. offset + SIG_FIELDS)` with the surface part of a term's signature. */
export function surfaceSignature(norm: string, lemma: string | null, out: Int32Array, offset: number): void {
  const words = norm.split(' ');
  const lemmaText = lemma ?? norm;
  const lemmaWords = lemmaText.split(' ');
  const last = words[words.length - 1];
  out[offset + SIG.lemma] = h(lemmaText);
  out[offset + SIG.head] = h(lemmaWords[lemmaWords.length - 1]);
  out[offset + SIG.first] = h(words[0]);
  out[offset + SIG.words] = words.length;
  const prefix = words.slice(0, -1).join(' ');
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
  out[offset + SIG.folded] = h(foldCircumflex(norm));
  out[offset + SIG.length] = norm.length;
  out[offset + SIG.norm] = h(norm);
  out[offset + SIG.headKey] = stemKey(last);
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
  head: number;
  flags: number;
  giller: number;
  /** Sorted, de-duplicated stem keys of the definition text. */
  tokens: Int32Array;
}

/** Dictionary evidence of one term from its definitions (already normalised text). */
export function definitionSignature(definitions: readonly string[]): DefinitionSignature {
  if (definitions.length === 0) return { head: 0, flags: 0, giller: 0, tokens: new Int32Array(0) };
  let flags = DEF.hasDefinition;
  let giller = 0;
  const keys = new Set<number>();
  let head = 0;
  definitions.forEach((text, i) => {
    const tokens = text.match(TOKEN) ?? [];
    if (i === 0 && tokens.length > 0) head = stemKey(tokens[tokens.length - 1]);
    for (const t of tokens) {
      keys.add(stemKey(t));
      if (giller === 0 && /giller$|gillerden$/u.test(t)) giller = h(t.replace(/den$/u, ''));
    }
    if (DEF_KIND.test(text)) flags |= DEF.kind;
    if (DEF_OPPOSITE.test(text)) flags |= DEF.opposite;
    if (DEF_NEGATED.test(text)) flags |= DEF.negated;
  });
  if (giller !== 0) flags |= DEF.giller;
  const tokens = Int32Array.from(keys).sort();
  return { head, flags, giller, tokens };
}
