/**
 * Seeded generator of a realistic Turkish legal/administrative term list with a truth file: the
 * benchmark of issue 13 (real term lists: variants, acronyms and phrases should become clusters).
 *
 *   node dist/scripts/generate-domain-terms.js [--terms 20000] [--seed 1] --out DIR
 *
 * writes DIR/terms.txt (one term a line, what `synograph build --terms` reads) and DIR/truth.json,
 * and prints a JSON summary. The same KeNet, --terms and --seed give the same files.
 *
 * Realism choices. The model is the kind of list users bring (issue 13: a 111k-term legal and
 * administrative list, 82% multiword, with list debris, foreign terms and acronyms). No such list
 * is available here and none may be tuned to, so every share below is our own guess, written down:
 * - Words are real Turkish: KeNet nouns and adjectives whose synset definition mentions the
 *   legal/administrative domain (DOMAIN_STEMS; 80% of slots), other KeNet nouns and adjectives
 *   (20%), KeNet's own multiword noun literals from those synsets, and the hand-written legal
 *   heads, institutions, cities, countries, laws and templates below. The heads' compound
 *   (possessive) forms are written by hand (hak -> hakkı, izin -> izni): Turkish compounding has
 *   too many exceptions to derive them.
 * - About 80% of term lines are multiword (the real list: 82%); lines are shuffled (seeded), since
 *   a sorted list would put variants side by side and the pipeline must not depend on order.
 * - Planted structure (QUOTAS, per 20,000 lines, scaled with --terms, at least one of each): about
 *   10% of terms in variant families, 3% in acronym families, 4% compositional synonyms, 8% in
 *   forbidden pairs (number, name, negation: planted ones and the background's own), 1% sibling
 *   pairs, 3.5% noise lines; the rest is background: template phrases and single words with no
 *   planted relation (7% of terms are KeNet synonyms of another term: `kenet-synonym`).
 * - Casing varies as in pasted lists (12% Title Case, 6% UPPER, 4% Sentence case, all
 *   Turkish-aware, so the normalised form does not change); institution names are Title Case.
 * - Unplanted relations are avoided or recorded, so that the truth is complete where it claims to
 *   be: phrase slots take one literal per KeNet synset (two background phrases are never
 *   compositional synonyms by accident); every term is reduced to a frame (digit runs, city and
 *   country names and negatable words replaced by placeholders) and all terms sharing a frame are
 *   recorded as forbidden pairs, background frames capped at FRAME_CAP terms; KeNet synonyms that
 *   land in the list are recorded as `kenet-synonym` families (what a full build is told: not
 *   planted, scored apart).
 *
 * Truth strings are `normalizeTerm` of the line written (NFC + Turkish lowercase, not NFKC: a
 * ligature spelling is a different term from its plain spelling, as in the database).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { foldCircumflex, kenetPath, loadKenet, normalizeTerm, type KenetSynset } from '../src/lexicon/index.js';
import { mulberry32 } from '../src/util/random.js';

export const VARIANT_KINDS = ['nfkc', 'punctuation', 'ascii', 'ascii-capital', 'circumflex', 'inflection'] as const;
export const PLANTED_FAMILY_KINDS = [...VARIANT_KINDS, 'acronym', 'acronym-phrase', 'compositional'] as const;
export type PlantedFamilyKind = (typeof PLANTED_FAMILY_KINDS)[number];
/** `kenet-synonym`: literals of one KeNet synset that happen to be in the list (told, not planted). */
export type FamilyKind = PlantedFamilyKind | 'kenet-synonym';
export const FORBIDDEN_KINDS = ['number', 'name', 'negation'] as const;
export type ForbiddenKind = (typeof FORBIDDEN_KINDS)[number];
export type SiblingKind = 'institution' | 'kenet-cohyponym';
export const NOISE_KINDS = ['empty', 'punctuation', 'long', 'too-long', 'foreign', 'duplicate', 'same-normalised'] as const;
export type NoiseKind = (typeof NOISE_KINDS)[number];

export interface Family {
  kind: FamilyKind;
  /** Normalised members (distinct). */
  members: string[];
}
export interface TruthPair<K extends string> {
  kind: K;
  a: string;
  b: string;
}
export interface NoiseEntry {
  kind: NoiseKind;
  /** The normalised term the line becomes; null when ingest skips it (empty, too long). */
  norm: string | null;
}

export interface DomainTruth {
  seed: number;
  /** Lines written. */
  terms: number;
  families: Family[];
  /** Pairs that must never share a cluster; a pair extends to the planted families of a and b. */
  forbidden: TruthPair<ForbiddenKind>[];
  /** Co-hyponyms (`baro genel kurulu` / `sayıştay genel kurulu`): should not share a cluster. */
  siblings: TruthPair<SiblingKind>[];
  noise: NoiseEntry[];
}

export interface GeneratedList {
  lines: string[];
  truth: DomainTruth;
  summary: GenerationSummary;
}

export interface GenerationSummary {
  lines: number;
  distinctTerms: number;
  multiwordShare: number;
  families: Record<string, number>;
  forbidden: Record<string, number>;
  siblings: number;
  noise: Record<string, number>;
  /** Quotas a kind could not fill (not enough candidates at this size): planned minus planted. */
  shortfall: Record<string, number>;
}

// ---------------------------------------------------------------------------------------------
// Hand-written Turkish legal material.

/** Definition stems that make a KeNet synset legal/administrative (matched at a word start). */
const DOMAIN_STEMS = [
  'hukuk', 'kanun', 'yasa', 'mahkeme', 'dava', 'yargı', 'ceza', 'suç', 'resm', 'yönetim', 'idare', 'vergi', 'sözleşme', 'mülk', 'miras',
  'borç', 'kamu', 'memur', 'belediye', 'meclis', 'seçim', 'sigorta', 'tanık', 'sanık', 'avukat', 'savcı', 'tutuk', 'hapis', 'icra',
  'iflas', 'kira', 'tapu', 'vatandaş', 'anayasa', 'bakanlık', 'gümrük', 'ihale', 'işçi', 'işveren', 'sendika', 'tazminat', 'noter',
  'dilekçe', 'senet', 'faiz', 'yetki', 'hâkim', 'hakim', 'yönetmelik', 'tüzük', 'maliye', 'devlet', 'hak',
];
/** Definitions of places (provinces, countries, rivers): proper names, not domain words. */
const PLACE_DEFINITION = /başkent|ülke|bölgesi'nde|resmi dili|şehri|ilinin|ırmağı|dağı|kıta/u;

/** Legal heads: bare form and compound (3rd person possessive) form. */
const HEADS: readonly (readonly [string, string])[] = [
  ['kanun', 'kanunu'], ['yönetmelik', 'yönetmeliği'], ['dava', 'davası'], ['sözleşme', 'sözleşmesi'], ['mahkeme', 'mahkemesi'],
  ['hak', 'hakkı'], ['ceza', 'cezası'], ['tazminat', 'tazminatı'], ['suç', 'suçu'], ['karar', 'kararı'], ['usul', 'usulü'],
  ['belge', 'belgesi'], ['müdürlük', 'müdürlüğü'], ['kurul', 'kurulu'], ['başkanlık', 'başkanlığı'], ['daire', 'dairesi'],
  ['komisyon', 'komisyonu'], ['hukuk', 'hukuku'], ['vergi', 'vergisi'], ['sigorta', 'sigortası'], ['sicil', 'sicili'],
  ['rapor', 'raporu'], ['tutanak', 'tutanağı'], ['dilekçe', 'dilekçesi'], ['süre', 'süresi'], ['bedel', 'bedeli'], ['pay', 'payı'],
  ['ödenek', 'ödeneği'], ['yardım', 'yardımı'], ['harç', 'harcı'], ['ilam', 'ilamı'], ['talep', 'talebi'], ['itiraz', 'itirazı'],
  ['şikâyet', 'şikâyeti'], ['teminat', 'teminatı'], ['yükümlülük', 'yükümlülüğü'], ['sorumluluk', 'sorumluluğu'], ['ihlal', 'ihlali'],
  ['tebligat', 'tebligatı'], ['protokol', 'protokolü'], ['genelge', 'genelgesi'], ['tüzük', 'tüzüğü'], ['yönerge', 'yönergesi'],
  ['ücret', 'ücreti'], ['gelir', 'geliri'], ['kaza', 'kazası'], ['izin', 'izni'], ['ruhsat', 'ruhsatı'], ['denetim', 'denetimi'],
  ['soruşturma', 'soruşturması'], ['kovuşturma', 'kovuşturması'], ['yargılama', 'yargılaması'], ['işlem', 'işlemi'],
  ['hizmet', 'hizmeti'], ['borç', 'borcu'], ['alacak', 'alacağı'], ['kayıt', 'kaydı'], ['hüküm', 'hükmü'], ['şart', 'şartı'],
  ['esas', 'esasları'], ['ilke', 'ilkeleri'],
];

