import { describe, expect, it } from 'vitest';
import { CUE_NAMES, cueConstants, featureLayout, pairFeatures } from '../src/relations/features.js';
import { relationsAddon } from '../src/relations/compiled-scorer.js';
import { CLASS_COUNT, RELATION_MODEL_VERSION, type RelationModel } from '../src/relations/model.js';
import { PairScorer, termProjections } from '../src/relations/score.js';
import { buildTermTable, wordPairsOf, type TermTable } from '../src/relations/term-table.js';
import { mulberry32 } from '../src/util/random.js';

const addon = relationsAddon();

// Roots and what Turkish builds on them, so that every cue of pairCues has pairs that set it:
// derivations of one root, privatives, negative verbs, negating prefixes, numbers, phrases that
// differ in one word, reduplication, spelling and spacing variants, definitions that mention
// each other, translations in several dictionaries, WordNet opposites.
const ROOTS = ['saygı', 'hürmet', 'mümkün', 'kabil', 'tapu', 'ümit', 'kitap', 'renk', 'siyah', 'kara', 'hız', 'sıcak', 'soğuk', 'rus', 'düzen', 'intizam', 'keder', 'üzüntü'];
const SUFFIXES = ['', 'lı', 'sız', 'sızlık', 'lık', 'çı', 'ça', 'sal'];
const EXTRA = [
  'gelmek', 'gelmemek', 'gitmek', 'gitmemek', 'bitmek', 'bitirmek', 'gayrimümkün', 'namevcut', 'mevcut', 'gayrimeşru', 'meşru', 'yedinci', 'sekizinci', 'on altı', 'on yedi',
  'yedinci kat', 'sekizinci kat', 'vergi almak', 'vergi kaçırmak', 'gebe kalmak', 'hamile kalmak', 'hediye', 'hediye çeki', 'kitap mitap', 'sıcak sıcak', 'kâr', 'kar', 'hâlâ', 'hala',
  'kepçe kuyruk', 'kepçekuyruk', 'ofsayt', 'ofsayt olmak', 'yas tutmak', 'yasını tutmak', 'değil', 'hiç değil', 'saygı göstermek', 'hürmet göstermek', 'kara gün', 'siyah gün',
  'araç', 'taşıt', 'vasıta', 'ılık', 'hodkam', 'bencillik', 'bencil', 'sorumluluk', 'mesuliyet', 'nalıncı', 'takunyacılık', 'kıyas etmek', 'kıyas eylemek', 'sıcak su', 'soğuk su', 'iş bitmek', 'iş bitirmek', 'gelme', 'geliş', 'temiz', 'temizlemek', 'sosyal', 'sosyalist', 'sosyalizm', 'yardım', 'yardım etmek', 'sürat', 'boya', 'yapıt', 'pek çok uzun bir terim adı burada',
];
const TERMS = [...ROOTS.flatMap((r) => SUFFIXES.map((s) => r + s)), ...EXTRA];

const DEFINITIONS = new Map<string, string[]>([
  ['siyah', ['en koyu renk', 'beyaz karşıtı']],
  ['kara', ['siyah renkte olan']],
  ['soğuk', ['sıcak olmayan']],
  ['sıcak', ['soğuk karşıtı', 'ısısı yüksek']],
  ['ümitsiz', ['ümit olmayan', 'umutsuz kimse']],
  ['hız', ['bir tür sürat']],
  ['düzen', ['intizam değil karışıklık karşıtı']],
  ['intizam', ['düzen']],
]);

function translations(): { term: string; source: string; headword: string; sense: string }[] {
  const out: { term: string; source: string; headword: string; sense: string }[] = [];
  const give = (terms: string[], source: string, headword: string, sense: string): void => {
    for (const term of terms) out.push({ term, source, headword, sense });
  };
  give(['saygı', 'hürmet'], 'eng-tur', 'respect', '1.1');
  give(['mümkün', 'kabil'], 'eng-tur', 'possible', '1.1');
  give(['mümkün', 'kabil', 'mevcut'], 'deu-tur', 'möglich', '0');
  give(['keder', 'üzüntü'], 'eng-tur', 'grief', '1.1');
  give(['keder'], 'fra-tur', 'chagrin', '1');
  give(['üzüntü'], 'fra-tur', 'chagrin', '2');
  give(['keder', 'üzüntü'], 'fra-tur', 'peine', '1');
  give(['sıcak'], 'eng-tur', 'hot', '1.1');
  give(['soğuk'], 'eng-tur', 'cold', '1.1');
  give(['ılık'], 'eng-tur', 'tepid', '1.1');
  give(['siyah', 'kara'], 'eng-tur', 'black', '1.1');
  give(['kara'], 'eng-tur', 'land', '2.1');
  give(['araç', 'taşıt'], 'eng-tur', 'vehicle', '1.1');
  give(['vasıta'], 'eng-tur', 'vehicle', '1.2');
  give(['araç', 'vasıta'], 'deu-tur', 'fahrzeug', '1');
  give(['düzen', 'intizam'], 'ita-tur', 'ordine', '1');
  give(['rus', 'rusça'], 'eng-tur', 'russian', '1.1');
  give(['bitmek', 'bitirmek'], 'eng-tur', 'finish', '1.1');
  give(['sorumluluk', 'mesuliyet'], 'swe-tur', 'ansvar', '1');
  give(['hız', 'sürat'], 'pol-tur', 'szybkość', '1');
  give(['renk', 'boya'], 'kur-tur', 'reng', '1');
  give(['kitap', 'yapıt'], 'my-glossary', 'book', '1');
  return out;
}

