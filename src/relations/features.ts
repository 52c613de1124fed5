/**
 * Pair features of the discriminator, all symmetric in (a, b) because relations are unordered.
 *
 * - embedding: cosine and the elementwise product of the two vectors (a linear model over the
 *   product is a learned, diagonal bilinear similarity), and the mean vector: where in the space
 *   the pair sits (`region`); the default model leaves product and region out (see
 *   DEFAULT_DISABLED_GROUPS). A word without evidence (hasEvidence) has none of the three;
 * - morphology: shared lemma/head/first word, spelling and spacing variants, edit similarity,
 *   privative and negative-verb opposites, negating prefixes and words, reduplication;
 * - dictionary: one term in the other's definition, and antonym cues (`karşıtı`, `olmayan`,
 *   `-sız`) where it is;
 * - difference (issue 18): what two terms do not share: the suffix classes of one root, the
 *   outermost suffix of two roots (a coarse part of speech), a verb against a noun, a word added,
 *   the number they spell;
 * - frame (issue 18): what the build knows of the one word two phrases do not share (`gebe` /
 *   `hamile` in `gebe kalmak` / `hamile kalmak`), and of two derived words' roots.
 *
 * `singleWord` is docs/evaluation.md's memorisation check: the same model fed each word's own
 * features (its vector and unary cues, a then b), with nothing that compares the two.
 */
import { DERIVATION_CLASSES, NEGATING_CLASSES } from './derivation.js';
import { DEF, FLAG, SIG, SIG_FIELDS } from './morphology.js';
import { intersectByLanguage, LANGUAGE_COUNT, rowOfWord, sharedCount, TRANSLATION_LANGUAGES, type KnowledgeTable } from './knowledge-table.js';
import { indexOfSorted } from '../util/sorted.js';

const ENGLISH = TRANSLATION_LANGUAGES.indexOf('eng');
import { KNOWN_RELATION, knownRelation, type TermTable } from './term-table.js';

/**
 * Groups of features; `dict.*` and `wordnet` are the independent knowledge of issue 11, one group
 * per source so that `eval --relations-ablation` retrains without each.
 */
export const FEATURE_GROUPS = [
  'embedding',
  'product',
  'region',
  'morphology',
  'dictionary',
  'difference',
  'frame',
  'translatedRoots',
  ...(TRANSLATION_LANGUAGES.map((l) => `dict.${l}`) as `dict.${(typeof TRANSLATION_LANGUAGES)[number]}`[]),
  'wordnet',
] as const;
export type FeatureGroup = (typeof FEATURE_GROUPS)[number];
export type FeatureKind = 'pair' | 'singleWord';

/** Outermost suffix classes that mark a part of speech (SIG.final codes are class index + 1). */
const FINAL_CLASSES = ['infinitive', 'verbalNoun', 'abstract', 'agent', 'with', 'without', 'adjective', 'adverb', 'ist', 'ism'] as const;
const FINAL_CLASS_CODES = FINAL_CLASSES.map((c) => DERIVATION_CLASSES.indexOf(c) + 1);
/** Position among FINAL_CLASSES of each SIG.final code, -1 for the others. */
const FINAL_CLASS_INDEX = Int8Array.from({ length: DERIVATION_CLASSES.length + 1 }, (_, code) => FINAL_CLASS_CODES.indexOf(code));

/** Suffix classes whose presence in one term and not the other (same root) is a feature each. */
const DIFFERENCE_NAMES = DERIVATION_CLASSES.map((c) => `rootDiffers.${c}`);