/** Institution heads of generated names (compound forms), for acronym families. */
const INSTITUTION_HEADS = [
  'kurumu', 'kurulu', 'başkanlığı', 'genel müdürlüğü', 'bakanlığı', 'derneği', 'vakfı', 'birliği', 'enstitüsü', 'ajansı', 'kanunu',
  'yönetmeliği', 'müsteşarlığı', 'daire başkanlığı', 'üst kurulu', 'teşkilatı', 'fonu', 'merkezi', 'konseyi', 'komisyonu',
];

/** What generated institutions do (`Gümrük Denetim Kurulu`, `Miras Araştırma Enstitüsü`). */
const INSTITUTION_FUNCTIONS = [
  'denetim', 'düzenleme', 'koordinasyon', 'araştırma', 'geliştirme', 'destekleme', 'kalkınma', 'planlama', 'yönetim', 'hizmetleri',
  'işleri', 'güvenlik', 'eğitim', 'uyuşmazlık', 'hakem', 'izleme', 'değerlendirme', 'inceleme', 'danışma', 'yardımlaşma',
];

/** Real names whose acronym is their initials (`ve` skipped); `law` names take article numbers. */
const REAL_NAMES: readonly { name: string; law?: true }[] = [
  { name: 'Avrupa İnsan Hakları Mahkemesi' }, { name: 'Avrupa İnsan Hakları Sözleşmesi' }, { name: 'Birleşmiş Milletler' },
  { name: 'Türk Ceza Kanunu', law: true }, { name: 'Ceza Muhakemesi Kanunu', law: true }, { name: 'Hukuk Muhakemeleri Kanunu', law: true },
  { name: 'Türk Medeni Kanunu', law: true }, { name: 'Türk Borçlar Kanunu', law: true }, { name: 'Türk Ticaret Kanunu', law: true },
  { name: 'İcra ve İflas Kanunu', law: true }, { name: 'Vergi Usul Kanunu', law: true }, { name: 'Gelir Vergisi Kanunu', law: true },
  { name: 'Devlet Memurları Kanunu', law: true }, { name: 'İdari Yargılama Usulü Kanunu', law: true },
  { name: 'Kişisel Verilerin Korunması Kanunu', law: true }, { name: 'Katma Değer Vergisi' }, { name: 'Özel Tüketim Vergisi' },
  { name: 'Sosyal Güvenlik Kurumu' }, { name: 'Hâkimler ve Savcılar Kurulu' }, { name: 'Türkiye Büyük Millet Meclisi' },
  { name: 'Sermaye Piyasası Kurulu' }, { name: 'Bankacılık Düzenleme ve Denetleme Kurumu' }, { name: 'Enerji Piyasası Düzenleme Kurumu' },
  { name: 'Kamu İhale Kurumu' }, { name: 'Türk Standartları Enstitüsü' }, { name: 'Milli Eğitim Bakanlığı' },
  { name: 'Türk Silahlı Kuvvetleri' }, { name: 'Emniyet Genel Müdürlüğü' }, { name: 'Milli Güvenlik Kurulu' },
  { name: 'Dünya Ticaret Örgütü' }, { name: 'Birleşmiş Milletler Güvenlik Konseyi' }, { name: 'Radyo ve Televizyon Üst Kurulu' },
  { name: 'Türkiye Barolar Birliği' }, { name: 'Türk Tabipleri Birliği' }, { name: 'Türkiye Odalar ve Borsalar Birliği' },
  { name: 'Çalışma ve Sosyal Güvenlik Bakanlığı' }, { name: 'Vergi Denetim Kurulu' }, { name: 'Özelleştirme İdaresi Başkanlığı' },
  { name: 'Gelir İdaresi Başkanlığı' }, { name: 'Tapu ve Kadastro Genel Müdürlüğü' }, { name: 'Devlet Planlama Teşkilatı' },
  { name: 'Avrupa Güvenlik ve İşbirliği Teşkilatı' }, { name: 'İnsan Hakları Evrensel Beyannamesi' }, { name: 'Uluslararası Ceza Mahkemesi' },
  { name: 'Uluslararası Adalet Divanı' }, { name: 'Avrupa Birliği Adalet Divanı' }, { name: 'Türkiye Cumhuriyeti Merkez Bankası' },
  { name: 'Tüketici Hakem Heyeti' }, { name: 'İş Sağlığı ve Güvenliği' }, { name: 'Kamu Görevlileri Etik Kurulu' }, { name: 'Türk Dil Kurumu' },
  { name: 'Askerî Yüksek İdare Mahkemesi' },
];

/** Provinces whose name is not also a common word (ordu, van, aydın, tokat, uşak ... left out). */
const CITIES = (
  'istanbul ankara izmir bursa antalya adana konya gaziantep şanlıurfa kocaeli diyarbakır hatay manisa kayseri balıkesir ' +
  'kahramanmaraş denizli sakarya tekirdağ muğla eskişehir malatya trabzon erzurum sivas elazığ afyonkarahisar zonguldak çorum ' +
  'kütahya edirne çanakkale giresun kastamonu yozgat niğde nevşehir kırklareli bolu karabük bilecik amasya artvin siirt erzincan ' +
  'aksaray kırıkkale kırşehir osmaniye isparta burdur yalova bartın ardahan iğdır bingöl tunceli gümüşhane bayburt hakkari şırnak ' +
  'mardin sinop rize kars çankırı adıyaman kilis bitlis'
).split(' ');
/** Countries (mısır, katar, ispanya left out: also common words). */
const COUNTRIES = (
  'almanya fransa italya hollanda belçika avusturya isviçre yunanistan bulgaristan romanya macaristan polonya rusya ukrayna ' +
  'gürcistan azerbaycan iran irak suriye japonya çin hindistan kanada brezilya meksika kuveyt ürdün'
).split(' ');
const NAMES = new Set([...CITIES, ...COUNTRIES]);

