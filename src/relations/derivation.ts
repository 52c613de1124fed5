/**
 * What differs between two related Turkish terms: a small derivational analysis of the surface
 * form, so that the discriminator sees the suffixes two words do not share, not only the root they
 * do. Without it the shared-root cues (prefix, containment, edit similarity) read every
 * derivation as a synonym (`albenisiz` / `albenisizlik`, `irin` / `irinlenme`, `tezyif` /
 * `tezyif etmek`, `alay etmek` / `alaycı`: issue 18).
 *
 * A term's last content word is stripped of derivational suffixes from the end (longest match,
 * a root of at least MIN_ROOT letters with a vowel left): each suffix adds its class to a bit
 * set, the outermost one is the word's final class (a coarse part of speech). A trailing light
 * verb (`etmek`, `eylemek`, `olmak`, ...) is a class too, so `kıyas etmek` / `kıyas eylemek`
 * share root and classes (a paraphrase) while `kurban etmek` / `kurban olmak` differ in voice.
 * Inflection is left to the lemmatiser (`hayat seviyesi` -> `seviye`), except on verbs, whose
 * lemma drops the infinitive and the negation this analysis needs.
 *
 * Numerals get their own reading (`yedinci` = 7 + ordinal, `onaltı` = 10 + 6): terms that
 * differ only in a number are siblings, never synonyms.
 */

/** Derivational classes, one bit each in a chain. */
export const DERIVATION_CLASSES = [
  'infinitive', // -mAk
  'verbalNoun', // -mA, -(y)Iş
  'negative', // -mA- inside a verb form (gelmemek)
  'abstract', // -lIk
  'agent', // -CI, -(y)IcI
  'with', // -lI
  'without', // -sIz
  'adjective', // -sAl, -(I)k, -GAn
  'adverb', // -CA, -CAsInA
  'verbaliser', // -lA
  'voice', // causative, passive, reflexive, reciprocal
  'ist', // -ist
  'ism', // -izm
  'do', // etmek, eylemek, kılmak, yapmak
  'be', // olmak, olunmak, edilmek, bulunmak
] as const;
export type DerivationClass = (typeof DERIVATION_CLASSES)[number];
const BIT = Object.fromEntries(DERIVATION_CLASSES.map((c, i) => [c, 1 << i])) as Record<DerivationClass, number>;
/** Privation and negation: on one side only, they turn a relation around. */
export const NEGATING_CLASSES = BIT.without | BIT.negative;

/**
 * Shortest root a suffix may leave (`su` / `sucu` are lost; `ödün` / `ödünsüz` are not). Dev
 * macro-F1 with 2 / 3 / 4: 0.386 / 0.397 / 0.383.
 */
const MIN_ROOT = 3;
const VOWEL = /[aeıioöuüâîû]/u;

interface Suffix {
  re: RegExp;
  cls: DerivationClass;
  /** Only where a verbal suffix was stripped outside it (voice and verbalisers sit on verb stems). */
  verbal?: boolean;
  /** Leaves a verb stem (so voice and verbalisers may follow). */
  makesVerbStem?: boolean;
  /** Only as the outermost suffix (the infinitive). */
  outer?: boolean;
}

const SUFFIXES: readonly Suffix[] = [
  { re: /(et|eyle|ol)(mek|me|mak|ma)$/u, cls: 'do' }, // glued light verb (zerketmek); the class is fixed below
  { re: /m[ae]k$/u, cls: 'infinitive', outer: true, makesVerbStem: true },
  { re: /m[ae]$/u, cls: 'verbalNoun', makesVerbStem: true },
  { re: /y?[ıiuü]ş$/u, cls: 'verbalNoun', makesVerbStem: true },
  { re: /l[ıiuü]k$/u, cls: 'abstract' },
  { re: /y?[ıiuü]c[ıiuü]$/u, cls: 'agent', makesVerbStem: true },
  { re: /[cç][ıiuü]$/u, cls: 'agent' },
  { re: /s[ıiuü]z$/u, cls: 'without' },
  { re: /l[ıiuü]$/u, cls: 'with' },
  { re: /s[ae]l$/u, cls: 'adjective' },
  { re: /[gk][ae]n$/u, cls: 'adjective', makesVerbStem: true },
  { re: /[ıiuü]k$/u, cls: 'adjective', makesVerbStem: true },
  { re: /[cç][ae]s[ıi]n[ae]$/u, cls: 'adverb' },
  { re: /[cç][ae]$/u, cls: 'adverb' },
  { re: /ist$/u, cls: 'ist' },
  { re: /izm$/u, cls: 'ism' },
  { re: /l[ae]$/u, cls: 'verbaliser', verbal: true },
  // Voice on a verbaliser: `derle-n-mek` is not `derle-mek`, `tedirgin-le-ş-mek` becomes.
  { re: /(?<=l[ae])[nşt]$/u, cls: 'voice', verbal: true, makesVerbStem: true },
  { re: /[dt][ıiuü]r$/u, cls: 'voice', verbal: true, makesVerbStem: true },
  { re: /[ıiuü][lnş]$/u, cls: 'voice', verbal: true, makesVerbStem: true },
  { re: /[ıiuüae]r$/u, cls: 'voice', verbal: true, makesVerbStem: true }, // causative -Ir, -Ar (kaç-ır-mak, çık-ar-mak)
];

