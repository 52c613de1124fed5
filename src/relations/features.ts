/**
 * Pair features of the discriminator, all symmetric in (a, b) because relations are unordered.
 *
 * Three groups, each kept only because an ablation showed it helps (closing note of issue 4):
 * - embedding: cosine and the elementwise product of the two vectors (a linear model over the
 *   product is a learned, diagonal bilinear similarity; the default model leaves it out, see
 *   DEFAULT_DISABLED_GROUPS), and the mean vector: where in the space the pair sits (`region`);
 * - morphology: shared lemma/head/first word, spelling variants, edit similarity, privative and
 *   negative-verb opposites, negating prefixes and words, reduplication;
 * - dictionary: one term in the other's definition, definition overlap and shared genus word,
 *   antonym cues (`karşıtı`, `olmayan`, `-sız`) and co-hyponym cues (`bir tür`, `-giller`).
 *
 * `singleWord` is docs/evaluation.md's memorisation check: the same model fed each word's own
 * features (its vector and unary cues, a then b), with nothing that compares the two.
 */
import { DEF, SIG, SIG_FIELDS } from './morphology.js';
import type { TermTable } from './term-table.js';

export type FeatureGroup = 'embedding' | 'product' | 'region' | 'morphology' | 'dictionary';
export type FeatureKind = 'pair' | 'singleWord';

export const CUE_NAMES = [
  'cosine',
  'sameLemma',
  'spellingVariant',
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
  'bothDefined',
  'oneDefined',
  'mentionsOther',
  'definitionOverlap',
  'sameGenus',
  'oppositeCue',
  'negatedCue',
  'bothKindOf',
  'sameGiller',
] as const;

const CUE_GROUP: readonly FeatureGroup[] = CUE_NAMES.map((n, i) => (i === 0 ? 'embedding' : i < 19 ? 'morphology' : 'dictionary'));

const UNARY_NAMES = ['words', 'privativePositive', 'privativeNegative', 'verbNegative', 'negWord', 'reduplicated', 'length', 'defined', 'kindOf', 'opposite', 'negated'] as const;

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
      groups.push(i >= 7 ? 'dictionary' : 'morphology');
    });
  } else {
    for (const side of ['a', 'b']) {
      UNARY_NAMES.forEach((n, i) => {
        names.push(`${side}.${n}`);
        groups.push(i >= 7 ? 'dictionary' : 'morphology');
      });
      for (let d = 0; d < dims; d++) names.push(`${side}.vector${d}`), groups.push('embedding');
    }
  }
  return { kind, dims, names, groups, width: names.length };
}

/** Edit similarity looks at the first 24 code units: enough to tell spelling variants and shared stems apart, and it fits one 32-bit word. */
export const MAX_EDIT = 24;

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
  const top = 1 << (m - 1);
  let pv = -1;
  let mv = 0;
  let score = m;
  for (let j = 0; j < n; j++) {
    const c = text[s2 + j];
    let eq = 0;
    for (let i = 0; i < m; i++) if (text[s1 + i] === c) eq |= 1 << i;
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
  let lo = start;
  let hi = end - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = tokens[mid];
    if (v === key) return true;
    if (v < key) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

function overlap(tokens: Int32Array, s1: number, e1: number, s2: number, e2: number): number {
  if (e1 === s1 || e2 === s2) return 0;
  let i = s1;
  let j = s2;
  let shared = 0;
  while (i < e1 && j < e2) {
    const x = tokens[i];
    const y = tokens[j];
    if (x === y) {
      shared++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return shared / (e1 - s1 + e2 - s2 - shared);
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
  for (let d = 0; d < D; d++) {
    const x = vec[va + d];
    const y = vec[vb + d];
    const p = x * y;
    dot += p;
    out[prod + d] = p;
    out[mean + d] = (x + y) * 0.5;
  }
  pairCues(t, ra, rb, dot, out, at);
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

/** The comparison cues (CUE_NAMES order) into out[at .. at + CUE_COUNT); `dot` is the vectors' cosine. */
export function pairCues(t: TermTable, ra: number, rb: number, dot: number, out: Float32Array, at: number): void {
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
  out[o++] = sig[sa + SIG.lemma] === sig[sb + SIG.lemma] ? 1 : 0;
  out[o++] = sig[sa + SIG.folded] === sig[sb + SIG.folded] && sig[sa + SIG.norm] !== sig[sb + SIG.norm] ? 1 : 0;
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
  out[o++] = da && db ? overlap(t.defTokens, ds[ra], ds[ra + 1], ds[rb], ds[rb + 1]) : 0;
  out[o++] = da && db && sig[sa + SIG.defHead] === sig[sb + SIG.defHead] ? 1 : 0;
  out[o++] = (mentionsAinB && (fb & DEF.opposite) !== 0) || (mentionsBinA && (fa & DEF.opposite) !== 0) ? 1 : 0;
  out[o++] = (mentionsAinB && (fb & DEF.negated) !== 0) || (mentionsBinA && (fa & DEF.negated) !== 0) ? 1 : 0;
  out[o++] = (fa & fb & DEF.kind) !== 0 ? 1 : 0;
  out[o++] = sig[sa + SIG.giller] !== 0 && sig[sa + SIG.giller] === sig[sb + SIG.giller] ? 1 : 0;
}

const unaryScratch = new Float32Array(UNARY_NAMES.length);

/** The word's own cues (UNARY_NAMES order) into out[at ..]; returns the next free index. */
function unaryCues(t: TermTable, r: number, out: Float32Array, at: number): number {
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
