/**
 * Issue 18: what differs between two terms (derivational suffixes, numbers, the one word two
 * phrases do not share), the training pairs that teach it (KeNet's derivation links and pairs
 * mined from surface forms), and the rule that a word without evidence is never judged by its
 * spelling-only vector.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb, ingestTerms, writeCandidates, ingestLexicon, writeEmbeddings, storeGoldRelations, readRelation, loadArtifact, float32Of, type Db } from '../src/store/index.js';
import { candidateRows } from './candidate-helpers.js';
import type { KenetSynset } from '../src/lexicon/index.js';
import { analyseTerm, numeralOf, termNumerals, DERIVATION_CLASSES } from '../src/relations/derivation.js';
import { buildTermTable, rowOfTerm, KNOWN_RELATION, type TermTable } from '../src/relations/term-table.js';
import { extractFeatures, featureLayout } from '../src/relations/features.js';
import { PairScorer } from '../src/relations/score.js';
import { ANTONYM, CLASS_COUNT, COHYPONYM, DERIVED, modelFromArtifact, RELATION_MODEL_VERSION, SYNONYM, UNRELATED, type RelationModel } from '../src/relations/model.js';
import { derivationTrainingPairs, featurize, knownDerivations, mergePairs, minedPairs, PAIR_KEY_BASE, unrelatedCandidates, type PairList } from '../src/relations/training-data.js';
import { knownPairKeys, seedVerdicts } from '../src/relations/verdicts.js';
import { RELATIONS_ARTIFACT, trainBuildModel } from '../src/relations/build-model.js';
import { loadTermTable, runRelationsStage, storedTrainingSource } from '../src/pipeline/index.js';
import { readDerivationPairs } from '../src/store/pairs.js';
import { ownVectorTest } from '../src/embed/builtin/model.js';
import { mulberry32 } from '../src/util/random.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'synograph-difference-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const bit = (c: (typeof DERIVATION_CLASSES)[number]): number => 1 << DERIVATION_CLASSES.indexOf(c);

describe('derivational analysis', () => {
  it('finds one root and the suffix classes that differ in derivations of one word', () => {
    const a = analyseTerm('albenisiz');
    const b = analyseTerm('albenisizlik');
    expect(a.rootKey).toBe(b.rootKey);
    expect(a.chain ^ b.chain).toBe(bit('abstract'));
    expect(analyseTerm('irin').rootKey).toBe(analyseTerm('irinlenme').rootKey);
    expect(analyseTerm('irinlenme').chain & bit('verbalNoun')).not.toBe(0);
    // A noun and its light-verb phrase share the root and differ in the light verb.
    expect(analyseTerm('tezyif etmek').rootKey).toBe('tezyif');
    expect(analyseTerm('tezyif etmek').chain).toBe(bit('do') | bit('infinitive'));
    expect(analyseTerm('alaycı').rootKey).toBe(analyseTerm('alay etmek').rootKey);
    // Negation and voice are differences too; a change of light verb of one kind is not.
    expect(analyseTerm('gelmek').chain ^ analyseTerm('gelmemek').chain).toBe(bit('negative'));
    expect(analyseTerm('derlemek').chain ^ analyseTerm('derlenmek').chain).toBe(bit('voice'));
    expect(analyseTerm('kurban etmek').chain ^ analyseTerm('kurban olmak').chain).toBe(bit('do') | bit('be'));
    expect(analyseTerm('kıyas etmek').chain).toBe(analyseTerm('kıyas eylemek').chain);
    // The lemmatiser's form of a modifier joins spaced and unspaced compounds.
    const lemma = (w: string): string | undefined => ({ dışa: 'dış', bilimi: 'bilim' })[w];
    expect(analyseTerm('dışa vurumcu', lemma).rootKey).toBe(analyseTerm('dışa vurumculuk', lemma).rootKey);
    expect(analyseTerm('dil bilimci', lemma).rootKey).toBe(analyseTerm('dilbilim', lemma).rootKey);
  });

  it('reads the number a word spells, in words, digits or Roman numerals, and only then', () => {
    expect(numeralOf('yedinci')).toEqual({ value: 7, tail: 'nci' });
    expect(numeralOf('dördüncü')).toEqual({ value: 4, tail: 'nci' });
    expect(numeralOf('onaltı')?.value).toBe(16);
    expect(numeralOf('xvı')?.value).toBe(16);
    for (const word of ['onur', 'bina', 'altın', 'iken']) expect(numeralOf(word)).toBeNull();
    expect(termNumerals('on iki')?.value).toBe(termNumerals('12')?.value);
    expect(termNumerals('bin dokuz yüz')?.value).toBe('1900');
    expect(termNumerals('yedinci')?.frame).toBe(termNumerals('yirminci')?.frame);
    expect(termNumerals('yedinci')?.value).not.toBe(termNumerals('yirminci')?.value);
  });
});

/** A table of the given terms (random unit vectors) with known word pairs. */
function table(terms: string[], options: { known?: (norm: string) => boolean; wordPairs?: [string, string, number][]; vectors?: Float32Array } = {}): TermTable {
  const dims = 8;
  const random = mulberry32(5);
  const vectors = options.vectors ?? Float32Array.from({ length: terms.length * dims }, () => random() - 0.5);
  return buildTermTable({ termIds: Int32Array.from(terms, (_, i) => i + 1), texts: terms, vectors, dims, embedderKnows: options.known, wordPairs: options.wordPairs });
}