/** The comparison cues, each with its feature group. */
const CUES: readonly (readonly [string, FeatureGroup])[] = [
  ['cosine', 'embedding'],
  // A word the embedder does not know and the dictionary does not define has only a spelling-based
  // vector: its cosine, product and region are zeroed and this says so (issue 18, rule 3).
  ['noEvidence', 'embedding'],
  ...(
    [
      'sameLemma',
      'spellingVariant',
      'spacingVariant',
      'sameHead',
      'sameFirstWord',
      'bothMultiword',
      'anyMultiword',
      'wordCountDiff',
      'editSimilarity',
      'prefixRatio',
      'containment',
      'privativeOpposite',
      'privativeSame',
      'privativeOneNegative',
      'verbOpposite',
      'prefixNegation',
      'negWordXor',
      'reduplicated',
      'lengthRatio',
    ] as const
  ).map((n) => [n, 'morphology'] as const),
  // No definition overlap, shared genus word, `bir tür` or `-giller` on both sides: two words of
  // one synset share its definition, so on every labelled synonym pair those read the label, not
  // evidence, and the model learned that similar definitions mean synonyms (issue 18: at a1e1b51
  // overlap carried `dilbilim` / `dilbilimci` over the gate). Without overlap and genus a full
  // build kept 843 model edges instead of 1,176, with dev macro-F1 unchanged (0.415 / 0.414).
  ...(['bothDefined', 'oneDefined', 'mentionsOther', 'oppositeCue', 'negatedCue'] as const).map((n) => [n, 'dictionary'] as const),
  // What differs: same root with other suffixes, part of speech, numbers (derivation.ts).
  // One root and the same suffix classes: inflected or re-phrased (`yas tutmak` / `yasını tutmak`,
  // `kıyas etmek` / `kıyas eylemek`); for two single words more often a homograph (`fikir` / `fikri`).
  ['sameRootPhrase', 'difference'],
  ['sameRootWord', 'difference'],
  ...DIFFERENCE_NAMES.map((n) => [n, 'difference'] as const),
  // One term is the other with a word added (`hediye` / `hediye çeki`, `ofsayt` / `ofsayt olmak`).
  ['wordExtension', 'difference'],
  ['verbXor', 'difference'],
  // Other roots: the outermost suffix one term has and the other lacks, a coarse part of speech
  // (`bencillik` / `hodkam`: a noun of quality against an adjective).
  ...FINAL_CLASSES.map((c) => [`finalDiffers.${c}`, 'difference'] as const),
  ['numberDiffers', 'difference'],
  ['numberSameFrame', 'difference'],
  // Two phrases differing in one word, and what the build knows of those two words.
  ['frameOneWord', 'frame'],
  ['frameSynonym', 'frame'],
  ['frameAntonym', 'frame'],
  ['frameCohyponym', 'frame'],
  ['frameDerived', 'frame'],
  // Two derived words whose roots the build knows: `hoşgörü` / `müsamahasızlık` (hoşgörü and
  // müsamaha are synonyms, one side privative: opposites), `sorumluluk` / `mesuliyet`.
  ['rootsSynonym', 'frame'],
  ['rootsOpposite', 'frame'],
  // The same for roots that no label relates but a dictionary gives in one sense: `hürmet` /
  // `saygısızlık` (hürmet and saygı both `respect`), `düzen` / `intizamsızlık`, `gayrimümkün` /
  // `kabil`. Held-out words have no labels, so only the dictionaries can say their roots agree.
  // The strongest shared sense's weight, set when one side is negated (opposites) or when the two
  // are derived alike (synonyms). Held-out builds on three split seeds (42, 7, 123), mean
  // macro-F1 dev / test 0.468 / 0.437 -> 0.474 / 0.447, test antonym recall at the gate 0.139 ->
  // 0.151; with only the difference cues of such roots (pairCues), without these two: 0.464 / 0.441.
  ['rootsTranslatedOpposite', 'translatedRoots'],
  ['rootsTranslatedAlike', 'translatedRoots'],
  // Translations (issue 11), per language: given in one numbered sense of one headword (the
  // sense's weight, knowledge-table.ts: 1 for a sense of two words, less for a crowded one); the
  // headwords they share, weighted alike, over the smaller set (a weighted overlap coefficient);
  // both translated at all (so that sharing nothing says something).
  ...TRANSLATION_LANGUAGES.flatMap((l) => [[`${l}.sameSense`, `dict.${l}`] as const, [`${l}.sharedHeadwords`, `dict.${l}`] as const, [`${l}.bothTranslated`, `dict.${l}`] as const]),
  // WordNet antonymy through English translations: an English headword of one is an antonym of an
  // English headword of the other, directly or through an adjective similar to one end.
  ['wordnet.direct', 'wordnet'],
  ['wordnet.similar', 'wordnet'],
  // One root with other suffix classes, and yet translated alike: a dictionary gives `rus` and
  // `rusça`, `bitmek` and `bitirmek` one sense, and the translation cues alone carried such
  // derivations over the gate; a linear model cannot discount translations for derivations only
  // without this product (issue 18). Full build, 50 model edges judged by hand (seed 18): 38 right
  // without it, 44 with it. One product per suffix class instead let more `-lIk` nouns through
  // (`budala` / `budalalık`); voice and -CA products added 67 edges of about 75% precision.
  ['translatedDerivation', 'difference'],
];