const CITY_TEMPLATES = [
  '@ barosu', '@ büyükşehir belediyesi', '@ valiliği', '@ cumhuriyet başsavcılığı', '@ bölge adliye mahkemesi', '@ ticaret odası',
  '@ defterdarlığı', '@ vergi dairesi başkanlığı', '@ üniversitesi hukuk fakültesi', '@ il sağlık müdürlüğü', '@ adliyesi',
  '@ ticaret sicili müdürlüğü', '@ tapu müdürlüğü', '@ icra dairesi', '@ il milli eğitim müdürlüğü', '@ sanayi odası',
  '@ X müdürlüğü', '@ il X müdürlüğü', '@ X mahkemesi', '@ X odası', '@ X birliği', '@ X kurulu', '@ X dairesi',
];
const COUNTRY_TEMPLATES = [
  'türkiye-@ çifte vergilendirmeyi önleme anlaşması', 'türkiye ile @ arasında yatırımların karşılıklı teşviki ve korunması anlaşması',
  '@ büyükelçiliği', '@ vatandaşlığı', '@ başkonsolosluğu', 'türkiye-@ serbest ticaret anlaşması', '@ ile adli yardımlaşma sözleşmesi',
  'türkiye-@ X anlaşması', '@ X ataşeliği', '@ X mevzuatı',
];
/** Number slots and their ranges: a law number, a court or chamber ordinal, an article, a year, a paragraph. */
const NUMBER_RANGES: Record<string, readonly [number, number]> = { law: [1000, 7500], ord: [1, 40], art: [1, 450], year: [1980, 2025], para: [1, 9], seq: [1, 60] };
/** `{law}` ... are numbers (NUMBER_RANGES), `X` a slot noun, `L` a law acronym (written upper case). */
const NUMBER_TEMPLATES = [
  '{law} sayılı X kanunu', '{law} sayılı X hakkında kanun', '{law} sayılı kanun hükmünde kararname', 'L {art}. maddesi', 'L {art}. madde',
  '{ord}. asliye hukuk mahkemesi', '{ord}. asliye ceza mahkemesi', '{ord}. ağır ceza mahkemesi', '{ord}. iş mahkemesi',
  '{ord}. idare mahkemesi', '{ord}. vergi mahkemesi', '{ord}. sulh hukuk mahkemesi', '{ord}. icra dairesi', 'yargıtay {ord}. hukuk dairesi',
  'yargıtay {ord}. ceza dairesi', 'danıştay {ord}. dairesi', '{year} yılı merkezi yönetim bütçe kanunu', '{year} yılı kesin hesap kanunu',
  '{year}/{seq} sayılı genelge', 'L {art} / {para} a , b maddesi', 'L {art} / {para} a , b , d , e maddesi', 'L {art} / {para} - c maddesi',
  '{year} yılı X raporu', 'X kanunu {art}. maddesi', '{law} sayılı kanunun {art}. maddesi',
];
/** Datives for `... uygun` / `... aykırı`, written by hand (buffer letters and softening). */
const DATIVES = [
  'kanuna', 'hukuka', 'usule', 'yasaya', 'sözleşmeye', 'anayasaya', 'genel ahlaka', 'kamu düzenine', 'mevzuata', 'esasa', 'emsale',
  'şekle', 'talimata', 'yönetmeliğe', 'tüzüğe', 'hakkaniyete', 'dürüstlük kuralına', 'kamu yararına', 'amaca', 'gerçeğe',
];
const ACTS = ['eylem', 'işlem', 'karar', 'davranış', 'fiil', 'sözleşme hükmü', 'uygulama', 'şart', 'yargılama', 'idari işlem', 'düzenleme', 'beyan'];
/** Sister institutions and the bodies they all have: co-hyponym pairs. */
const INSTITUTIONS = [
  'baro', 'sayıştay', 'danıştay', 'yargıtay', 'noterler birliği', 'barolar birliği', 'ticaret odası', 'sanayi odası', 'tabipler birliği',
  'mühendisler odası', 'belediye', 'il genel meclisi', 'üniversite', 'sendika', 'kooperatif',
];
const INSTITUTION_BODIES = ['genel kurulu', 'yönetim kurulu', 'disiplin kurulu', 'denetim kurulu', 'başkanı', 'yönetmeliği'];

/** Real English, French and Latin legal terms found in Turkish lists. */
const FOREIGN_TERMS = [
  'due process', 'habeas corpus', 'force majeure', 'pacta sunt servanda', 'res judicata', 'bona fide', 'mala fide', 'prima facie',
  'ultra vires', 'amicus curiae', 'stare decisis', 'mens rea', 'actus reus', 'ne bis in idem', 'nulla poena sine lege',
  'in dubio pro reo', 'lex specialis', 'lex posterior derogat priori', 'erga omnes', 'ex officio', 'ex post facto', 'de facto',
  'de jure', 'inter alia', 'obiter dictum', 'ratio decidendi', 'sui generis', 'jus cogens', 'rebus sic stantibus', 'persona non grata',
  'corpus delicti', 'in absentia', 'pro bono', 'quid pro quo', 'locus standi', 'forum non conveniens', 'rule of law', 'judicial review',
  'burden of proof', 'class action', 'due diligence', 'fair trial', 'plea bargain', 'common law', 'estoppel', 'injunction', 'subpoena',
  'affidavit', 'arbitration', 'joint venture', 'droit administratif', 'conseil d’état', 'cour de cassation', 'acquis communautaire',
  'état de droit', 'ordre public', 'fait accompli', 'exequatur', 'lex loci delicti', 'culpa in contrahendo', 'contra legem',
];
const PUNCTUATION_LINES = ['-', '--', '—', '...', '…', '( )', '()', ';', ':', ',', '.', '*', '•', '/', '"', "'", '#', '-.-', '[ ]', '=', '_'];
/** Debris around a term: `- ihya`, `( aldatma )`, a trailing `.` or `;` ... */
const DEBRIS: readonly ((t: string) => string)[] = [
  (t) => `- ${t}`, (t) => `( ${t} )`, (t) => `(${t})`, (t) => `${t} .`, (t) => `${t}.`, (t) => `${t};`, (t) => `${t} ,`, (t) => `" ${t} "`,
  (t) => `“${t}”`, (t) => `* ${t}`, (t) => `• ${t}`, (t) => `${t} :`, (t) => `[${t}]`, (t) => `${t} -`,
];

/** Planted items per 20,000 lines (families, pairs or lines); scaled with --terms, at least 1. */
const QUOTAS = {
  nfkc: 60, punctuation: 200, ascii: 250, 'ascii-capital': 100, circumflex: 80, inflection: 250,
  acronym: 150, 'acronym-phrase': 80, compositional: 400,
  number: 250, name: 200, negation: 200,
  institution: 50, 'kenet-cohyponym': 50,
  empty: 80, punctuationLine: 40, long: 30, 'too-long': 10, foreign: 60, duplicate: 300, 'same-normalised': 150,
} as const;
type QuotaName = keyof typeof QUOTAS;

/** Terms at most per frame in the background, so that forbidden groups stay pairs and triples. */
const FRAME_CAP = 4;
const MULTIWORD_TARGET = 0.8;
const WORD = /^[a-zçğıöşüâîû]{3,14}$/u;
/** Latin taxon names (`canidae`) are KeNet literals but not Turkish words of a legal list. */
const TAXON = /(?:idae|aceae|ineae|oidea|formes|ales|phyta|poda)$/u;
const PHRASE = /^[a-zçğıöşüâîû]+( [a-zçğıöşüâîû]+){1,3}$/u;

// ---------------------------------------------------------------------------------------------
// Turkish string helpers.

const ASCII_FOLD: Record<string, string> = { ç: 'c', ğ: 'g', ı: 'i', ö: 'o', ş: 's', ü: 'u', â: 'a', î: 'i', û: 'u', Ç: 'C', Ğ: 'G', İ: 'I', Ö: 'O', Ş: 'S', Ü: 'U', Â: 'A', Î: 'I', Û: 'U' };
/** Turkish written without Turkish letters (ç -> c, ğ -> g, ı -> i, ö -> o, ş -> s, ü -> u, circumflex dropped). */
export function asciiFold(text: string): string {
  return text.replace(/[çğıöşüâîûÇĞİÖŞÜÂÎÛ]/gu, (c) => ASCII_FOLD[c] ?? c);
}
const upper = (s: string): string => s.toLocaleUpperCase('tr-TR');
const titleCase = (s: string): string => s.split(' ').map((w) => (w === 've' || w === 'ile' ? w : upper(w.slice(0, 1)) + w.slice(1))).join(' ');