function features(t: TermTable, a: string, b: string): Map<string, number> {
  const layout = featureLayout('pair', t.dims);
  const row = (w: string): number => [...Array(t.rows).keys()].find((r) => termOf(t, r) === w)!;
  const x = new Float32Array(layout.width);
  const y = new Float32Array(layout.width);
  extractFeatures(layout, t, row(a), row(b), x, 0);
  extractFeatures(layout, t, row(b), row(a), y, 0);
  // Every feature is symmetric in the two terms.
  for (let f = 0; f < layout.width; f++) expect(y[f]).toBeCloseTo(x[f], 6);
  return new Map(layout.names.map((n, f) => [n, x[f]]));
}

function termOf(t: TermTable, r: number): string {
  return String.fromCharCode(...t.text.subarray(t.textStart[r], t.textStart[r + 1]));
}

describe('difference features', () => {
  it('show which suffix classes, numbers and words two terms do not share', () => {
    const terms = ['albenisiz', 'albenisizlik', 'kıyas etmek', 'kıyas eylemek', 'yedinci', 'yirminci', 'gebe kalmak', 'hamile kalmak', 'rüşvet almak', 'rüşvet vermek', 'hediye', 'hediye çeki', 'kepçe kuyruk', 'kepçekuyruk', 'hoşgörü', 'müsamahasızlık', 'yüreği götürmemek', 'yüreği kaldırmamak', 'taviz', 'ödün vermek'];
    const wordPairs: [string, string, number][] = [
      ['gebe', 'hamile', KNOWN_RELATION.synonym],
      ['almak', 'vermek', KNOWN_RELATION.antonym],
      ['hoşgörü', 'müsamaha', KNOWN_RELATION.synonym],
      ['götürmek', 'kaldırmak', KNOWN_RELATION.synonym],
    ];
    const t = table(terms, { wordPairs });
    const derivation = features(t, 'albenisiz', 'albenisizlik');
    expect(derivation.get('rootDiffers.abstract')).toBe(1);
    expect(derivation.get('rootDiffers.without')).toBe(0);
    expect(features(t, 'kıyas etmek', 'kıyas eylemek').get('sameRootPhrase')).toBe(1);
    const numbers = features(t, 'yedinci', 'yirminci');
    expect(numbers.get('numberDiffers')).toBe(1);
    expect(numbers.get('numberSameFrame')).toBe(1);
    expect(features(t, 'gebe kalmak', 'hamile kalmak').get('frameSynonym')).toBe(1);
    expect(features(t, 'rüşvet almak', 'rüşvet vermek').get('frameAntonym')).toBe(1);
    // Both verbs negative: their positive forms are what is known.
    expect(features(t, 'yüreği götürmemek', 'yüreği kaldırmamak').get('frameSynonym')).toBe(1);
    expect(features(t, 'hediye', 'hediye çeki').get('wordExtension')).toBe(1);
    expect(features(t, 'kepçe kuyruk', 'kepçekuyruk').get('spacingVariant')).toBe(1);
    // Known synonym roots, one privative: opposites.
    expect(features(t, 'hoşgörü', 'müsamahasızlık').get('rootsOpposite')).toBe(1);
    expect(features(t, 'taviz', 'ödün vermek').get('verbXor')).toBe(1);
  });
});