export const CUE_NAMES: readonly string[] = CUES.map(([n]) => n);
const CUE_GROUP: readonly FeatureGroup[] = CUES.map(([, g]) => g as FeatureGroup);

const UNARY_NAMES = ['words', 'privativePositive', 'privativeNegative', 'verbNegative', 'negWord', 'reduplicated', 'length', 'verb', 'defined', 'kindOf', 'opposite', 'negated'] as const;
/** Unary cues from this index on read definitions (the dictionary group). */
const UNARY_DICTIONARY = 8;

export interface FeatureLayout {
  kind: FeatureKind;
  dims: number;
  names: string[];
  groups: FeatureGroup[];
  width: number;
}

export function featureLayout(kind: FeatureKind, dims: number): FeatureLayout {
  const names: string[] = [];
  const groups: FeatureGroup[] = [];
  if (kind === 'pair') {
    CUE_NAMES.forEach((n, i) => {
      names.push(n);
      groups.push(CUE_GROUP[i]);
    });
    for (let d = 0; d < dims; d++) names.push(`product${d}`), groups.push('product');
    // Symmetric word-type context: what kind of words these are (topic region, multiword, verb...),
    // which shifts the prior between relations without comparing the two words.
    for (let d = 0; d < dims; d++) names.push(`meanVector${d}`), groups.push('region');
    UNARY_NAMES.forEach((n, i) => {
      names.push(`sum.${n}`);
      groups.push(i >= UNARY_DICTIONARY ? 'dictionary' : 'morphology');
    });
  } else {
    for (const side of ['a', 'b']) {
      UNARY_NAMES.forEach((n, i) => {
        names.push(`${side}.${n}`);
        groups.push(i >= UNARY_DICTIONARY ? 'dictionary' : 'morphology');
      });
      for (let d = 0; d < dims; d++) names.push(`${side}.vector${d}`), groups.push('embedding');
    }
  }
  return { kind, dims, names, groups, width: names.length };
}

/** Edit similarity looks at the first 24 code units: enough to tell spelling variants and shared stems apart, and it fits one 32-bit word. */
export const MAX_EDIT = 24;

/**
 * Myers' match masks of the first string by code unit (bit i: its unit i is that code unit), kept
 * for the string last asked about: candidate pairs come sorted by their first term, about 66 pairs
 * a term on the 1M-term list, so the masks are built once a term and each pair reads one mask a
 * code unit of the second string. Measured on 3M pairs of that list: 769 -> 211 ns a pair, the same
 * similarities. The table is one per thread (each scoring worker loads this module).
 */
const matchMasks = new Int32Array(65536);
const maskedUnits = new Uint16Array(MAX_EDIT);
let maskedText: Uint16Array | null = null;
let maskedStart = -1;
let maskedLength = 0;

function maskFirst(text: Uint16Array, s1: number, m: number): void {
  if (text === maskedText && s1 === maskedStart && m === maskedLength) return;
  for (let i = 0; i < maskedLength; i++) matchMasks[maskedUnits[i]] = 0;
  for (let i = 0; i < m; i++) {
    const unit = text[s1 + i];
    maskedUnits[i] = unit;
    matchMasks[unit] |= 1 << i;
  }
  maskedText = text;
  maskedStart = s1;
  maskedLength = m;
}

/**
 * Levenshtein similarity 1 - d / max(len) over the first MAX_EDIT code units of each, by Myers'
 * bit-parallel algorithm (Hyyrö's formulation for edit distance): one pass over the second string
 * with a handful of 32-bit operations per character, instead of the m x n table (measured 0.55 of
 * the 0.9 µs the cues took per pair with the table).
 */
export function editSimilarity(text: Uint16Array, s1: number, n1: number, s2: number, n2: number): number {
  const m = Math.min(n1, MAX_EDIT);
  const n = Math.min(n2, MAX_EDIT);
  if (m === 0 || n === 0) return 0;
  maskFirst(text, s1, m);
  const top = 1 << (m - 1);
  let pv = -1;
  let mv = 0;
  let score = m;
  for (let j = 0; j < n; j++) {
    const eq = matchMasks[text[s2 + j]];
    const xv = eq | mv;
    const xh = (((eq & pv) + pv) ^ pv) | eq;
    let ph = mv | ~(xh | pv);
    let mh = pv & xh;
    if (ph & top) score++;
    else if (mh & top) score--;
    ph = (ph << 1) | 1;
    mh = mh << 1;
    pv = mh | ~(xv | ph);
    mv = ph & xv;
  }
  return 1 - score / Math.max(m, n);
}

