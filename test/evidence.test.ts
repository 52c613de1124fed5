import { describe, it, expect } from 'vitest';
import { findEvidence, wordKnowledge, surfaceKey, type Evidence } from '../src/evidence/index.js';
import { privativeOpposites, surfaceKeyInFull, verbalOpposites } from '../src/evidence/keys.js';
import { Lemmatizer } from '../src/lexicon/lemmatize.js';
import { normalizeTerm } from '../src/lexicon/normalize.js';
import { mulberry32 } from '../src/util/random.js';
import type { LexiconWords } from '../src/evidence/index.js';

/** A small lexicon, as the store reads it: word -> synsets (most common sense first), antonym synsets. */
const LEXICON: LexiconWords = {
  synsetsOf: new Map([
    ['siyasi', ['S-political']],
    ['siyasal', ['S-political']],
    ['kâr', ['S-profit']],
    ['kar', ['S-snow']],
    ['kabil', ['S-kind']],
    ['kabîl', ['S-kind']],
    ['baro', ['S-bar']],
    ['sayıştay', ['S-court-of-accounts']],
    ['kara', ['S-black', 'S-land']],
    ['toprak', ['S-soil', 'S-land']],
    ['yasal', ['S-legal']],
    ['yasadışı', ['S-illegal']],
    ['kapatmak', ['S-close']],
    ['vurmak', ['S-hit']],
  ]),
  antonymsOf: new Map([
    ['S-legal', ['S-illegal']],
    ['S-illegal', ['S-legal']],
  ]),
};
const words = wordKnowledge(LEXICON, new Lemmatizer());

/** Evidence over raw lines (as a user's list spells them), by normalised pair. */
function evidenceOf(lines: string[]): Map<string, Evidence> {
  const terms = lines.map(normalizeTerm);
  const originals = lines.map((l, i) => (l.trim() === terms[i] ? null : l.trim()));
  const { evidence } = findEvidence({ terms, originals, words });
  return new Map([...evidence].map((e) => [[terms[e.a], terms[e.b]].sort().join(' | '), e]));
}
const kindOf = (found: Map<string, Evidence>, a: string, b: string): string | undefined => found.get([normalizeTerm(a), normalizeTerm(b)].sort().join(' | '))?.kind;

describe('surface keys', () => {
  it('fold NFKC, punctuation and apostrophes, and keep numbers as they are', () => {
    expect(surfaceKey(normalizeTerm('2918 sayılı karayolları traﬁk kanunu'))).toBe('2918 sayılı karayolları trafik kanunu');
    expect(surfaceKey(normalizeTerm('( aldatma )'))).toBe('aldatma');
    expect(surfaceKey(normalizeTerm("Anayasa'nın"))).toBe('anayasanın');
    expect(surfaceKey(normalizeTerm('TCK 53 / 1 a , b'))).toBe('tck 53 1 a b');
  });

  it('tell privative and verbal opposites on one stem', () => {
    expect(privativeOpposites('yetkili', 'yetkisiz')).toBe(true);
    expect(privativeOpposites('yetkisizlik', 'yetkililik')).toBe(true);
    expect(privativeOpposites('yetkili', 'yetkisizlik')).toBe(false);
    expect(verbalOpposites('gelmek', 'gelmemek')).toBe(true);
    expect(verbalOpposites('olan', 'olmayan')).toBe(true);
    expect(verbalOpposites('gelmek', 'gitmek')).toBe(false);
  });
});