describe('translated alike, derived apart', () => {
  // English gives `Russian` for the nationality and the language, `finish` for both voices: the
  // product lets the model discount such a shared sense for derivations only (issue 18).
  const terms = ['rus', 'rusça', 'bitmek', 'bitirmek', 'araç', 'taşıt', 'albenisiz', 'albenisizlik'];
  const sense = (term: string, headword: string) => ({ term, source: 'eng-tur', headword, sense: '1' });
  const translations = [sense('rus', 'russian'), sense('rusça', 'russian'), sense('bitmek', 'finish'), sense('bitirmek', 'finish'), sense('araç', 'vehicle'), sense('taşıt', 'vehicle')];
  const t = buildTermTable({ termIds: Int32Array.from(terms, (_, i) => i + 1), texts: terms, vectors: new Float32Array(terms.length * 8).fill(0.5), dims: 8, knowledge: { translations, opposites: [] } });

  it('is the shared sense where one root differs in its suffixes, and nothing elsewhere', () => {
    for (const [a, b] of [['rus', 'rusça'], ['bitmek', 'bitirmek']]) {
      const f = features(t, a, b);
      expect(f.get('eng.sameSense')).toBe(1);
      expect(f.get('translatedDerivation')).toBe(1);
    }
    // Synonyms of two roots translated alike, and a derivation no dictionary translates.
    expect(features(t, 'araç', 'taşıt').get('eng.sameSense')).toBe(1);
    expect(features(t, 'araç', 'taşıt').get('translatedDerivation')).toBe(0);
    expect(features(t, 'albenisiz', 'albenisizlik').get('translatedDerivation')).toBe(0);
  });

  it('trains as unrelated when no knowledge labels the pair: a shared sense is not enough to be left out', () => {
    const row = (w: string): number => terms.indexOf(w);
    const key = (a: string, b: string): number => (terms.indexOf(a) + 1) * PAIR_KEY_BASE + terms.indexOf(b) + 1;
    const labelled: PairList = { a: Int32Array.of(row('araç')), b: Int32Array.of(row('taşıt')), y: Uint8Array.of(SYNONYM), n: 1 };
    const unrelated = unrelatedCandidates([[key('araç', 'taşıt'), key('rus', 'rusça')], [key('bitmek', 'bitirmek')]], t, labelled);
    expect(Array.from(unrelated.a, (r, i) => `${terms[r]}/${terms[unrelated.b[i]]}`)).toEqual(['rus/rusça', 'bitmek/bitirmek']);
    expect(Array.from(unrelated.y)).toEqual([UNRELATED, UNRELATED]);
    expect(Array.from(unrelated.labelledInCandidates)).toEqual([1]);
  });
});

describe('roots the dictionaries translate alike (issue 11)', () => {
  // No label relates these roots, as in a held-out build: only the dictionaries say that hürmet and
  // saygı, mümkün and kabil, keder and üzüntü are one sense.
  const terms = ['hürmet', 'saygı', 'saygısızlık', 'mümkün', 'gayrimümkün', 'kabil', 'keder', 'üzüntü', 'kederli', 'üzüntülü', 'pasta', 'pastasız', 'meyve'];
  const sense = (term: string, headword: string) => ({ term, source: 'eng-tur', headword, sense: '1' });
  const translations = [sense('hürmet', 'respect'), sense('saygı', 'respect'), sense('mümkün', 'possible'), sense('kabil', 'possible'), sense('keder', 'grief'), sense('üzüntü', 'grief'), sense('pasta', 'cake'), sense('meyve', 'fruit')];
  const t = buildTermTable({ termIds: Int32Array.from(terms, (_, i) => i + 1), texts: terms, vectors: new Float32Array(terms.length * 8).fill(0.5), dims: 8, knowledge: { translations, opposites: [] } });

  it('make opposites where one side is privative or negated, synonyms where both are derived alike', () => {
    const cues = (a: string, b: string): Record<string, number | undefined> => {
      const f = features(t, a, b);
      return Object.fromEntries(['rootsTranslatedOpposite', 'rootsTranslatedAlike', 'rootDiffers.without'].map((n) => [n, f.get(n)]));
    };
    // The suffixes that differ are read as for roots a label calls synonyms (rootDiffers).
    expect(cues('hürmet', 'saygısızlık')).toEqual({ rootsTranslatedOpposite: 1, rootsTranslatedAlike: 0, 'rootDiffers.without': 1 });
    expect(cues('gayrimümkün', 'kabil')).toEqual({ rootsTranslatedOpposite: 1, rootsTranslatedAlike: 0, 'rootDiffers.without': 0 });
    expect(cues('kederli', 'üzüntülü')).toEqual({ rootsTranslatedOpposite: 0, rootsTranslatedAlike: 1, 'rootDiffers.without': 0 });
  });

  it('say nothing of roots that share no sense, of one root, or of two bare words', () => {
    for (const [a, b] of [
      ['pastasız', 'meyve'],
      ['saygı', 'saygısızlık'],
      ['hürmet', 'saygı'],
    ]) {
      const f = features(t, a, b);
      expect(f.get('rootsTranslatedOpposite')).toBe(0);
      expect(f.get('rootsTranslatedAlike')).toBe(0);
    }
    // Without the dictionaries the privative pair has no difference cue either.
    const bare = buildTermTable({ termIds: Int32Array.from(terms, (_, i) => i + 1), texts: terms, vectors: new Float32Array(terms.length * 8).fill(0.5), dims: 8 });
    expect(features(bare, 'hürmet', 'saygısızlık').get('rootDiffers.without')).toBe(0);
  });
});