function contains(text: Uint16Array, hay: number, nh: number, needle: number, nn: number): boolean {
  if (nn === 0 || nn > nh) return false;
  outer: for (let i = 0; i + nn <= nh; i++) {
    for (let j = 0; j < nn; j++) if (text[hay + i + j] !== text[needle + j]) continue outer;
    return true;
  }
  return false;
}

function hasKey(tokens: Int32Array, start: number, end: number, key: number): boolean {
  return indexOfSorted(tokens, key, start, end) >= 0;
}

/**
 * Whether both words have evidence beyond their spelling: the embedder knows them from its own
 * training text, or the dictionary defines them. Without it the vector is hashed character
 * n-grams only, and its cosine, product and region are not used.
 */
export function hasEvidence(t: TermTable, ra: number, rb: number): boolean {
  const sig = t.signature;
  const sa = ra * SIG_FIELDS;
  const sb = rb * SIG_FIELDS;
  const ea = (sig[sa + SIG.flags] & FLAG.embedderKnows) !== 0 || (sig[sa + SIG.defFlags] & DEF.hasDefinition) !== 0;
  const eb = (sig[sb + SIG.flags] & FLAG.embedderKnows) !== 0 || (sig[sb + SIG.defFlags] & DEF.hasDefinition) !== 0;
  return ea && eb;
}

/** Pair features of rows (ra, rb) into out[at .. at + layout.width). */
export function pairFeatures(t: TermTable, ra: number, rb: number, out: Float32Array, at: number): void {
  const D = t.dims;
  const va = ra * D;
  const vb = rb * D;
  const vec = t.vectors;
  let dot = 0;
  const prod = at + CUE_NAMES.length;
  const mean = prod + D;
  const evidence = hasEvidence(t, ra, rb);
  for (let d = 0; d < D; d++) {
    const x = evidence ? vec[va + d] : 0;
    const y = evidence ? vec[vb + d] : 0;
    const p = x * y;
    dot += p;
    out[prod + d] = p;
    out[mean + d] = (x + y) * 0.5;
  }
  pairCues(t, ra, rb, dot, evidence, out, at);
  unarySums(t, ra, rb, out, mean + D);
}

/** Number of comparison cues (CUE_NAMES) and of summed unary cues (UNARY_NAMES) in a pair row. */
export const CUE_COUNT = CUE_NAMES.length;
export const UNARY_COUNT = UNARY_NAMES.length;

/** Both words' own cues, summed (symmetric), into out[at .. at + UNARY_COUNT). */
export function unarySums(t: TermTable, ra: number, rb: number, out: Float32Array, at: number): void {
  unaryCues(t, ra, out, at);
  unaryCues(t, rb, unaryScratch, 0);
  for (let k = 0; k < UNARY_COUNT; k++) out[at + k] += unaryScratch[k];
}