const LIGHT_DO = new Set(['etmek', 'eylemek', 'kılmak', 'yapmak', 'etme', 'eyleme', 'kılma', 'yapma']);
const LIGHT_BE = new Set(['olmak', 'olma', 'olunmak', 'edilmek', 'bulunmak']);

/** Final devoicing, so that a root keeps one spelling before vowel- and consonant-initial suffixes (kitab- / kitap). */
function devoice(root: string): string {
  const last = root[root.length - 1];
  const hard = last === 'ğ' ? 'k' : last === 'b' ? 'p' : last === 'c' ? 'ç' : last === 'd' ? 't' : last;
  return hard === last ? root : root.slice(0, -1) + hard;
}

export interface WordDerivation {
  root: string;
  /** Bit set of DERIVATION_CLASSES stripped from the word. */
  chain: number;
  /** Class index + 1 of the outermost suffix, 0 for a bare root. */
  final: number;
}

/** Strips derivational suffixes from one lowercase word. */
export function analyseWord(word: string): WordDerivation {
  let rest = word;
  let chain = 0;
  let final = 0;
  let verbal = false;
  for (let step = 0; step < 5; step++) {
    let best: { cut: number; cls: DerivationClass; makesVerbStem: boolean } | null = null;
    for (const s of SUFFIXES) {
      if (s.outer && step > 0) continue;
      if (s.verbal && !verbal) continue;
      const m = s.re.exec(rest);
      if (!m) continue;
      const cut = rest.length - m[0].length;
      const root = rest.slice(0, cut);
      if (root.length < MIN_ROOT || !VOWEL.test(root)) continue;
      let cls = s.cls;
      if (cls === 'do' && m[1] === 'ol') cls = 'be';
      // -mA- inside an infinitive or verbal noun is the negative (gel-me-mek), not a second noun.
      if (cls === 'verbalNoun' && verbal && /^m[ae]$/u.test(m[0])) cls = 'negative';
      if (!best || m[0].length > rest.length - best.cut) best = { cut, cls, makesVerbStem: s.makesVerbStem ?? false };
    }
    if (!best) break;
    const glued = /(et|eyle|ol)(mek|me|mak|ma)$/u.exec(rest);
    if ((best.cls === 'do' || best.cls === 'be') && glued) chain |= /m[ae]k$/u.test(glued[0]) ? BIT.infinitive : BIT.verbalNoun;
    if (final === 0) final = DERIVATION_CLASSES.indexOf(best.cls) + 1;
    chain |= BIT[best.cls];
    rest = rest.slice(0, best.cut);
    verbal = best.makesVerbStem || best.cls === 'negative';
  }
  return { root: devoice(rest), chain, final };
}

export interface TermDerivation extends WordDerivation {
  /** The content words' lemmas with the last one's root, spaces dropped (`yer bilimci` and `yerbilimi` share `yerbilim`). */
  rootKey: string;
  /** The term is a verb (an infinitive, or a phrase ending in one). */
  verb: boolean;
}

/** Ends like an infinitive or a verbal noun: its lemma would drop suffixes this analysis needs. */
const VERB_FORM = /m[ae]k?$/u;

/**
 * Derivational reading of a normalised term. `lemma(word)` is the lemmatiser's form of one word
 * (inflection removed), or undefined when it does not know the word.
 */
export function analyseTerm(norm: string, lemma: (word: string) => string | undefined = () => undefined): TermDerivation {
  const words = norm.split(' ');
  let light = 0;
  let content = words;
  const last = words[words.length - 1];
  if (words.length >= 2 && (LIGHT_DO.has(last) || LIGHT_BE.has(last))) {
    light = (LIGHT_DO.has(last) ? BIT.do : BIT.be) | (/m[ae]k$/u.test(last) ? BIT.infinitive : BIT.verbalNoun);
    content = words.slice(0, -1);
  }
  const head = content[content.length - 1];
  const headForm = VERB_FORM.test(head) ? head : (lemma(head) ?? head);
  const word = analyseWord(headForm);
  const modifiers = content.slice(0, -1).map((w) => lemma(w) ?? w);
  const rootKey = [...modifiers, word.root].join('');
  const final = light !== 0 ? DERIVATION_CLASSES.indexOf(light & BIT.be ? 'be' : 'do') + 1 : word.final;
  return { root: word.root, rootKey, chain: word.chain | light, final, verb: /m[ae]k$/u.test(last) };
}