describe("KeNet's derivation links of one root", () => {
  it('enter as non-edge seeds, never over a labelled pair; links of two roots are left to the model', () => {
    const terms = ['rus', 'rusça', 'fotoğraf', 'fotoğrafçılık', 'güç', 'kuvvet'];
    const t = table(terms);
    const row = (w: string): number => terms.indexOf(w);
    const linked = derivationTrainingPairs([['rus', 'rusça'], ['fotoğraf', 'fotoğrafçılık'], ['güç', 'kuvvet']], t);
    const known = knownDerivations(t, linked);
    expect(Array.from(known.a, (r, i) => `${terms[r]}/${terms[known.b[i]]}`)).toEqual(['rus/rusça', 'fotoğraf/fotoğrafçılık']);
    expect(Array.from(known.y)).toEqual([COHYPONYM, COHYPONYM]);
    // A labelled pair keeps its own label: the derivation seed of that pair is left out.
    const labelled: PairList = { a: Int32Array.of(row('fotoğraf')), b: Int32Array.of(row('fotoğrafçılık')), y: Uint8Array.of(SYNONYM), n: 1 };
    const seeds = seedVerdicts(t, known, knownPairKeys(t, labelled));
    expect(seeds.batch.length).toBe(1);
    expect([seeds.batch.a[0], seeds.batch.b[0]]).toEqual([t.termId[row('rus')], t.termId[row('rusça')]]);
    expect(seeds.batch.gated[0]).toBe(0);
    expect(seeds.counts).toEqual({ synonym: 0, antonym: 0, cohyponym: 1 });
    expect(seeds.cannotLinks.a.length).toBe(0);
  });
});