/** The comparison cues (CUE_NAMES order) into out[at .. at + CUE_COUNT); `dot` is the vectors' cosine, `evidence` hasEvidence's answer. */
export function pairCues(t: TermTable, ra: number, rb: number, dot: number, evidence: boolean, out: Float32Array, at: number): void {
  const sa = ra * SIG_FIELDS;
  const sb = rb * SIG_FIELDS;
  const sig = t.signature;
  const ta = t.textStart[ra];
  const na = t.textStart[ra + 1] - ta;
  const tb = t.textStart[rb];
  const nb = t.textStart[rb + 1] - tb;
  const wa = sig[sa + SIG.words];
  const wb = sig[sb + SIG.words];
  const multiA = wa > 1;
  const multiB = wb > 1;
  const pa = sig[sa + SIG.privClass];
  const pb = sig[sb + SIG.privClass];
  const samePrivStem = pa !== 0 && pb !== 0 && sig[sa + SIG.privStem] === sig[sb + SIG.privStem];
  const va2 = sig[sa + SIG.verbClass];
  const vb2 = sig[sb + SIG.verbClass];
  const fa = sig[sa + SIG.defFlags];
  const fb = sig[sb + SIG.defFlags];
  const da = (fa & DEF.hasDefinition) !== 0;
  const db = (fb & DEF.hasDefinition) !== 0;
  const ds = t.defStart;
  const mentionsAinB = db && hasKey(t.defTokens, ds[rb], ds[rb + 1], sig[sa + SIG.headKey]);
  const mentionsBinA = da && hasKey(t.defTokens, ds[ra], ds[ra + 1], sig[sb + SIG.headKey]);
  const mentions = mentionsAinB || mentionsBinA;

  let o = at;
  out[o++] = dot;
  out[o++] = evidence ? 0 : 1;
  out[o++] = sig[sa + SIG.lemma] === sig[sb + SIG.lemma] ? 1 : 0;
  const spellingVariant = sig[sa + SIG.folded] === sig[sb + SIG.folded] && sig[sa + SIG.norm] !== sig[sb + SIG.norm];
  out[o++] = spellingVariant ? 1 : 0;
  out[o++] = !spellingVariant && sig[sa + SIG.compact] === sig[sb + SIG.compact] && sig[sa + SIG.norm] !== sig[sb + SIG.norm] ? 1 : 0;
  out[o++] = (multiA || multiB) && sig[sa + SIG.head] === sig[sb + SIG.head] ? 1 : 0;
  out[o++] = (multiA || multiB) && sig[sa + SIG.first] === sig[sb + SIG.first] ? 1 : 0;
  out[o++] = multiA && multiB ? 1 : 0;
  out[o++] = multiA || multiB ? 1 : 0;
  out[o++] = Math.min(3, Math.abs(wa - wb)) / 3;
  out[o++] = editSimilarity(t.text, ta, na, tb, nb);
  let lcp = 0;
  const minLen = Math.min(na, nb);
  while (lcp < minLen && t.text[ta + lcp] === t.text[tb + lcp]) lcp++;
  out[o++] = minLen === 0 ? 0 : lcp / minLen;
  out[o++] = na <= nb ? (contains(t.text, tb, nb, ta, na) ? 1 : 0) : contains(t.text, ta, na, tb, nb) ? 1 : 0;
  out[o++] = samePrivStem && pa !== pb ? 1 : 0;
  out[o++] = samePrivStem && pa === pb ? 1 : 0;
  out[o++] = (pa === -1) !== (pb === -1) ? 1 : 0;
  out[o++] = va2 !== 0 && vb2 !== 0 && va2 !== vb2 && sig[sa + SIG.verbStem] === sig[sb + SIG.verbStem] ? 1 : 0;
  out[o++] = (sig[sa + SIG.prefixStem] !== 0 && sig[sa + SIG.prefixStem] === sig[sb + SIG.norm]) || (sig[sb + SIG.prefixStem] !== 0 && sig[sb + SIG.prefixStem] === sig[sa + SIG.norm]) ? 1 : 0;
  out[o++] = sig[sa + SIG.negMarker] !== sig[sb + SIG.negMarker] ? 1 : 0;
  out[o++] = sig[sa + SIG.reduplicated] | sig[sb + SIG.reduplicated] ? 1 : 0;
  out[o++] = Math.max(na, nb) === 0 ? 0 : minLen / Math.max(na, nb);
  out[o++] = da && db ? 1 : 0;
  out[o++] = da !== db ? 1 : 0;
  out[o++] = mentions ? 1 : 0;
  out[o++] = (mentionsAinB && (fb & DEF.opposite) !== 0) || (mentionsBinA && (fa & DEF.opposite) !== 0) ? 1 : 0;
  out[o++] = (mentionsAinB && (fb & DEF.negated) !== 0) || (mentionsBinA && (fa & DEF.negated) !== 0) ? 1 : 0;

  // What differs. One root, or roots the build knows as synonyms (`nalıncı` / `takunyacılık`):
  // which suffix classes one term has and the other lacks.
  const sameRoot = sig[sa + SIG.rootKey] === sig[sb + SIG.rootKey] && sig[sa + SIG.norm] !== sig[sb + SIG.norm];
  const xa = sig[sa + SIG.rootWord];
  const xb = sig[sb + SIG.rootWord];
  // Two bare words are their own roots: the lookup would read the pair's own label.
  const derived = (sig[sa + SIG.chain] | sig[sb + SIG.chain]) !== 0;
  const rootsKnown = derived && xa !== 0 && xb !== 0 && xa !== xb ? knownRelation(t, xa, xb) : 0;
  // A negating prefix is not a suffix class: `gayrimümkün` has its own root, `mümkün` is what it negates.
  const pxa = sig[sa + SIG.prefixStem];
  const pxb = sig[sb + SIG.prefixStem];
  const prefixed = (pxa !== 0) !== (pxb !== 0);
  const ya = pxa !== 0 ? pxa : xa;
  const yb = pxb !== 0 ? pxb : xb;
  const rootsShare = (derived || prefixed) && ya !== 0 && yb !== 0 && ya !== yb ? rootsSharedSense(t.knowledge, ya, yb) : 0;
  // Roots the dictionaries give one sense count as known synonyms here: a held-out word's root has
  // no label, and without this the difference cues of labelled roots took the credit in training
  // (rootDiffers.without carried the privative pairs of labelled roots, rootsTranslatedOpposite
  // was left next to no antonym weight: test antonym recall 0.134 -> 0.136 only).
  const diff = sameRoot || rootsKnown === KNOWN_RELATION.synonym || rootsShare > 0 ? sig[sa + SIG.chain] ^ sig[sb + SIG.chain] : 0;
  const variant = sameRoot && diff === 0 && !spellingVariant;
  out[o++] = variant && (multiA || multiB) ? 1 : 0;
  out[o++] = variant && !multiA && !multiB ? 1 : 0;
  // Mostly zero: one native fill, then the few set bits.
  out.fill(0, o, o + DERIVATION_CLASS_COUNT);
  for (let rest = diff; rest !== 0; rest &= rest - 1) out[o + 31 - Math.clz32(rest & -rest)] = 1;
  o += DERIVATION_CLASS_COUNT;
  out[o++] = isWordExtension(sig, sa, sb) || isWordExtension(sig, sb, sa) ? 1 : 0;
  const ga = sig[sa + SIG.flags];
  const gb = sig[sb + SIG.flags];
  out[o++] = ((ga ^ gb) & FLAG.verb) !== 0 ? 1 : 0;
  const ka = sameRoot ? 0 : sig[sa + SIG.final];
  const kb = sameRoot ? 0 : sig[sb + SIG.final];
  out.fill(0, o, o + FINAL_CLASS_CODES.length);
  if (ka !== kb) {
    const ia = FINAL_CLASS_INDEX[ka];
    const ib = FINAL_CLASS_INDEX[kb];
    if (ia >= 0) out[o + ia] = 1;
    if (ib >= 0) out[o + ib] = 1;
  }
  o += FINAL_CLASS_CODES.length;
  const na2 = sig[sa + SIG.numValue];
  const nb2 = sig[sb + SIG.numValue];
  const numbers = na2 !== 0 && nb2 !== 0 && na2 !== nb2;
  out[o++] = numbers ? 1 : 0;
  out[o++] = numbers && sig[sa + SIG.numFrame] === sig[sb + SIG.numFrame] ? 1 : 0;

  // Two phrases of as many words that differ in the first or the last one only.
  let wx = 0;
  let wy = 0;
  if (wa === wb && wa >= 2) {
    if (sig[sa + SIG.prefixFrame] === sig[sb + SIG.prefixFrame] && sig[sa + SIG.lastWord] !== sig[sb + SIG.lastWord]) {
      wx = sig[sa + SIG.lastWord];
      wy = sig[sb + SIG.lastWord];
    } else if (sig[sa + SIG.suffixFrame] === sig[sb + SIG.suffixFrame] && sig[sa + SIG.firstWord] !== sig[sb + SIG.firstWord]) {
      wx = sig[sa + SIG.firstWord];
      wy = sig[sb + SIG.firstWord];
    }
  }
  let known = wx === 0 ? 0 : knownRelation(t, wx, wy);
  // A negative verb against a positive one turns what is known of the positive forms around.
  if (((ga ^ gb) & FLAG.negative) !== 0) known = known === KNOWN_RELATION.synonym ? KNOWN_RELATION.antonym : known === KNOWN_RELATION.antonym ? KNOWN_RELATION.synonym : known;
  out[o++] = wx === 0 ? 0 : 1;
  out[o++] = known === KNOWN_RELATION.synonym ? 1 : 0;
  out[o++] = known === KNOWN_RELATION.antonym ? 1 : 0;
  out[o++] = known === KNOWN_RELATION.cohyponym ? 1 : 0;
  out[o++] = known === KNOWN_RELATION.derived ? 1 : 0;

  // Synonym roots make synonyms only derived alike (`bencillik` / `hodkamlık`, not `bencillik` /
  // `hodkam`); privation or negation on one side makes opposites whatever else differs.
  const chainXor = sig[sa + SIG.chain] ^ sig[sb + SIG.chain];
  const negated = (chainXor & NEGATING_CLASSES) !== 0;
  const alike = (chainXor & ~NEGATING_CLASSES) === 0;
  out[o++] = alike && ((rootsKnown === KNOWN_RELATION.synonym && !negated) || (rootsKnown === KNOWN_RELATION.antonym && negated)) ? 1 : 0;
  out[o++] = (rootsKnown === KNOWN_RELATION.synonym && negated) || (rootsKnown === KNOWN_RELATION.antonym && !negated && alike) ? 1 : 0;
  const opposed = negated || prefixed;
  out[o++] = opposed ? rootsShare : 0;
  out[o++] = !opposed && alike ? rootsShare : 0;
  const translated = knowledgeCues(t, ra, rb, out, o);
  o += KNOWLEDGE_CUES;
  out[o] = diff !== 0 ? translated : 0;
}