/** Cardinal stems and their values (`dörd` is `dört` before a vowel: `dördüncü`). */
const CARDINALS: readonly (readonly [string, number])[] = [
  ['bir', 1], ['iki', 2], ['üç', 3], ['dört', 4], ['dörd', 4], ['beş', 5], ['altı', 6], ['yedi', 7], ['sekiz', 8], ['dokuz', 9],
  ['on', 10], ['yirmi', 20], ['otuz', 30], ['kırk', 40], ['elli', 50], ['altmış', 60], ['yetmiş', 70], ['seksen', 80], ['doksan', 90],
  ['yüz', 100], ['bin', 1000], ['milyon', 1e6], ['milyar', 1e9],
];
const CARDINAL_BY_LENGTH = [...CARDINALS].sort((x, y) => y[0].length - x[0].length);
/** What may follow a numeral inside its word: ordinal, distributive, -lI, -lIk, -(I)z, and the ordinal dot. */
const NUMERAL_TAIL = /^(([ıiuü]?nc[ıiuü])|(ş?[ae]r)|(l[ıiuü]k?)|([ıiuü]?z)|(['’]?[ıiuü]?nc[ıiuü])|\.|)$/u;
/** Roman numerals of i, v and x only (`xvı` after Turkish lowercasing): `dil`, `mil`, `cim` are words. */
const ROMAN = /^[ivxı]{2,}$/u;

/** Value of a run of stems: `iki yüz on` = 210, `bin dokuz yüz` = 1900. */
function cardinalValue(stems: readonly number[]): number {
  let total = 0;
  let current = 0;
  for (const v of stems) {
    if (v === 100) current = (current || 1) * 100;
    else if (v >= 1000) {
      total += (current || 1) * v;
      current = 0;
    } else current += v;
  }
  return total + current;
}

function romanValue(word: string): number {
  const digit: Record<string, number> = { i: 1, ı: 1, v: 5, x: 10 };
  let total = 0;
  for (let i = 0; i < word.length; i++) {
    const v = digit[word[i]];
    const next = i + 1 < word.length ? digit[word[i + 1]] : 0;
    total += v < next ? -v : v;
  }
  return total;
}

/**
 * The number a word spells and what follows it (`onaltıncı` -> 16 + ordinal, `dördüncü` -> 4,
 * `12.` -> 12, `xvı` -> 16), or null.
 */
export function numeralOf(word: string): { value: number; tail: string } | null {
  const digits = /^\d+/u.exec(word);
  if (digits) {
    const tail = word.slice(digits[0].length);
    return NUMERAL_TAIL.test(tail) ? { value: Number(digits[0]), tail: tail === '.' || /nc/u.test(tail) ? 'nci' : tail } : null;
  }
  if (ROMAN.test(word)) return { value: romanValue(word), tail: '' };
  const stems: number[] = [];
  let at = 0;
  while (at < word.length) {
    const stem = CARDINAL_BY_LENGTH.find(([c]) => word.startsWith(c, at));
    if (!stem) break;
    stems.push(stem[1]);
    at += stem[0].length;
  }
  if (stems.length === 0) return null;
  const tail = word.slice(at);
  // Only a known tail may follow (`onur`, `bina`, `altın` are not numbers).
  if (!NUMERAL_TAIL.test(tail)) return null;
  return { value: cardinalValue(stems), tail: /nc/u.test(tail) ? 'nci' : tail };
}

/**
 * A term's numbers and the term with them blanked (`beş bir` -> `5 1`, `# #`; `on iki` and `12`
 * are both 12), or null without numbers. Consecutive number words make one number.
 */
export function termNumerals(norm: string): { value: string; frame: string } | null {
  const values: number[] = [];
  const frame: string[] = [];
  let run: number[] = [];
  let runTail = '';
  const flush = (): void => {
    if (run.length === 0) return;
    values.push(cardinalValue(run));
    frame.push(`#${runTail}`);
    run = [];
    runTail = '';
  };
  for (const w of norm.split(' ')) {
    const n = numeralOf(w);
    if (!n) {
      flush();
      frame.push(w);
      continue;
    }
    // `iki yüz` continues a number; a tail (`ikinci`) ends it.
    if (runTail !== '') flush();
    run.push(n.value);
    runTail = n.tail;
  }
  flush();
  return values.length === 0 ? null : { value: values.join(' '), frame: frame.join(' ') };
}