describe('term families', () => {
  it('join spellings of one term: punctuation, ligatures, Turkish typed without Turkish letters, the ASCII I, an inflected head', () => {
    const found = evidenceOf([
      'aldatma', '( aldatma )', '- aldatma',
      '2918 sayılı karayolları trafik kanunu', '2918 sayılı karayolları traﬁk kanunu',
      'iş kazası ölüm geliri', 'is kazasi olum geliri',
      'İstanbul Barosu', 'ISTANBUL BAROSU',
      'türk ceza kanunu', 'türk ceza kanununa',
      'bu kabil', 'bu kabîl',
    ]);
    expect(kindOf(found, 'aldatma', '( aldatma )')).toBe('surface');
    expect(kindOf(found, '( aldatma )', '- aldatma')).toBe('surface');
    expect(kindOf(found, '2918 sayılı karayolları trafik kanunu', '2918 sayılı karayolları traﬁk kanunu')).toBe('surface');
    expect(kindOf(found, 'iş kazası ölüm geliri', 'is kazasi olum geliri')).toBe('ascii');
    expect(kindOf(found, 'İstanbul Barosu', 'ISTANBUL BAROSU')).toBe('ascii');
    expect(kindOf(found, 'türk ceza kanunu', 'türk ceza kanununa')).toBe('inflection');
    expect(kindOf(found, 'bu kabil', 'bu kabîl')).toBe('circumflex');
  });

  it('join mixed typing: some Turkish letters kept, an ASCII I read as ı, a name typed in capitals', () => {
    const found = evidenceOf([
      'müsteşar hakkı', 'mustesar hakkı',
      'idamlık şevahit kurulu', 'IDAMLIK SEVAHIT KURULU',
      'Isparta il milli eğitim müdürlüğü', 'ISPARTA IL MILLI EĞITIM MÜDÜRLÜĞÜ',
      'isparta postacı müdürlüğü', 'ISPARTA POSTACI MÜDÜRLÜĞÜ',
    ]);
    expect(kindOf(found, 'müsteşar hakkı', 'mustesar hakkı')).toBe('ascii');
    expect(kindOf(found, 'idamlık şevahit kurulu', 'IDAMLIK SEVAHIT KURULU')).toBe('ascii');
    expect(kindOf(found, 'Isparta il milli eğitim müdürlüğü', 'ISPARTA IL MILLI EĞITIM MÜDÜRLÜĞÜ')).toBe('ascii');
    // Only the name differs, neither spelling a known word: the capital I says how it was typed.
    expect(kindOf(found, 'isparta postacı müdürlüğü', 'ISPARTA POSTACI MÜDÜRLÜĞÜ')).toBe('ascii');
  });

  it('never join two words: a number, kâr and kar, iş and is, a derivation, a negated verb', () => {
    const found = evidenceOf(['2918 sayılı kanun', '2919 sayılı kanun', 'kâr', 'kar', 'iş', 'is', 'vatansız', 'vatansızlık', 'allah versin', 'allah vermesin', 'şeri vekaletname', 'seri vekaletname', 'zeşküp bahçesi', 'zeskup bahçesi']);
    // Both spellings are words (sharia / series): two terms, whatever the typing.
    expect(kindOf(found, 'şeri vekaletname', 'seri vekaletname')).not.toBe('ascii');
    // A name neither side knows, the plain side not all ASCII and without a capital I: left alone.
    expect(kindOf(found, 'zeşküp bahçesi', 'zeskup bahçesi')).toBeUndefined();
    expect(kindOf(found, '2918 sayılı kanun', '2919 sayılı kanun')).toBe('number');
    expect(kindOf(found, 'kâr', 'kar')).toBeUndefined();
    expect(kindOf(found, 'iş', 'is')).toBeUndefined();
    expect(kindOf(found, 'vatansız', 'vatansızlık')).toBeUndefined();
    expect(kindOf(found, 'allah versin', 'allah vermesin')).toBe('negation');
  });
});