/** Initials of a name, Turkish-aware (`İnsan` -> `İ`), `ve` / `ile` skipped. */
export function acronymOf(name: string): string {
  return name
    .split(/\s+/u)
    .filter((w) => w.length > 0 && !['ve', 'ile'].includes(w.toLocaleLowerCase('tr-TR')))
    .map((w) => upper(w.slice(0, 1)))
    .join('');
}

const BACK = new Set(['a', 'ı', 'o', 'u', 'â', 'û']);
function lastVowel(word: string): string {
  for (let i = word.length - 1; i >= 0; i--) if ('aıoueiöüâîû'.includes(word[i])) return word[i];
  return 'e';
}
/** Case forms of a compound head ending in its possessive vowel (`kanunu` -> `kanununa`): the n-buffer and vowel harmony. */
function caseForms(word: string): string[] {
  const v = lastVowel(word);
  const two = BACK.has(v) ? 'a' : 'e';
  const four = v === 'a' || v === 'ı' || v === 'â' ? 'ı' : v === 'o' || v === 'u' || v === 'û' ? 'u' : v === 'ö' || v === 'ü' ? 'ü' : 'i';
  return [`${word}n${two}`, `${word}nd${two}`, `${word}nd${two}n`, `${word}n${four}n`, `${word}n${four}`];
}

const FULLWIDTH_OFFSET = 0xff41 - 0x61;
/** A word's ASCII letters as full-width forms (as pasted from CJK-encoded sources). */
const fullWidth = (w: string): string => w.replace(/[a-z]/gu, (c) => String.fromCharCode(c.charCodeAt(0) + FULLWIDTH_OFFSET));

// ---------------------------------------------------------------------------------------------
// Frames: what a term is once numbers, names and negatable words are taken out.

interface Frame {
  key: string;
  /** Slot values in order, with their kind. */
  slots: { kind: ForbiddenKind; value: string }[];
}

function frameOf(norm: string, negation: ReadonlyMap<string, string>): Frame | null {
  const slots: Frame['slots'] = [];
  const key = norm.replace(/\d+|[a-zçğıöşüâîû]+/gu, (token) => {
    if (/^\d/u.test(token)) return slots.push({ kind: 'number', value: token }), '#';
    if (NAMES.has(token)) return slots.push({ kind: 'name', value: token }), '@';
    const neg = negation.get(token);
    if (neg !== undefined) return slots.push({ kind: 'negation', value: token }), `¬${neg}`;
    return token;
  });
  return slots.length > 0 ? { key, slots } : null;
}

// ---------------------------------------------------------------------------------------------
// What KeNet gives the generator.

interface Lexicon {
  synsetsOf: Map<string, KenetSynset[]>;
  /** Domain and other single-word nouns and adjectives (for single-word terms). */
  domainWords: string[];
  otherWords: string[];
  /** One literal per synset: phrase slots. */
  slotNouns: string[];
  slotAdjectives: string[];
  /** KeNet multiword noun literals of domain synsets, one per synset. */
  kenetPhrases: string[];
  /** Monosemous single-word synonyms (n/a), domain ones first in preference. */
  synonymSets: { pos: string; domain: boolean; words: string[] }[];
  circumflex: CircumflexPair[];
  /** -lI / -sIz adjective pairs, domain ones flagged. */
  negPairs: { yes: string; no: string; domain: boolean }[];
  /** Every negatable word -> its pair key. */
  negation: Map<string, string>;
  /** Sibling synsets' monosemous single-word nouns under one hypernym. */
  cohyponyms: [string, string][];
}

/** Normalised literal -> the synsets holding it, in file order. */
export function literalSynsets(synsets: readonly KenetSynset[]): Map<string, KenetSynset[]> {
  const synsetsOf = new Map<string, KenetSynset[]>();
  for (const s of synsets)
    for (const l of s.literals) {
      const list = synsetsOf.get(l.norm);
      if (!list) synsetsOf.set(l.norm, [s]);
      else if (!list.includes(s)) list.push(s);
    }
  return synsetsOf;
}

function buildLexicon(synsets: readonly KenetSynset[]): Lexicon {
  const synsetsOf = literalSynsets(synsets);
  const stems = new RegExp(`(?:^|[^a-zçğıöşüâîû])(?:${DOMAIN_STEMS.join('|')})`, 'u');
  const isDomain = (s: KenetSynset): boolean => {
    const d = s.definition?.toLocaleLowerCase('tr-TR');
    return d !== undefined && stems.test(d) && !PLACE_DEFINITION.test(d);
  };
  const nounOrAdj = (s: KenetSynset): boolean => s.pos === 'n' || s.pos === 'a';
  const headWords = new Set(HEADS.flat());

  // -lI / -sIz adjective pairs: the negation slots.
  const adjectives = new Set<string>();
  for (const s of synsets) if (s.pos === 'a') for (const l of s.literals) adjectives.add(l.norm);
  const negPairs: Lexicon['negPairs'] = [];
  const negation = new Map<string, string>([['olan', 'olan'], ['olmayan', 'olan'], ['uygun', 'uygun'], ['aykırı', 'uygun']]);
  const NEG_SUFFIX: Record<string, string> = { lı: 'sız', li: 'siz', lu: 'suz', lü: 'süz' };
  for (const yes of adjectives) {
    const m = /^([a-zçğıöşüâîû]{2,})(lı|li|lu|lü)$/u.exec(yes);
    if (!m) continue;
    const no = m[1] + NEG_SUFFIX[m[2]];
    if (!adjectives.has(no)) continue;
    const shared = synsetsOf.get(yes)!.some((s) => synsetsOf.get(no)!.includes(s));
    if (shared) continue;
    negation.set(yes, m[1]);
    negation.set(no, m[1]);
    negPairs.push({ yes, no, domain: [...synsetsOf.get(yes)!, ...synsetsOf.get(no)!].some(isDomain) });
  }

  const usable = (w: string): boolean => WORD.test(w) && !TAXON.test(w) && !NAMES.has(w) && !negation.has(w);
  const domainWords: string[] = [];
  const otherWords: string[] = [];
  const seen = new Set<string>();
  for (const s of synsets) {
    if (!nounOrAdj(s)) continue;
    for (const l of s.literals) {
      if (seen.has(l.norm) || !usable(l.norm)) continue;
      seen.add(l.norm);
      (synsetsOf.get(l.norm)!.some(isDomain) ? domainWords : otherWords).push(l.norm);
    }
  }

  // One literal per synset for phrase slots: two slot words are never KeNet synonyms.
  const taken = new Set<KenetSynset>();
  const slotNouns: string[] = [];
  const slotAdjectives: string[] = [];
  for (const w of domainWords) {
    const own = synsetsOf.get(w)!;
    if (own.some((s) => taken.has(s)) || headWords.has(w)) continue;
    for (const s of own) taken.add(s);
    const pos = own[0].pos;
    (pos === 'a' ? slotAdjectives : slotNouns).push(w);
  }
  const kenetPhrases: string[] = [];
  for (const s of synsets) {
    if (s.pos !== 'n' || !isDomain(s) || taken.has(s)) continue;
    const phrase = s.literals.find((l) => PHRASE.test(l.norm) && !l.norm.split(' ').some((t) => NAMES.has(t) || negation.has(t)));
    if (!phrase) continue;
    taken.add(s);
    kenetPhrases.push(phrase.norm);
  }

  // Monosemous synonyms: both words in this one synset only, not spelling variants of each other.
  const synonymSets: Lexicon['synonymSets'] = [];
  for (const s of synsets) {
    if (!nounOrAdj(s)) continue;
    const words: string[] = [];
    for (const l of s.literals) {
      if (!usable(l.norm) || synsetsOf.get(l.norm)!.length !== 1) continue;
      const key = asciiFold(foldCircumflex(l.norm));
      if (words.some((w) => asciiFold(foldCircumflex(w)) === key)) continue;
      words.push(l.norm);
    }
    if (words.length >= 2) synonymSets.push({ pos: s.pos!, domain: isDomain(s), words });
  }

  const circumflex = sameWordCircumflex(synsetsOf, isDomain).filter((c) => usable(c.plain));

  // Co-hyponyms: monosemous single-word nouns of two sibling synsets.
  const byId = new Map(synsets.map((s) => [s.id, s]));
  const children = new Map<string, KenetSynset[]>();
  for (const s of synsets) {
    if (s.pos !== 'n' || !isDomain(s)) continue;
    for (const r of s.relations) if (r.type === 'HYPERNYM' && byId.has(r.target)) children.set(r.target, [...(children.get(r.target) ?? []), s]);
  }
  const cohyponyms: [string, string][] = [];
  for (const kids of children.values()) {
    const words = kids.map((k) => k.literals.find((l) => usable(l.norm) && synsetsOf.get(l.norm)!.length === 1)?.norm).filter((w): w is string => w !== undefined);
    for (let i = 0; i + 1 < words.length; i += 2) cohyponyms.push([words[i], words[i + 1]]);
  }

  return { synsetsOf, domainWords, otherWords, slotNouns, slotAdjectives, kenetPhrases, synonymSets, circumflex, negPairs, negation, cohyponyms };
}