describe('words without evidence', () => {
  it('are scored the same whatever their vectors: the cosine, product and region of a spelling-only vector are not used', () => {
    const terms = ['percoidei', 'hypericales', 'gebe', 'hamile'];
    const known = (w: string): boolean => w === 'gebe' || w === 'hamile';
    const layout = featureLayout('pair', 8);
    const random = mulberry32(3);
    const model: RelationModel = {
      version: RELATION_MODEL_VERSION,
      kind: 'pair',
      dims: 8,
      weights: Float32Array.from({ length: layout.width * CLASS_COUNT }, () => random() - 0.5),
      bias: new Float32Array(CLASS_COUNT),
      calibration: { temperature: 1, classBias: new Array<number>(CLASS_COUNT).fill(0) },
      disabledGroups: [],
    };
    const score = (t: TermTable, a: number, b: number): Float32Array => {
      const out = new Float32Array(CLASS_COUNT);
      new PairScorer(model, t).scoreRows(Int32Array.of(a), Int32Array.of(b), 1, out);
      return out;
    };
    const first = table(terms, { known });
    const other = Float32Array.from({ length: 4 * 8 }, () => random() - 0.5);
    const second = table(terms, { known, vectors: other });
    // Unknown words: identical probabilities under other vectors, and the features say why.
    expect(Array.from(score(second, 0, 1))).toEqual(Array.from(score(first, 0, 1)));
    expect(Array.from(score(second, 0, 2))).toEqual(Array.from(score(first, 0, 2)));
    const oov = features(first, 'percoidei', 'hypericales');
    expect(oov.get('noEvidence')).toBe(1);
    expect(oov.get('cosine')).toBe(0);
    // Known words: the vectors count.
    expect(Array.from(score(second, 2, 3))).not.toEqual(Array.from(score(first, 2, 3)));
    expect(features(first, 'gebe', 'hamile').get('noEvidence')).toBe(0);
    // A definition is evidence too.
    const defined = buildTermTable({ termIds: Int32Array.of(1, 2), texts: ['percoidei', 'hypericales'], definitions: [['bir balık takımı'], ['bir bitki takımı']], vectors: new Float32Array(16).fill(0.25), dims: 8, embedderKnows: () => false });
    expect(features(defined, 'percoidei', 'hypericales').get('noEvidence')).toBe(0);
  });

  it('are known to the builtin embedder only by a vector of their own (a phrase, or a word lemma)', () => {
    const vocab = ['gebe', 'hamile', 'su kamışı', 'boş'];
    const dims = 2;
    const vectors = Float32Array.of(1, 0, 0, 1, 0.5, 0.5, 0, 0);
    const knows = ownVectorTest(vocab, vectors, dims);
    expect(knows('gebe')).toBe(true);
    expect(knows('Hamile')).toBe(true);
    expect(knows('su kamışı')).toBe(true);
    expect(knows('percoidei')).toBe(false);
    // In the vocabulary but with a zero row: nothing learned about it.
    expect(knows('boş')).toBe(false);
  });

  it('are simulated in training by the evidence dropout: the embedding hidden and noEvidence set', () => {
    const terms = ['gebe', 'hamile', 'kelime', 'sözcük'];
    const t = table(terms);
    const layout = featureLayout('pair', t.dims);
    const pairs: PairList = { a: Int32Array.of(0, 2, 0, 1), b: Int32Array.of(1, 3, 3, 2), y: Uint8Array.of(0, 0, 3, 3), n: 4 };
    const all = featurize(layout, t, pairs, undefined, { evidence: 1, seed: 1 });
    const none = featurize(layout, t, pairs, undefined, { evidence: 0, seed: 1 });
    const cosine = layout.names.indexOf('cosine');
    const noEvidence = layout.names.indexOf('noEvidence');
    for (let k = 0; k < pairs.n; k++) {
      expect(all.x[k * layout.width + cosine]).toBe(0);
      expect(all.x[k * layout.width + noEvidence]).toBe(1);
      expect(none.x[k * layout.width + cosine]).not.toBe(0);
      expect(none.x[k * layout.width + noEvidence]).toBe(0);
      for (let f = 0; f < layout.width; f++) if (layout.groups[f] === 'region') expect(all.x[k * layout.width + f]).toBe(0);
    }
  });
});

/**
 * A world where derivations look like synonyms to the embedding: each derived word's vector is its
 * base word's plus noise, as close as a synonym's. Only the suffix tells them apart.
 */
const STEMS = ['tapu', 'gelir', 'ümit', 'alerji', 'ahlak', 'akıl', 'renk', 'tuz', 'şeker', 'yağ', 'huzur', 'sabır', 'saygı', 'kusur', 'bilgi', 'görgü', 'sevgi', 'umut', 'hüner', 'değer', 'onur', 'kader', 'ceza', 'para', 'hata', 'kafa', 'güç', 'dert', 'şans', 'hız'];