const OPPOSITES = [
  { a: 'cold', b: 'hot', source: 'wordnet', kind: 'direct' },
  { a: 'hot', b: 'tepid', source: 'wordnet', kind: 'similar' },
];

const WORD_PAIRS = wordPairsOf(
  [
    ['gebe', 'hamile', 'synonym'],
    ['saygı', 'hürmet', 'synonym'],
    ['sıcak', 'soğuk', 'antonym'],
    ['almak', 'kaçırmak', 'co-hyponym'],
    ['yedinci', 'sekizinci', 'co-hyponym'],
    ['siyah', 'kara', 'synonym'],
    ['gelmek', 'gitmek', 'antonym'],
  ],
  [['bitmek', 'bitirmek'], ['kitap', 'kitapçı']],
);

function table(seed: number, dims: number): TermTable {
  const random = mulberry32(seed);
  const vectors = Float32Array.from({ length: TERMS.length * dims }, () => random() - 0.5);
  const known = new Set(TERMS.filter(() => random() < 0.7));
  return buildTermTable({
    termIds: Int32Array.from(TERMS, (_, i) => i + 1),
    texts: TERMS,
    lemmas: TERMS.map((t) => (t.endsWith('lık') ? t.slice(0, -3) : null)),
    definitions: TERMS.map((t) => DEFINITIONS.get(t) ?? []),
    vectors,
    dims,
    embedderKnows: (norm) => known.has(norm),
    wordPairs: WORD_PAIRS,
    knowledge: { translations: translations(), opposites: OPPOSITES },
  });
}

function model(t: TermTable, seed: number, withProduct: boolean): RelationModel {
  const layout = featureLayout('pair', t.dims);
  const random = mulberry32(seed);
  const weights = Float32Array.from({ length: layout.width * CLASS_COUNT }, (_, k) => (!withProduct && layout.groups[Math.floor(k / CLASS_COUNT)] === 'product' ? 0 : 4 * (random() - 0.5)));
  return {
    version: RELATION_MODEL_VERSION,
    kind: 'pair',
    dims: t.dims,
    weights,
    bias: Float32Array.of(0.1, -0.2, 0.3, 0, -0.1),
    calibration: { temperature: 1, classBias: [0, 0, 0, 0, 0] },
    disabledGroups: withProduct ? [] : ['product'],
  };
}

/** Every ordered pair of distinct rows. */
function allPairs(rows: number): { a: Int32Array; b: Int32Array; n: number } {
  const a: number[] = [];
  const b: number[] = [];
  for (let x = 0; x < rows; x++)
    for (let y = 0; y < rows; y++)
      if (x !== y) {
        a.push(x);
        b.push(y);
      }
  return { a: Int32Array.from(a), b: Int32Array.from(b), n: a.length };
}

