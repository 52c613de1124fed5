/**
 * Surface keys of a normalised term, for finding spellings of one term family by grouping instead
 * of by pairwise comparison (a hash map over the list, linear in its size):
 *
 * - `surfaceKey`: Unicode NFKC (ligatures `ﬁ` -> `fi`, full-width letters), apostrophes dropped
 *   (`anayasa'nın` -> `anayasanın`), dotted acronyms closed up (`t.c.m.b.` -> `tcmb`), every
 *   other punctuation mark a space, spaces folded. List
 *   debris such as `- ihya` or `( aldatma )` lands on the plain term's key.
 * - `asciiKey`: the surface key with Turkish letters and circumflexes folded to ASCII (`ş` -> `s`,
 *   `ı` -> `i`, `â` -> `a`): equal keys are candidates only, since `iş` / `is` and `kâr` / `kar`
 *   are different words; variants.ts decides.
 *
 * Numbers stay as they are in every key, so two terms that differ in a number never share one.
 */

const APOSTROPHES = /['’ʼ`´]/gu;
const NOT_WORD = /[^\p{L}\p{M}\p{N}]+/gu;

/** Single letters each followed by a dot (`t.c.m.b.`, `v.d.k`): an acronym written with dots. */
const DOTTED_LETTERS = /(?<![\p{L}\p{N}])\p{L}\.(?:\p{L}\.)+(?:\p{L}(?![\p{L}\p{N}]))?/gu;

/**
 * Lowercase letters and digits in words one space apart: a form every step of surfaceKey leaves as
 * it is (the composed letters are NFKC's own), as most terms of a list are. Tested first, it
 * saves the normalisation and six replacements: surfaceKey took 7.4 s of the evidence rules'
 * 195 s on the 4.4M terms of a 5M-line bench:e2e list, under the profiler.
 */
const ALREADY_A_KEY = /^[a-z0-9çğıöşüâîûôê]+(?: [a-z0-9çğıöşüâîûôê]+)*$/u;

export function surfaceKey(norm: string): string {
  return ALREADY_A_KEY.test(norm) ? norm : surfaceKeyInFull(norm);
}

/** surfaceKey without its shortcut (tests hold the two equal). */
export function surfaceKeyInFull(norm: string): string {
  return norm
    .normalize('NFKC')
    .replace(/İ/gu, 'i')
    .replace(/I/gu, 'ı')
    .toLowerCase()
    .replace(APOSTROPHES, '')
    .replace(DOTTED_LETTERS, (m) => m.replace(/\./gu, ''))
    .replace(NOT_WORD, ' ')
    .trim();
}

const ASCII: Record<string, string> = { ç: 'c', ğ: 'g', ı: 'i', ö: 'o', ş: 's', ü: 'u', â: 'a', î: 'i', û: 'u', ô: 'o', ê: 'e' };
const TURKISH_OR_CIRCUMFLEX = /[çğıöşüâîûôê]/gu;

export function asciiKey(surface: string): string {
  return surface.replace(TURKISH_OR_CIRCUMFLEX, (c) => ASCII[c] ?? c);
}

/** Whether a surface form uses any Turkish-specific letter (a term written without them has none). */
export function hasTurkishLetters(surface: string): boolean {
  return /[çğıöşü]/u.test(surface);
}

export function tokens(surface: string): string[] {
  return surface === '' ? [] : surface.split(' ');
}

/** A token with a digit: `2918`, `53.`, `5237sk`. Terms that differ in one never join. */
export function hasDigit(token: string): boolean {
  return /\p{N}/u.test(token);
}

/**
 * Function words a phrase may gain or lose without changing what it names
 * (`medeni ve siyasal haklar` / `medeni siyasal haklar`).
 */
export const STOPWORDS: ReadonlySet<string> = new Set(['ve', 'ile', 'veya', 'ya', 'yahut', 'da', 'de', 'ki']);

/** Words that negate the phrase they end or sit in: two phrases differing by one never join. */
export const NEGATION_WORDS: ReadonlySet<string> = new Set(['olmayan', 'olmaksızın', 'değil', 'değildir', 'dışı', 'dışında', 'aykırı', 'yoksun', 'gayri', 'gayrı', 'karşıtı', 'anti', 'non']);

const PRIVATIVE = /^(.{2,}?)(sız|siz|suz|süz)(lık|lik|luk|lük)?$/u;
const POSSESSIVE = /^(.{2,}?)(lı|li|lu|lü)(lık|lik|luk|lük)?$/u;

/** A word's stem before `-sız` (privative) or `-lı` (possessive), and whether `-lık` follows. */
export interface SuffixForm {
  stem: string;
  abstract: boolean;
}

/** `yetkisiz` -> { stem: `yetki`, abstract: false }; null when the word has no privative suffix. */
function privativeForm(word: string): SuffixForm | null {
  return suffixForm(PRIVATIVE.exec(word));
}

/** `yetkililik` -> { stem: `yetki`, abstract: true }; null when the word has no possessive suffix. */
function possessiveForm(word: string): SuffixForm | null {
  return suffixForm(POSSESSIVE.exec(word));
}

function suffixForm(m: RegExpExecArray | null): SuffixForm | null {
  return m === null ? null : { stem: m[1], abstract: m[3] !== undefined };
}

/** A word's privative and possessive forms, found once (compose.ts keeps them per distinct word). */
export interface SuffixForms {
  privative: SuffixForm | null;
  possessive: SuffixForm | null;
}

export function suffixForms(word: string): SuffixForms {
  return { privative: privativeForm(word), possessive: possessiveForm(word) };
}

/** `yetkili` / `yetkisiz`, `yetkililik` / `yetkisizlik`: the privative opposition on one stem. */
export function privativeOpposites(x: string, y: string): boolean {
  return privativeOpposed(suffixForms(x), suffixForms(y));
}

/** privativeOpposites over forms already found: either word privative, the other possessive, on one stem. */
export function privativeOpposed(x: SuffixForms, y: SuffixForms): boolean {
  return privativePair(x.privative, y.possessive) || privativePair(y.privative, x.possessive);
}

function privativePair(negative: SuffixForm | null, positive: SuffixForm | null): boolean {
  return negative !== null && positive !== null && negative.stem === positive.stem && negative.abstract === positive.abstract;
}

const NEGATIVE_INFIXES = ['ma', 'me', 'may', 'mey'];

/** `gelmek` / `gelmemek`, `yapılan` / `yapılmayan`: the negative verb form on one stem. */
export function verbalOpposites(x: string, y: string): boolean {
  const [short, long] = x.length < y.length ? [x, y] : [y, x];
  const extra = long.length - short.length;
  if (extra !== 2 && extra !== 3) return false;
  // The negative infix follows a stem of two letters at least, the rest of the word unchanged.
  for (let i = 1; i < short.length; i++) {
    if (long.charCodeAt(i - 1) !== short.charCodeAt(i - 1)) return false;
    if (i < 2) continue;
    const inserted = long.slice(i, i + extra);
    if (NEGATIVE_INFIXES.includes(inserted) && long.slice(i + extra) === short.slice(i)) return true;
  }
  return false;
}