async function derivationWorld(file: string): Promise<{ db: Db; heldDerivations: [string, string][]; heldSynonyms: [string, string][] }> {
  const db = openDb(file);
  const random = mulberry32(11);
  const derivations: [string, string][] = STEMS.map((s) => [s, `${s}lik`]);
  // Synonyms and other words of the same shape as the derivations: only the suffix differs.
  const syllables = ['ka', 'le', 'mi', 'ro', 'su', 'ta', 'ne', 'di', 'ba', 'ze', 'yo', 'pe', 'ça', 'gü', 'hı'];
  const word = (): string => Array.from({ length: 2 + Math.floor(random() * 2) }, () => syllables[Math.floor(random() * syllables.length)]).join('');
  // Half of the synonyms share most of their letters (spaced and unspaced compounds), as many of
  // KeNet's do: the shared-letter cues then say "synonym" unless something says "derivation".
  const synonyms: [string, string][] = Array.from({ length: 30 }, (_, i) => {
    if (i % 2 === 1) return [word(), word()];
    const [x, y] = [word(), word()];
    return [`${x} ${y}`, `${x}${y}`];
  });
  const words = [...new Set([...derivations.flat(), ...synonyms.flat(), ...Array.from({ length: 60 }, () => word())])].sort();
  await ingestTerms(db, (async function* () {
    yield words.map((term, i) => ({ term, line: i + 1 }));
  })(), { name: 'world', path: null });
  const idOf = new Map((db.prepare('SELECT norm, id FROM terms').raw().all() as [string, number][]).map(([n, id]) => [n, id]));
  const dims = 16;
  const unit = (v: Float32Array): Float32Array => {
    const n = Math.hypot(...v);
    return v.map((x) => x / n);
  };
  const vec = new Map<string, Float32Array>(words.map((w) => [w, unit(Float32Array.from({ length: dims }, () => random() * 2 - 1))]));
  for (const [a, b] of [...derivations, ...synonyms]) vec.set(b, unit(vec.get(a)!.map((x) => x + (random() - 0.5) * 0.1)));
  writeEmbeddings(db, words.map((w) => idOf.get(w)!), Float32Array.from(words.flatMap((w) => [...vec.get(w)!])), dims);

  // The last five of each are held back: candidates only, never labelled, and no word of them may be learned from.
  const heldDerivations = derivations.slice(-5);
  const heldSynonyms = synonyms.slice(-5);
  const synsets: KenetSynset[] = derivations.slice(0, -5).flatMap(([a, b], i) => [
    { id: `d${i}a`, pos: 'noun', literals: [{ norm: a, original: a, sense: 1 }], definition: null, examples: [], relations: [{ type: 'DERIVATION_RELATED', target: `d${i}b` }] },
    { id: `d${i}b`, pos: 'noun', literals: [{ norm: b, original: b, sense: 1 }], definition: null, examples: [], relations: [{ type: 'DERIVATION_RELATED', target: `d${i}a` }] },
  ]);
  const { sourceId } = await ingestLexicon(db, synsets, { name: 'world', path: null });
  storeGoldRelations(db, sourceId, synonyms.slice(0, -5).map(([a, b]) => ({ a, b, label: 'synonym' as const, split: 'train' as const })));
  const candidates = new Set<string>();
  const add = (x: string, y: string): void => {
    const [a, b] = [idOf.get(x)!, idOf.get(y)!].sort((p, q) => p - q);
    if (a !== b) candidates.add(`${a},${b}`);
  };
  // Only the held-back derivations are candidates: the model can learn about the others from the knowledge alone.
  for (const [a, b] of [...heldDerivations, ...synonyms]) add(a, b);
  for (let i = 0; i < 600; i++) add(words[Math.floor(random() * words.length)], words[Math.floor(random() * words.length)]);
  await writeCandidates(db, candidateRows(candidates, 0.9));
  return { db, heldDerivations, heldSynonyms };
}