/** The strongest sense two words' translated rows share (0 when either is not a translated term). */
function rootsSharedSense(k: KnowledgeTable, x: number, y: number): number {
  const rx = rowOfWord(k, x);
  const ry = rx < 0 ? -1 : rowOfWord(k, y);
  if (ry < 0) return 0;
  rootSenses.fill(0);
  intersectByLanguage(k.senses, k.senseStart[rx], k.senseStart[rx + 1], k.senseStart[ry], k.senseStart[ry + 1], k.senseLanguage, k.senseWeight, rootSenses, 'max');
  let strongest = 0;
  for (let l = 0; l < LANGUAGE_COUNT; l++) if (rootSenses[l] > strongest) strongest = rootSenses[l];
  return strongest;
}
const rootSenses = new Float32Array(LANGUAGE_COUNT);

/** Translation cues per language and the two WordNet cues. */
const KNOWLEDGE_CUES = 3 * LANGUAGE_COUNT + 2;

const sharedSenses = new Float32Array(LANGUAGE_COUNT);
const sharedHeads = new Float32Array(LANGUAGE_COUNT);
const headsA = new Int32Array(LANGUAGE_COUNT);
const headsB = new Int32Array(LANGUAGE_COUNT);

/** The knowledge cues (translations per language, then WordNet) into out[at ..]; returns the strongest shared sense's weight. */
function knowledgeCues(t: TermTable, ra: number, rb: number, out: Float32Array, at: number): number {
  const k = t.knowledge;
  let o = at;
  const ha0 = k.headStart[ra];
  const ha1 = k.headStart[ra + 1];
  const hb0 = k.headStart[rb];
  const hb1 = k.headStart[rb + 1];
  if (ha0 === ha1 || hb0 === hb1) {
    // One of the two has no translation at all: every knowledge cue is 0.
    out.fill(0, o, o + KNOWLEDGE_CUES);
    return 0;
  }
  sharedSenses.fill(0);
  sharedHeads.fill(0);
  headsA.fill(0);
  headsB.fill(0);
  for (let i = ha0; i < ha1; i++) headsA[k.headLanguage[k.heads[i]]]++;
  for (let i = hb0; i < hb1; i++) headsB[k.headLanguage[k.heads[i]]]++;
  intersectByLanguage(k.senses, k.senseStart[ra], k.senseStart[ra + 1], k.senseStart[rb], k.senseStart[rb + 1], k.senseLanguage, k.senseWeight, sharedSenses, 'max');
  intersectByLanguage(k.heads, ha0, ha1, hb0, hb1, k.headLanguage, k.headWeight, sharedHeads, 'sum');
  let strongest = 0;
  for (let l = 0; l < LANGUAGE_COUNT; l++) {
    const both = headsA[l] > 0 && headsB[l] > 0;
    if (sharedSenses[l] > strongest) strongest = sharedSenses[l];
    out[o++] = sharedSenses[l];
    out[o++] = both ? sharedHeads[l] / Math.min(headsA[l], headsB[l]) : 0;
    out[o++] = both ? 1 : 0;
  }
  // Graded: the English headwords of one opposed to the other's, over the smaller English set
  // (`eksik` / `mükemmel` oppose through several, a stray sense through one of many).
  const english = Math.min(headsA[ENGLISH], headsB[ENGLISH]);
  out[o++] = english === 0 ? 0 : Math.min(1, sharedCount(k.direct, k.directStart[ra], k.directStart[ra + 1], k.heads, hb0, hb1) / english);
  out[o++] = english === 0 ? 0 : Math.min(1, sharedCount(k.similar, k.similarStart[ra], k.similarStart[ra + 1], k.heads, hb0, hb1) / english);
  return strongest;
}