/** A spelling with a circumflex and its plain spelling, the same word. */
export interface CircumflexPair {
  word: string;
  plain: string;
  pos: string;
  domain: boolean;
  /** Planted only inside a phrase that fixes the sense (`hâkim kararı`, never `hakim` alone). */
  phraseOnly: boolean;
}

/**
 * Same word in a legal phrase although KeNet gives the plain spelling other senses: `hakim` is
 * also `hakîm` (wise; God), which a legal phrase never means.
 */
const CIRCUMFLEX_IN_PHRASES = new Map([['hâkim', 'hakim']]);

/**
 * Circumflex spellings whose plain spelling is the same word: the two share a synset and every
 * synset of the plain spelling holds a circumflex spelling of it (`adlî` / `adli`). `kâr` / `kar`
 * fails (kar is also snow), so does `âlâ` / `ala` (speckled); `hâkim` / `hakim` is allowed in
 * phrases only (CIRCUMFLEX_IN_PHRASES).
 */
export function sameWordCircumflex(synsetsOf: ReadonlyMap<string, readonly KenetSynset[]>, isDomain: (s: KenetSynset) => boolean = () => false): CircumflexPair[] {
  const out: CircumflexPair[] = [];
  for (const [word, own] of synsetsOf) {
    const plain = foldCircumflex(word);
    const plainSynsets = synsetsOf.get(plain);
    if (plain === word || !plainSynsets || !WORD.test(plain) || !own.some((s) => plainSynsets.includes(s))) continue;
    const unexplained = plainSynsets.some((s) => !s.literals.some((l) => l.norm !== plain && foldCircumflex(l.norm) === plain));
    const phraseOnly = CIRCUMFLEX_IN_PHRASES.get(word) === plain;
    if (unexplained && !phraseOnly) continue;
    // A phrase-only word is planted in its noun sense (`hâkim kararı`: the judge's decision).
    const pos = phraseOnly ? 'n' : own.find((s) => s.pos === 'n' || s.pos === 'a')?.pos;
    if (pos) out.push({ word, plain, pos, domain: own.some(isDomain), phraseOnly });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The generator.

export interface GenerateOptions {
  terms: number;
  seed: number;
}

interface AcronymEntry {
  name: string;
  acronym: string;
  law: boolean;
}

export function generateDomainList(synsets: readonly KenetSynset[], options: GenerateOptions): GeneratedList {
  const lex = buildLexicon(synsets);
  const rand = mulberry32(options.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const chance = (p: number): boolean => rand() < p;
  const int = (lo: number, hi: number): number => lo + Math.floor(rand() * (hi - lo + 1));
  /** Fisher-Yates in place (seeded). */
  const shuffle = <T>(xs: T[]): T[] => {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [xs[i], xs[j]] = [xs[j], xs[i]];
    }
    return xs;
  };
  const scale = options.terms / 20_000;
  const quota = (name: QuotaName): number => Math.max(1, Math.round(QUOTAS[name] * scale));

  const lines: string[] = [];
  /** Normalised term -> how it got into the list ('bg', 'family', 'pair', 'noise'). */
  const owner = new Map<string, string>();
  const frameCount = new Map<string, number>();
  const families: Family[] = [];
  const siblings: TruthPair<SiblingKind>[] = [];
  const noise: NoiseEntry[] = [];
  const shortfall: Record<string, number> = {};
  const kenetNorms = lex.synsetsOf;

  const isFree = (norm: string): boolean => !owner.has(norm);
  const frameRoom = (norm: string, cap: number): boolean => {
    const f = frameOf(norm, lex.negation);
    return f === null || (frameCount.get(f.key) ?? 0) < cap;
  };
  const emit = (line: string, tag: string): void => {
    const norm = normalizeTerm(line);
    lines.push(line);
    if (!owner.has(norm)) {
      owner.set(norm, tag);
      const f = frameOf(norm, lex.negation);
      if (f) frameCount.set(f.key, (frameCount.get(f.key) ?? 0) + 1);
    }
  };
  /** How pasted lists write a term: mostly as is, sometimes Title Case, UPPER or Sentence case. */
  const recase = (text: string): string => {
    const r = rand();
    if (r < 0.78) return text;
    if (r < 0.9) return titleCase(text);
    if (r < 0.96) return upper(text);
    return upper(text.slice(0, 1)) + text.slice(1);
  };
  /** Tries `make` up to `tries` times; counts what the quota could not fill. */
  const fill = (name: string, count: number, make: () => boolean, tries = 60): void => {
    let done = 0;
    for (let attempt = 0; done < count && attempt < count * tries; attempt++) if (make()) done++;
    if (done < count) shortfall[name] = count - done;
  };
  /**
   * A family: every spelling new and distinct once normalised, lines written as given; with
   * `ofExisting`, the first spelling is a term already written (an acronym family's name).
   */
  const plantFamily = (kind: FamilyKind, spellings: string[], ofExisting = false): boolean => {
    const norms = spellings.map(normalizeTerm);
    const fresh = ofExisting ? norms.slice(1) : norms;
    if (new Set(norms).size !== norms.length || (ofExisting && isFree(norms[0]))) return false;
    if (!fresh.every(isFree) || !fresh.every((n) => frameRoom(n, FRAME_CAP))) return false;
    spellings.forEach((s, i) => (i > 0 || !ofExisting) && emit(s, 'family'));
    families.push({ kind, members: norms });
    return true;
  };

  // Phrase makers (lowercase canonical text).
  const noun = (): string => pick(lex.slotNouns);
  const adjective = (): string => pick(lex.slotAdjectives);
  const head = (): readonly [string, string] => pick(HEADS);
  const compoundPhrase = (): string => {
    const r = rand();
    if (r < 0.4) return `${noun()} ${head()[1]}`;
    if (r < 0.6) return `${adjective()} ${noun()}`;
    if (r < 0.75) return `${adjective()} ${noun()} ${head()[1]}`;
    if (r < 0.9) return `${noun()} ${noun()} ${head()[1]}`;
    return `${adjective()} ${head()[0]}`;
  };
  /** A number template filled, with the numbers drawn (in order). */
  const numberPhrase = (template: string): { text: string; values: number[] } => {
    const values: number[] = [];
    const text = template
      .replace(/\{(\w+)\}/gu, (_, kind: string) => {
        const [lo, hi] = NUMBER_RANGES[kind];
        values.push(int(lo, hi));
        return String(values[values.length - 1]);
      })
      .replace('X', () => noun())
      .replace('L', () => upper(pick(laws).acronym));
    return { text, values };
  };
  const cityPhrase = (template: string, name: string): string => template.replace('@', name).replace('X', () => noun());
  const negationPair = (): [string, string] => {
    const r = rand();
    if (r < 0.5) {
      const domain = lex.negPairs.filter((p) => p.domain);
      const p = pick(domain.length > 0 && chance(0.7) ? domain : lex.negPairs);
      const tail = chance(0.5) ? noun() : pick(HEADS)[0];
      return [`${p.yes} ${tail}`, `${p.no} ${tail}`];
    }
    if (r < 0.75) {
      const a = adjective();
      const n = chance(0.5) ? noun() : head()[0];
      return [`${a} olan ${n}`, `${a} olmayan ${n}`];
    }
    const d = pick(DATIVES);
    const act = pick(ACTS);
    return [`${d} uygun ${act}`, `${d} aykırı ${act}`];
  };
  const backgroundPhrase = (): string => {
    const r = rand();
    if (r < 0.7) return compoundPhrase();
    if (r < 0.82 && lex.kenetPhrases.length > 0) return pick(lex.kenetPhrases);
    if (r < 0.88) return numberPhrase(pick(NUMBER_TEMPLATES)).text;
    if (r < 0.94) return chance(0.7) ? cityPhrase(pick(CITY_TEMPLATES), pick(CITIES)) : cityPhrase(pick(COUNTRY_TEMPLATES), pick(COUNTRIES));
    const pair = negationPair();
    return pair[int(0, 1)];
  };
  // A few -lI / -sIz adjectives stand alone too (`yetkili`, `yetkisiz`): their frames record the pairs.
  const singleWord = (): string => {
    if (chance(0.03)) {
      const p = pick(lex.negPairs);
      return chance(0.5) ? p.yes : p.no;
    }
    return chance(0.8) ? pick(lex.domainWords) : pick(lex.otherWords);
  };
  /** A base for a variant family: a new background-like term passing `ok`. */
  const base = (make: () => string, ok: (t: string) => boolean): string | null => {
    for (let i = 0; i < 200; i++) {
      const t = make();
      const norm = normalizeTerm(t);
      if (ok(t) && isFree(norm) && frameRoom(norm, FRAME_CAP)) return t;
    }
    return null;
  };

  // --- Acronym families first: their names also feed law templates and acronym phrases.
  const acronyms: AcronymEntry[] = [];
  const laws: AcronymEntry[] = [];
  const usedAcronyms = new Set<string>();
  const acronymFree = (acr: string): boolean => {
    const n = normalizeTerm(acr);
    return acr.length >= 2 && !usedAcronyms.has(n) && !kenetNorms.has(n) && isFree(n);
  };
  const realNames = shuffle([...REAL_NAMES]);
  const plantAcronym = (name: string, law: boolean): boolean => {
    const acronym = acronymOf(name);
    if (!acronymFree(acronym) || !isFree(normalizeTerm(name))) return false;
    const spellings = [name, acronym];
    if (chance(0.4)) spellings.push(`${name} (${acronym})`);
    if (chance(0.1)) spellings.push([...acronym].join('.') + '.');
    if (!plantFamily('acronym', spellings)) return false;
    usedAcronyms.add(normalizeTerm(acronym));
    const entry = { name, acronym, law };
    acronyms.push(entry);
    if (law) laws.push(entry);
    return true;
  };
  let realIndex = 0;
  fill('acronym', quota('acronym'), () => {
    if (realIndex < realNames.length) {
      const r = realNames[realIndex++];
      return plantAcronym(r.name, r.law === true);
    }
    const words = [chance(0.7) ? noun() : adjective(), pick(INSTITUTION_FUNCTIONS)];
    if (chance(0.3)) words.unshift(pick(['türkiye', 'ulusal', 'kamu', 'merkezi', 'bölge']));
    const instHead = pick(INSTITUTION_HEADS);
    const acr = acronymOf([...words, instHead].join(' '));
    if (acr.length < 3 || acr.length > 5) return false;
    return plantAcronym(titleCase(`${words.join(' ')} ${instHead}`), instHead === 'kanunu');
  });
  if (laws.length === 0) laws.push({ name: 'Türk Ceza Kanunu', acronym: 'TCK', law: true });

  fill('acronym-phrase', quota('acronym-phrase'), () => {
    const a = pick(acronyms);
    const lower = a.name.toLocaleLowerCase('tr-TR');
    const suffix = a.law
      ? pick([`${int(1, 450)}. maddesi`, 'gerekçesi', 'değişikliği', 'uygulama yönetmeliği', 'kapsamında suç'])
      : /mahkemesi$|divanı$/u.test(lower)
        ? pick(['kararı', 'içtihadı', 'başvurusu', 'üyesi', 'yargıcı'])
        : pick(['başkanı', 'raporu', 'kararı', 'üyesi', 'genelgesi', 'yönetmeliği', 'denetimi']);
    return plantFamily('acronym-phrase', [`${a.acronym} ${suffix}`, `${a.name} ${suffix}`]);
  });

  // --- Variant families.
  fill('nfkc', quota('nfkc'), () => {
    const ligature = chance(0.5);
    const t = base(compoundPhrase, (x) => (ligature ? /f[il]/u.test(x) : /[a-z]/u.test(x)));
    if (t === null) return false;
    const lig = (x: string): string => x.replace(/fi/gu, 'ﬁ').replace(/fl/gu, 'ﬂ');
    const words = t.split(' ');
    const k = words.findIndex((w) => /[a-z]/u.test(w));
    const wide = (x: string): string => x.split(' ').map((w, i) => (i === k ? (chance(0.5) ? fullWidth(w) : upper(fullWidth(w))) : w)).join(' ');
    const spellings = [t, ligature ? lig(t) : wide(t)];
    if (ligature && chance(0.3)) spellings.push(wide(t));
    return plantFamily('nfkc', spellings);
  });
  fill('punctuation', quota('punctuation'), () => {
    const t = base(() => (chance(0.5) ? singleWord() : compoundPhrase()), () => true);
    if (t === null) return false;
    const first = pick(DEBRIS);
    const spellings = [recase(t), first(t)];
    if (chance(0.3)) spellings.push(pick(DEBRIS)(t));
    return plantFamily('punctuation', spellings);
  });
  fill('ascii', quota('ascii'), () => {
    // Sometimes an institution's name already in the list (`Turk Ceza Kanunu`): the variant joins its acronym family.
    const named = pick(acronyms);
    if (chance(0.1) && asciiFold(named.name) !== named.name) return plantFamily('ascii', [named.name, asciiFold(named.name)], true);
    const t = base(compoundPhrase, (x) => asciiFold(x) !== x);
    return t !== null && plantFamily('ascii', [recase(t), chance(0.2) ? upper(asciiFold(t)).replace(/İ/gu, 'I') : asciiFold(t)]);
  });
  fill('ascii-capital', quota('ascii-capital'), () => {
    const t = base(() => (chance(0.5) ? cityPhrase(pick(CITY_TEMPLATES), pick(CITIES)) : compoundPhrase()), (x) => x.includes('i'));
    if (t === null) return false;
    const caps = upper(t).replace(/İ/gu, 'I');
    return plantFamily('ascii-capital', [t, chance(0.3) ? asciiFold(caps) : caps]);
  });
  fill('circumflex', quota('circumflex'), () => {
    const domain = lex.circumflex.filter((c) => c.domain);
    const c = pick(domain.length > 0 && chance(0.7) ? domain : lex.circumflex);
    // Alone (25%), or as the modifier of a phrase: an adjective before a noun, a noun before a head.
    const tail = chance(0.25) && !c.phraseOnly ? '' : c.pos === 'a' ? ` ${chance(0.5) ? noun() : `${noun()} ${head()[1]}`}` : ` ${head()[1]}`;
    const spellings = chance(0.5) ? [c.word + tail, c.plain + tail] : [c.plain + tail, c.word + tail];
    return plantFamily('circumflex', spellings);
  });
  fill('inflection', quota('inflection'), () => {
    const heads = new Set(HEADS.map((h) => h[1]));
    // Sometimes a law already in the list by name (`Türk Ceza Kanunu` / `Türk Ceza Kanununa`).
    if (chance(0.1) && laws.length > 0) {
      const name = pick(laws).name;
      const cut = name.lastIndexOf(' ');
      const form = pick(caseForms(name.slice(cut + 1).toLocaleLowerCase('tr-TR')));
      return plantFamily('inflection', [name, `${name.slice(0, cut)} ${titleCase(form)}`], true);
    }
    const t = base(
      () => (chance(0.8) ? compoundPhrase() : numberPhrase(pick(NUMBER_TEMPLATES)).text),
      (x) => x.includes(' ') && heads.has(x.slice(x.lastIndexOf(' ') + 1)),
    );
    if (t === null) return false;
    const cut = t.lastIndexOf(' ');
    const forms = caseForms(t.slice(cut + 1));
    const first = pick(forms);
    const spellings = [recase(t), `${t.slice(0, cut)} ${first}`];
    if (chance(0.3)) {
      const second = pick(forms.filter((f) => f !== first));
      spellings.push(`${t.slice(0, cut)} ${second}`);
    }
    return plantFamily('inflection', spellings);
  });

  // --- Compositional synonyms: one modifier replaced by a monosemous KeNet synonym (`ve` sometimes).
  const domainSets = lex.synonymSets.filter((s) => s.domain);
  fill('compositional', quota('compositional'), () => {
    const set = pick(domainSets.length > 0 && chance(0.6) ? domainSets : lex.synonymSets);
    const words = shuffle([...set.words]);
    const tail = set.pos === 'a' ? (chance(0.5) ? noun() : `${noun()} ${head()[1]}`) : head()[1];
    const withVe = chance(0.25) ? noun() : null;
    const phrase = (w: string, ve: boolean): string => (withVe === null ? `${w} ${tail}` : ve ? `${w} ve ${withVe} ${tail}` : `${w} ${withVe} ${tail}`);
    const veFirst = chance(0.5);
    const spellings = [phrase(words[0], veFirst), phrase(words[1], !veFirst)];
    if (words.length > 2 && chance(0.3)) spellings.push(phrase(words[2], veFirst));
    return plantFamily('compositional', spellings.map(recase));
  });

  // --- Forbidden pairs: the same frame with another number, name or negation.
  const plantPair = (texts: string[]): boolean => {
    const norms = texts.map(normalizeTerm);
    if (new Set(norms).size !== norms.length || !norms.every(isFree)) return false;
    const f = frameOf(norms[0], lex.negation);
    if (f === null || (frameCount.get(f.key) ?? 0) > 0 || !norms.every((n) => frameOf(n, lex.negation)?.key === f.key)) return false;
    texts.forEach((t) => emit(recase(t), 'pair'));
    return true;
  };
  fill('number', quota('number'), () => {
    // The same phrase with one of its numbers moved by one or by a few steps (2918 / 2919, TCK 53 / 54).
    const first = numberPhrase(pick(NUMBER_TEMPLATES));
    const k = Math.floor(rand() * first.values.length);
    const step = chance(0.5) ? 1 : int(2, 30);
    const moved = (times: number): string =>
      first.text.replace(/\d+/gu, (d, offset: number) => (numberIndex(first.text, offset) === k ? String(first.values[k] + times * step) : d));
    const texts = [first.text, moved(1)];
    if (chance(0.15)) texts.push(moved(2));
    return plantPair(texts);
  });
  fill('name', quota('name'), () => {
    const cities = chance(0.7);
    // One slot noun for both: the pair differs in the name only.
    const template = (cities ? pick(CITY_TEMPLATES) : pick(COUNTRY_TEMPLATES)).replace('X', () => noun());
    const pool = cities ? CITIES : COUNTRIES;
    const a = pick(pool);
    let b = pick(pool);
    while (b === a) b = pick(pool);
    return plantPair([cityPhrase(template, a), cityPhrase(template, b)]);
  });
  fill('negation', quota('negation'), () => plantPair(negationPair()));

  // --- Siblings: sister institutions' bodies, KeNet co-hyponyms under one legal head.
  fill('institution', quota('institution'), () => {
    const body = pick(INSTITUTION_BODIES);
    const a = pick(INSTITUTIONS);
    const b = pick(INSTITUTIONS);
    if (a === b) return false;
    const texts = [`${a} ${body}`, `${b} ${body}`];
    const norms = texts.map(normalizeTerm).sort();
    if (siblings.some((s) => s.a === norms[0] && s.b === norms[1])) return false;
    // Bodies are shared by many pairs: a term already written is reused, not written again.
    for (const t of texts) if (isFree(normalizeTerm(t))) emit(recase(t), 'pair');
    siblings.push({ kind: 'institution', a: norms[0], b: norms[1] });
    return true;
  });
  fill('kenet-cohyponym', quota('kenet-cohyponym'), () => {
    if (lex.cohyponyms.length === 0) return false;
    const [x, y] = pick(lex.cohyponyms);
    const h = head()[1];
    const norms = [`${x} ${h}`, `${y} ${h}`];
    if (!norms.every(isFree)) return false;
    norms.forEach((t) => emit(recase(t), 'pair'));
    siblings.push({ kind: 'kenet-cohyponym', a: norms[0], b: norms[1] });
    return true;
  });

  // --- Background up to the size, multiword at the target share (noise lines excluded).
  const noiseLines =
    quota('empty') + quota('punctuationLine') + quota('long') + quota('too-long') + Math.min(quota('foreign'), FOREIGN_TERMS.length) + quota('duplicate') + quota('same-normalised');
  const backgroundTarget = Math.max(0, options.terms - noiseLines - lines.length);
  let multiword = lines.filter((l) => normalizeTerm(l).includes(' ')).length;
  fill('background', backgroundTarget, () => {
    const wantPhrase = multiword < MULTIWORD_TARGET * (lines.length + 1);
    const t = wantPhrase ? backgroundPhrase() : singleWord();
    const norm = normalizeTerm(t);
    if (!isFree(norm) || !frameRoom(norm, FRAME_CAP)) return false;
    emit(recase(t), 'bg');
    if (norm.includes(' ')) multiword++;
    return true;
  }, 200);

  // --- Noise.
  const written = [...lines];
  const addNoise = (kind: NoiseKind, line: string, norm: string | null): void => {
    lines.push(line);
    if (norm !== null && !owner.has(norm)) owner.set(norm, 'noise');
    noise.push({ kind, norm });
  };
  for (let i = 0; i < quota('empty'); i++) addNoise('empty', pick(['', '', ' ', '\t', '   ']), null);
  for (let i = 0; i < quota('punctuationLine'); i++) {
    const p = pick(PUNCTUATION_LINES);
    addNoise('punctuation', p, normalizeTerm(p));
  }
  const definitions = synsets.filter((s) => s.definition && s.definition.length > 40).map((s) => s.definition as string);
  const longLine = (min: number, max: number): string => {
    let text = pick(definitions);
    while (text.length < min) text += chance(0.5) ? `; ${pick(definitions)}` : `, ${backgroundPhrase()}`;
    return text.slice(0, max).trim();
  };
  for (let i = 0; i < quota('long'); i++) {
    const line = longLine(150, 500);
    addNoise('long', line, normalizeTerm(line));
  }
  for (let i = 0; i < quota('too-long'); i++) addNoise('too-long', longLine(600, 2000), null);
  const foreign = [...FOREIGN_TERMS];
  for (let i = 0; i < Math.min(quota('foreign'), FOREIGN_TERMS.length); i++) {
    const term = foreign.splice(Math.floor(rand() * foreign.length), 1)[0];
    const line = chance(0.3) ? titleCase(term) : term;
    addNoise('foreign', line, normalizeTerm(line));
  }
  for (let i = 0; i < quota('duplicate'); i++) {
    const line = pick(written);
    addNoise('duplicate', line, normalizeTerm(line));
  }
  // Spellings that normalisation already folds: doubled or odd spaces, NFD letters, other casing.
  const sameNormalised: ((t: string) => string)[] = [
    (t) => t.replace(' ', '  '),
    (t) => ` ${t} `,
    (t) => t.replace(' ', '\u00a0'),
    (t) => t.normalize('NFD'),
    (t) => upper(t),
    (t) => titleCase(t),
  ];
  fill('same-normalised', quota('same-normalised'), () => {
    const source = pick(written);
    const norm = normalizeTerm(source);
    const line = pick(sameNormalised)(norm);
    if (line === source || normalizeTerm(line) !== norm) return false;
    addNoise('same-normalised', line, norm);
    return true;
  });

  // Seeded shuffle: no line order groups a family.
  shuffle(lines);

  // KeNet synonyms present in the list: told to a full build, recorded apart from the planted.
  const present = new Set(owner.keys());
  const recorded = new Set<string>();
  for (const s of synsets) {
    if (s.pos !== 'n' && s.pos !== 'a') continue;
    const members = [...new Set(s.literals.map((l) => l.norm))].filter((n) => present.has(n));
    const key = members.join('\u0000');
    if (members.length >= 2 && !recorded.has(key)) {
      recorded.add(key);
      families.push({ kind: 'kenet-synonym', members });
    }
  }

  const forbidden = forbiddenPairs([...present].filter((n) => owner.get(n) !== 'noise'), lex.negation, families);
  const truth: DomainTruth = { seed: options.seed, terms: lines.length, families, forbidden, siblings: dropConflicts(siblings, families), noise };
  return { lines, truth, summary: summarise(lines, truth, shortfall) };
}

/** Which digit run of `text` starts at `offset` (0 for the first). */
function numberIndex(text: string, offset: number): number {
  return (text.slice(0, offset).match(/\d+/gu) ?? []).length;
}

/** Every pair of terms sharing a frame, minus any pair the families join (checked, expected none). */
function forbiddenPairs(norms: string[], negation: ReadonlyMap<string, string>, families: readonly Family[]): TruthPair<ForbiddenKind>[] {
  const groups = new Map<string, { norm: string; frame: Frame }[]>();
  for (const norm of norms) {
    const frame = frameOf(norm, negation);
    if (!frame) continue;
    const g = groups.get(frame.key);
    if (g) g.push({ norm, frame });
    else groups.set(frame.key, [{ norm, frame }]);
  }
  const pairs: TruthPair<ForbiddenKind>[] = [];
  for (const g of groups.values()) {
    g.sort((x, y) => (x.norm < y.norm ? -1 : 1));
    for (let i = 0; i < g.length; i++)
      for (let j = i + 1; j < g.length; j++) {
        const differs = g[i].frame.slots.findIndex((s, k) => s.value !== g[j].frame.slots[k].value);
        pairs.push({ kind: g[i].frame.slots[differs].kind, a: g[i].norm, b: g[j].norm });
      }
  }
  return dropConflicts(pairs, families);
}

function dropConflicts<P extends { a: string; b: string }>(pairs: P[], families: readonly Family[]): P[] {
  const groups = truthGroups(families);
  const together = new Set<string>();
  for (const f of families) for (const a of f.members) for (const b of f.members) if (a !== b) together.add(`${a}\u0000${b}`);
  return pairs.filter((p) => {
    const ga = groups.get(p.a);
    return !together.has(`${p.a}\u0000${p.b}`) && (ga === undefined || ga !== groups.get(p.b));
  });
}

/**
 * Connected groups of planted families (a term in two planted families joins them), term ->
 * group id. `kenet-synonym` families are left out: polysemous words would chain them into
 * groups that are not synonyms. A forbidden pair extends to the groups of its two terms.
 */
export function truthGroups(families: readonly Family[]): Map<string, number> {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let r = x;
    while (parent.get(r) !== r) r = parent.get(r)!;
    let y = x;
    while (parent.get(y) !== r) {
      const next = parent.get(y)!;
      parent.set(y, r);
      y = next;
    }
    return r;
  };
  for (const f of families) {
    if (f.kind === 'kenet-synonym') continue;
    for (const m of f.members) if (!parent.has(m)) parent.set(m, m);
    for (const m of f.members.slice(1)) parent.set(find(m), find(f.members[0]));
  }
  const ids = new Map<string, number>();
  const out = new Map<string, number>();
  for (const m of parent.keys()) {
    const r = find(m);
    if (!ids.has(r)) ids.set(r, ids.size);
    out.set(m, ids.get(r)!);
  }
  return out;
}

function summarise(lines: string[], truth: DomainTruth, shortfall: Record<string, number>): GenerationSummary {
  const count = <T>(xs: readonly T[], key: (x: T) => string): Record<string, number> => {
    const out: Record<string, number> = {};
    for (const x of xs) out[key(x)] = (out[key(x)] ?? 0) + 1;
    return out;
  };
  const noiseNorms = new Set(truth.noise.filter((n) => n.kind !== 'duplicate' && n.kind !== 'same-normalised').map((n) => n.norm));
  const terms = new Set<string>();
  for (const l of lines) if (l.trim().length > 0 && l.trim().length <= 512) terms.add(normalizeTerm(l));
  const termNorms = [...terms].filter((t) => !noiseNorms.has(t));
  return {
    lines: lines.length,
    distinctTerms: terms.size,
    multiwordShare: Number((termNorms.filter((t) => t.includes(' ')).length / Math.max(1, termNorms.length)).toFixed(3)),
    families: count(truth.families, (f) => f.kind),
    forbidden: count(truth.forbidden, (f) => f.kind),
    siblings: truth.siblings.length,
    noise: count(truth.noise, (n) => n.kind),
    shortfall,
  };
}

/** Generates the list into `out` (terms.txt, truth.json); returns the paths and a summary. */
export async function generateDomainTerms(options: GenerateOptions & { out: string }): Promise<{ list: string; truth: string; summary: GenerationSummary }> {
  const { synsets } = await loadKenet(kenetPath());
  const { lines, truth, summary } = generateDomainList(synsets, options);
  mkdirSync(options.out, { recursive: true });
  const list = join(options.out, 'terms.txt');
  const truthFile = join(options.out, 'truth.json');
  writeFileSync(list, lines.join('\n') + '\n');
  writeFileSync(truthFile, JSON.stringify(truth) + '\n');
  return { list, truth: truthFile, summary };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { terms: { type: 'string', default: '20000' }, seed: { type: 'string', default: '1' }, out: { type: 'string' } } });
  if (!values.out) throw new Error('usage: generate-domain-terms [--terms N] [--seed S] --out DIR');
  const terms = Number(values.terms);
  const seed = Number(values.seed);
  if (!Number.isInteger(terms) || terms < 100) throw new Error('--terms must be an integer >= 100');
  if (!Number.isInteger(seed)) throw new Error('--seed must be an integer');
  const r = await generateDomainTerms({ terms, seed, out: values.out });
  process.stdout.write(JSON.stringify(r, null, 2) + '\n');
}