describe('derivation training data', () => {
  it('reads KeNet derivation links as a class of their own, and mines pairs from surface forms among learnable words only', async () => {
    const { db, heldDerivations } = await derivationWorld(join(dir, 'data.db'));
    const t = loadTermTable(db);
    const held = new Set(heldDerivations.flat());
    const mayLearnFrom = (w: string): boolean => !held.has(w);
    const text = (r: number): string => termOf(t, r);
    const links = derivationTrainingPairs(readDerivationPairs(db), t, mayLearnFrom);
    expect(links.n).toBe(STEMS.length - 5);
    for (let i = 0; i < links.n; i++) {
      expect(links.y[i]).toBe(DERIVED);
      expect(text(links.b[i])).toBe(`${text(links.a[i])}lik`);
    }
    const mined = minedPairs(t, 42, mayLearnFrom);
    const minedKeys = new Set(Array.from({ length: mined.n }, (_, i) => `${text(mined.a[i])}|${text(mined.b[i])}|${mined.y[i]}`));
    expect(minedKeys.has('tapu|tapulik|' + DERIVED)).toBe(true);
    for (const [a, b] of heldDerivations) expect(minedKeys.has(`${a}|${b}|${DERIVED}`)).toBe(false);
    db.close();
  });

  it('mines privative opposites as antonyms, numbers as siblings and one-word extensions as unrelated, and keeps the knowledge first', () => {
    const terms = ['ödün', 'ödünsüz', 'yedinci', 'yirminci', 'hediye', 'hediye çeki', 'kuşku', 'kuşkulu'];
    const t = table(terms);
    const text = (r: number): string => termOf(t, r);
    const mined = minedPairs(t, 1);
    const label = new Map(Array.from({ length: mined.n }, (_, i) => [`${text(mined.a[i])}|${text(mined.b[i])}`, mined.y[i]]));
    expect(label.get('ödün|ödünsüz')).toBe(ANTONYM);
    expect(label.get('yedinci|yirminci')).toBe(COHYPONYM);
    expect(label.get('hediye|hediye çeki')).toBe(UNRELATED);
    expect(label.get('kuşku|kuşkulu')).toBe(DERIVED);
    // A labelled pair keeps its label over a mined one.
    const knowledge: PairList = { a: Int32Array.of(6), b: Int32Array.of(7), y: Uint8Array.of(SYNONYM), n: 1 };
    const merged = mergePairs([knowledge, mined]);
    const kept = Array.from({ length: merged.n }, (_, i) => i).filter((i) => text(merged.a[i]) === 'kuşku' && text(merged.b[i]) === 'kuşkulu');
    expect(kept.map((i) => merged.y[i])).toEqual([SYNONYM]);
  });

  it('teaches the model that a derivation is not a synonym, where the embedding alone cannot tell them apart', async () => {
    const { db, heldDerivations, heldSynonyms } = await derivationWorld(join(dir, 'stage.db'));
    const held = new Set([...heldDerivations.flat(), ...heldSynonyms.flat()]);
    const mayLearnFrom = (w: string): boolean => !held.has(w);
    const report = await runRelationsStage(db, { seed: 42, threads: 1, mayLearnFrom });
    const id = (w: string): number => db.prepare('SELECT id FROM terms WHERE norm = ?').pluck().get(w) as number;
    for (const [a, b] of heldDerivations) expect(readRelation(db, id(a), id(b))!.gated).toBe(false);
    // The learnable links (one root: `tapu` / `tapulik`) are stored as non-edge seeds, the held-back ones never.
    expect(report.derivationSeeds).toBe(STEMS.length - 5);
    const tapu = readRelation(db, id('tapu'), id('tapulik'))!;
    expect([tapu.origin, tapu.gated]).toEqual(['seed', false]);
    for (const [a, b] of heldDerivations) expect(readRelation(db, id(a), id(b))!.origin).toBe('model');

    // The stored model calls the held-back derivations derived, and the held-back synonyms not; the
    // same model family trained without the derivation data has nothing to call them that.
    const t = loadTermTable(db);
    const artifact = loadArtifact(db, RELATIONS_ARTIFACT)!;
    const model = modelFromArtifact(artifact.meta, artifact.parts, float32Of);
    const blind = (await trainBuildModel(storedTrainingSource(db), t, 42, { data: { derivations: false, mayLearnFrom } })).model;
    const probabilities = (m: RelationModel, pairs: [string, string][]): Float32Array[] => {
      const scorer = new PairScorer(m, t);
      return pairs.map(([a, b]) => {
        const out = new Float32Array(CLASS_COUNT);
        scorer.scoreRows(Int32Array.of(rowOfTerm(t, id(a))), Int32Array.of(rowOfTerm(t, id(b))), 1, out);
        return out;
      });
    };
    const derivations = probabilities(model, heldDerivations);
    for (const p of derivations) expect(p.indexOf(Math.max(...p))).toBe(DERIVED);
    const leastDerived = Math.min(...derivations.map((p) => p[DERIVED]));
    for (const p of probabilities(model, heldSynonyms)) expect(p[DERIVED]).toBeLessThan(leastDerived);
    for (const p of probabilities(blind, heldDerivations)) expect(p[DERIVED]).toBeLessThan(0.01);
    db.close();
  }, 60_000);
});