const DERIVATION_CLASS_COUNT = DERIVATION_CLASSES.length;

/**
 * The constants pairCues reads, in the order native/relations.cc's Layout takes them: the
 * compiled cues read them from here instead of writing them a second time.
 */
export function cueConstants(): Int32Array {
  const fields = [SIG.lemma, SIG.head, SIG.first, SIG.words, SIG.privStem, SIG.privClass, SIG.verbStem, SIG.verbClass, SIG.prefixStem, SIG.negMarker, SIG.reduplicated, SIG.folded, SIG.length, SIG.norm, SIG.compact, SIG.defFlags, SIG.rootWord, SIG.headKey, SIG.rootKey, SIG.chain, SIG.final, SIG.flags, SIG.numValue, SIG.numFrame, SIG.prefixFrame, SIG.lastWord, SIG.suffixFrame, SIG.firstWord];
  const known = [KNOWN_RELATION.synonym, KNOWN_RELATION.antonym, KNOWN_RELATION.cohyponym, KNOWN_RELATION.derived];
  const flags = [FLAG.verb, FLAG.embedderKnows, FLAG.negative, DEF.hasDefinition, DEF.opposite, DEF.negated, NEGATING_CLASSES];
  return Int32Array.from([SIG_FIELDS, ...fields, ...flags, DERIVATION_CLASS_COUNT, LANGUAGE_COUNT, ENGLISH, CUE_COUNT, ...known, FINAL_CLASS_CODES.length, FINAL_CLASS_INDEX.length, ...FINAL_CLASS_INDEX]);
}