describe('acronyms and compositional relations', () => {
  it('find acronyms defined in the list, unique by their initials, or used in phrases that also appear spelt out', () => {
    const found = evidenceOf([
      'Türk Ceza Kanunu', 'TCK',
      'Avrupa İnsan Hakları Mahkemesi', 'Avrupa İnsan Hakları Mahkemesi (AİHM)', 'AIHM',
      'Birleşmiş Milletler', 'BM', 'BM medeni siyasi haklar sözleşmesi', 'Birleşmiş Milletler medeni ve siyasal haklar sözleşmesi',
      'BD', 'bilgi dairesi', 'bakım dairesi',
    ]);
    expect(kindOf(found, 'tck', 'türk ceza kanunu')).toBe('acronym');
    expect(kindOf(found, 'avrupa insan hakları mahkemesi (aihm)', 'avrupa insan hakları mahkemesi')).toBe('acronym');
    expect(kindOf(found, 'AIHM', 'avrupa insan hakları mahkemesi')).toBe('acronym');
    expect(kindOf(found, 'bm', 'birleşmiş milletler')).toBe('acronym');
    expect(kindOf(found, 'bm medeni siyasi haklar sözleşmesi', 'birleşmiş milletler medeni ve siyasal haklar sözleşmesi')).toBe('compositional');
    // Two letters that two phrases spell: ambiguous, left alone.
    expect(kindOf(found, 'bd', 'bilgi dairesi')).toBeUndefined();
  });

  it('read dotted acronyms, and choose among phrases spelling the same initials only by the list itself', () => {
    const found = evidenceOf([
      'Türkiye Cumhuriyeti Merkez Bankası', 'TCMB', 'T.C.M.B.',
      // tdk: one name among phrases with the same initials.
      'Türk Dil Kurumu', 'TDK', 'trabzon dümen kurulu', 'taksalı duvarcı kaydı',
      // sgk: two names; the list uses one of them in the acronym's place.
      'Sosyal Güvenlik Kurumu', 'Sayıştay Genel Kurulu', 'SGK', 'SGK raporu', 'Sosyal Güvenlik Kurumu raporu',
      // mgk: two names, nothing in the list tells them apart.
      'Milli Güvenlik Kurulu', 'Maliye Genel Komisyonu', 'MGK',
      // An acronym that reads as a word typed without Turkish letters (şef) is still an acronym.
      'Salma Eğitim Fonu', 'Salma Eğitim Fonu (SEF)', 'SEF', 'şef',
    ]);
    expect(kindOf(found, 'sef', 'salma eğitim fonu')).toBe('acronym');
    expect(kindOf(found, 'sef', 'şef')).toBeUndefined();
    expect(kindOf(found, 't.c.m.b.', 'tcmb')).toBe('surface');
    expect(kindOf(found, 't.c.m.b.', 'türkiye cumhuriyeti merkez bankası')).toBe('acronym');
    expect(kindOf(found, 'tdk', 'türk dil kurumu')).toBe('acronym');
    expect(kindOf(found, 'tdk', 'trabzon dümen kurulu')).toBeUndefined();
    expect(kindOf(found, 'sgk', 'sosyal güvenlik kurumu')).toBe('acronym');
    expect(kindOf(found, 'sgk', 'sayıştay genel kurulu')).toBeUndefined();
    expect(kindOf(found, 'sgk raporu', 'sosyal güvenlik kurumu raporu')).toBe('compositional');
    expect(kindOf(found, 'mgk', 'milli güvenlik kurulu')).toBeUndefined();
    expect(kindOf(found, 'mgk', 'maliye genel komisyonu')).toBeUndefined();
  });

  it('take the expansion the list uses in the acronym\'s place with one word swapped for a synonym, and no other', () => {
    const found = evidenceOf([
      'Sosyal Güvenlik Kurumu', 'Sayıştay Genel Kurulu', 'SGK',
      // Neither phrase spelt out is in the list; one is, with siyasi written siyasal.
      'SGK siyasi raporu', 'Sosyal Güvenlik Kurumu siyasal raporu', 'Sayıştay Genel Kurulu baro raporu',
      // kara ~ toprak only in kara's second sense: no swap, else both names would be used and sgk left alone.
      'SGK kara raporu', 'Sayıştay Genel Kurulu toprak raporu',
    ]);
    expect(kindOf(found, 'sgk', 'sosyal güvenlik kurumu')).toBe('acronym');
    expect(kindOf(found, 'sgk', 'sayıştay genel kurulu')).toBeUndefined();
  });

  it('phrases one word apart inherit that word pair: synonyms join, siblings and antonyms do not, a most-common-sense test guards polysemy', () => {
    const found = evidenceOf([
      'siyasi parti', 'siyasal parti',
      'baro genel kurulu', 'sayıştay genel kurulu',
      'yasal işlem', 'yasadışı işlem', 'yasal', 'yasal olmayan',
      'yetkili kurul', 'yetkisiz kurul',
      'kara yol', 'toprak yol',
      'eyer kapatmak', 'eyer vurmak',
    ]);
    expect(kindOf(found, 'siyasi parti', 'siyasal parti')).toBe('compositional');
    expect(kindOf(found, 'baro genel kurulu', 'sayıştay genel kurulu')).toBe('sibling');
    expect(kindOf(found, 'yasal işlem', 'yasadışı işlem')).toBe('antonym');
    expect(kindOf(found, 'yasal', 'yasal olmayan')).toBe('negation');
    expect(kindOf(found, 'yetkili kurul', 'yetkisiz kurul')).toBe('negation');
    // kara ~ toprak only in kara's second sense: kara yol is no toprak yol.
    expect(kindOf(found, 'kara yol', 'toprak yol')).toBeUndefined();
    // Verbs the lexicon keeps apart still make idioms of one meaning: left to the model.
    expect(kindOf(found, 'eyer kapatmak', 'eyer vurmak')).toBeUndefined();
  });

  it('find the synonyms of a group larger than SMALL_GROUP by their shared sense, and nothing else without candidate pairs', () => {
    const slot = ['siyasi', 'siyasal', 'kara', 'toprak', 'yasal', 'yasadışı', 'baro', 'sayıştay'];
    const fillers = Array.from({ length: 40 - slot.length }, (_, i) => `zöbrat${i}x`.replace(/\d+/, (d) => 'bcdfgklmnprstvyz'[Number(d) % 16] + 'aeıioöuü'[Math.floor(Number(d) / 16)]));
    const found = evidenceOf([...slot, ...fillers].map((w) => `${w} genel kurulu`));
    expect(kindOf(found, 'siyasi genel kurulu', 'siyasal genel kurulu')).toBe('compositional');
    // kara ~ toprak only in kara's second sense; antonyms and siblings are written for candidate pairs only.
    expect([...found.keys()]).toEqual(['siyasal genel kurulu | siyasi genel kurulu']);
  });

  it('read a template group larger than SMALL_GROUP only through the candidate pairs among its members, asked for once', () => {
    const terms = Array.from({ length: 40 }, (_, i) => normalizeTerm(`${100 + i} sayılı kanun`));
    const originals = terms.map(() => null);
    const asked: number[][] = [];
    const pairedWithin = (members: Uint8Array) => {
      asked.push(Array.from(members));
      // Candidate lists as the store gives them: each pair once, under its first term.
      const lists: Record<number, number[]> = { 0: [5], 7: [8, 9] };
      return (a: number) => lists[a] ?? [];
    };
    const numbers = (found: Iterable<Evidence>) => [...found].filter((e) => e.kind === 'number').map((e) => `${Math.min(e.a, e.b)}-${Math.max(e.a, e.b)}`).sort();
    expect(numbers(findEvidence({ terms, originals, words, pairedWithin }).evidence)).toEqual(['0-5', '7-8', '7-9']);
    // One question, marking every member of the one large group (`_ sayılı kanun`).
    expect(asked).toEqual([terms.map(() => 1)]);
    // Without candidate pairs a large group is read for synonyms only.
    expect(numbers(findEvidence({ terms, originals, words }).evidence)).toEqual([]);
  });
});

describe('surface keys', () => {
  it('take the shortcut only where every step leaves the term as it is', () => {
    // Letters the shortcut admits and characters each step of the full key changes.
    const alphabet = ['a', 'z', 'ç', 'ı', 'i', 'ş', 'â', 'ê', '0', '9', ' ', ' ', 'I', 'İ', 'A', 'ﬁ', '\u0307', 'c\u0327', "'", '’', '.', '-', '(', '\t', 'é', 'ß', '２'];
    const next = mulberry32(7);
    let shortcuts = 0;
    for (let n = 0; n < 20000; n++) {
      const length = 1 + Math.floor(next() * 12);
      const term = Array.from({ length }, () => alphabet[Math.floor(next() * (next() < 0.9 ? 11 : alphabet.length))]).join('');
      expect(surfaceKey(term)).toBe(surfaceKeyInFull(term));
      if (/^[a-z0-9çğıöşüâîûôê]+(?: [a-z0-9çğıöşüâîûôê]+)*$/u.test(term)) shortcuts++;
    }
    expect(shortcuts).toBeGreaterThan(1000);
  });
});