describe.skipIf(!addon)('the compiled relation scorer', () => {
  it('gives the JS scorer’s probabilities to the bit, with and without the product block, and every cue takes part', () => {
    const t = table(5, 16);
    const pairs = allPairs(t.rows);
    // Each cue set on some pair, so that no line of the compiled pairCues goes unchecked.
    const layout = featureLayout('pair', t.dims);
    const x = new Float32Array(layout.width);
    const seen = new Set<string>();
    for (let i = 0; i < pairs.n; i++) {
      pairFeatures(t, pairs.a[i], pairs.b[i], x, 0);
      for (let f = 0; f < CUE_NAMES.length; f++) if (x[f] !== 0) seen.add(CUE_NAMES[f]);
    }
    const unused = CUE_NAMES.filter((n) => !seen.has(n));
    expect(unused).toEqual([]);
    for (const withProduct of [false, true]) {
      const m = model(t, withProduct ? 9 : 8, withProduct);
      const projections = termProjections(m, t);
      const js = new Float32Array(pairs.n * CLASS_COUNT);
      const native = new Float32Array(pairs.n * CLASS_COUNT);
      new PairScorer(m, t, projections, 'js').scoreRows(pairs.a, pairs.b, pairs.n, js);
      new PairScorer(m, t, projections, 'native').scoreRows(pairs.a, pairs.b, pairs.n, native);
      expect(Buffer.from(native.buffer).equals(Buffer.from(js.buffer))).toBe(true);
      // The probabilities vary: a scorer that answered one constant row would not pass for another model.
      expect(new Set(js).size).toBeGreaterThan(1000);
    }
  });

  it('scores in pages as in one go, and refuses rows outside the table, short arrays and a foreign handle', () => {
    const t = table(6, 8);
    const m = model(t, 3, false);
    const pairs = allPairs(t.rows);
    const whole = new Float32Array(pairs.n * CLASS_COUNT);
    const scorer = new PairScorer(m, t, undefined, 'native');
    scorer.scoreRows(pairs.a, pairs.b, pairs.n, whole);
    const paged = new Float32Array(pairs.n * CLASS_COUNT);
    const page = new Float32Array(1000 * CLASS_COUNT);
    for (let at = 0; at < pairs.n; at += 1000) {
      const n = Math.min(1000, pairs.n - at);
      scorer.scoreRows(pairs.a.subarray(at, at + n), pairs.b.subarray(at, at + n), n, page);
      paged.set(page.subarray(0, n * CLASS_COUNT), at * CLASS_COUNT);
    }
    expect(Buffer.from(paged.buffer).equals(Buffer.from(whole.buffer))).toBe(true);

    const native = addon!;
    const handle = native.relationScorer(t, t.knowledge, { weights: m.weights, bias: m.bias, projections: termProjections(m, t), withProduct: false }, cueConstants());
    const logits = new Float64Array(10);
    expect(() => native.relationLogits(handle, Int32Array.of(0, t.rows), Int32Array.of(1, 2), 2, logits)).toThrow(/a row out of the table/);
    expect(() => native.relationLogits(handle, Int32Array.of(0, -1), Int32Array.of(1, 2), 2, logits)).toThrow(/a row out of the table/);
    expect(() => native.relationLogits(handle, Int32Array.of(0, 1), Int32Array.of(1, 2), 3, logits)).toThrow(/do not fit/);
    expect(() => native.relationLogits(handle, Int32Array.of(0, 1), Int32Array.of(1, 2), 2, new Float64Array(9))).toThrow(/do not fit/);
    expect(() => native.relationLogits({}, Int32Array.of(0), Int32Array.of(1), 1, logits)).toThrow(/not a handle/);
    native.relationLogits(handle, Int32Array.of(0, 1), Int32Array.of(1, 2), 2, logits);
    expect(logits.every(Number.isFinite)).toBe(true);
  });

  it('refuses a table, knowledge, model or layout it cannot trust, naming the part', () => {
    const t = table(7, 8);
    const m = model(t, 4, false);
    const native = addon!;
    const projections = termProjections(m, t);
    const make = (over: { table?: Partial<TermTable>; knowledge?: Partial<TermTable['knowledge']>; projections?: Float32Array; layout?: Int32Array }): object =>
      native.relationScorer({ ...t, ...over.table }, { ...t.knowledge, ...over.knowledge }, { weights: m.weights, bias: m.bias, projections: over.projections ?? projections, withProduct: false }, over.layout ?? cueConstants());
    expect(() => make({})).not.toThrow();
    const layout = cueConstants();
    layout[1 + 28 + 7 + 3] += 1; // CUE_COUNT (after SIG_FIELDS, the 28 fields, 7 flags, 3 counts): one more than the compiled cues
    expect(() => make({ layout })).toThrow(/layout/);
    expect(() => make({ table: { signature: t.signature.subarray(0, t.signature.length - 1) } })).toThrow(/signature/);
    const start = Int32Array.from(t.textStart);
    start[3] = start[4] + 1;
    expect(() => make({ table: { textStart: start } })).toThrow(/textStart/);
    const heads = Int32Array.from(t.knowledge.heads);
    heads[0] = t.knowledge.headLanguage.length;
    expect(() => make({ knowledge: { heads } })).toThrow(/headword or sense id/);
    expect(() => make({ knowledge: { wordRows: Int32Array.of(t.rows), wordKeys: Int32Array.of(1) } })).toThrow(/wordRows/);
    expect(() => make({ projections: projections.subarray(0, 10) })).toThrow(/projections/);
  });
});