/** Whether the term at signature offset `long` is the one at `short` with one word added before or after. */
export function isWordExtension(sig: Int32Array, short: number, long: number): boolean {
  if (sig[long + SIG.words] !== sig[short + SIG.words] + 1) return false;
  const norm = sig[short + SIG.norm];
  return sig[long + SIG.prefixFrame] === norm || sig[long + SIG.suffixFrame] === norm;
}


const unaryScratch = new Float32Array(UNARY_NAMES.length);

/** The word's own cues (UNARY_NAMES order) into out[at ..]; returns the next free index. */
export function unaryCues(t: TermTable, r: number, out: Float32Array, at: number): number {
  const s = r * SIG_FIELDS;
  const sig = t.signature;
  const f = sig[s + SIG.defFlags];
  let o = at;
  out[o++] = Math.min(4, sig[s + SIG.words]) / 4;
  out[o++] = sig[s + SIG.privClass] === 1 ? 1 : 0;
  out[o++] = sig[s + SIG.privClass] === -1 ? 1 : 0;
  out[o++] = sig[s + SIG.verbClass] === -1 ? 1 : 0;
  out[o++] = sig[s + SIG.negMarker];
  out[o++] = sig[s + SIG.reduplicated];
  out[o++] = Math.min(40, sig[s + SIG.length]) / 40;
  out[o++] = sig[s + SIG.flags] & FLAG.verb ? 1 : 0;
  out[o++] = f & DEF.hasDefinition ? 1 : 0;
  out[o++] = f & DEF.kind ? 1 : 0;
  out[o++] = f & DEF.opposite ? 1 : 0;
  out[o++] = f & DEF.negated ? 1 : 0;
  return o;
}

function unaryFeatures(t: TermTable, r: number, out: Float32Array, at: number): number {
  const o = unaryCues(t, r, out, at);
  out.set(t.vectors.subarray(r * t.dims, (r + 1) * t.dims), o);
  return o + t.dims;
}

/** Features of one pair for the given layout. */
export function extractFeatures(layout: FeatureLayout, t: TermTable, ra: number, rb: number, out: Float32Array, at: number): void {
  if (layout.kind === 'pair') pairFeatures(t, ra, rb, out, at);
  else unaryFeatures(t, rb, out, unaryFeatures(t, ra, out, at));
}
