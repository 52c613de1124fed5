import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { languageOf, readOpposites, readTranslations, shippedKnowledgeFiles } from '../src/lexicon/dictionaries.js';
import { buildTermTable, type TermTable } from '../src/relations/term-table.js';
import { extractFeatures, featureLayout, FEATURE_GROUPS } from '../src/relations/features.js';
import { CANDIDATE_ORIGINS, knowledgePairs, mergeCandidateChunks, mergeCandidates, type MergeCounts } from '../src/candidates/knowledge.js';
import { termPairs } from '../src/candidates/pairs.js';
import { openDb, writeCandidates, readCandidateNeighbours, candidateBlocks, readTranslatedTermIds, writeKnowledge } from '../src/store/index.js';
import { STORED_ORIGINS } from '../src/store/candidates.js';
import { InputError } from '../src/errors.js';
import { mulberry32 } from '../src/util/random.js';
import { synograph } from './cli-runner.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'synograph-knowledge-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('dictionary files', () => {
  it('read four columns, or three under a header with the source from the caller, gzip or not', () => {
    const plain = join(dir, 'mine.tsv');
    writeFileSync(plain, 'headword\tsense\tterm\nvehicle\t1\tAraç\nvehicle\t1\ttaşıt\n\nfree\t0\tbedava\n');
    expect(readTranslations(plain, 'mine')).toEqual([
      { source: 'mine', headword: 'vehicle', sense: '1', term: 'araç' },
      { source: 'mine', headword: 'vehicle', sense: '1', term: 'taşıt' },
      { source: 'mine', headword: 'free', sense: '0', term: 'bedava' },
    ]);
    const zipped = join(dir, 'four.tsv.gz');
    writeFileSync(zipped, gzipSync('eng-tur\thot\t1.1\tSICAK\n'));
    expect(readTranslations(zipped)).toEqual([{ source: 'eng-tur', headword: 'hot', sense: '1.1', term: 'sıcak' }]);
  });

  it('name the file and line of a malformed row', () => {
    const bad = join(dir, 'bad.tsv');
    writeFileSync(bad, 'eng-tur\thot\t1\tsıcak\nonly two\tfields\n');
    expect(() => readTranslations(bad)).toThrow(InputError);
    expect(() => readTranslations(bad)).toThrow(`${bad}:2: expected 3 or 4 tab-separated fields`);
    const opposites = join(dir, 'opp.tsv');
    writeFileSync(opposites, 'hot\tcold\tdirect\nwet\n');
    expect(() => readOpposites(opposites)).toThrow(`${opposites}:2:`);
  });

  it('count a source under its language, backwards ones too, and anything else as the user', () => {
    expect(languageOf('eng-tur')).toBe('eng');
    expect(languageOf('tur-eng')).toBe('eng');
    expect(languageOf('tur-deu')).toBe('deu');
    expect(languageOf('swe-tur')).toBe('swe');
    expect(languageOf('user:mine.tsv')).toBe('user');
  });

  it('ship translations from every dictionary and WordNet opposites between English headwords', () => {
    const files = shippedKnowledgeFiles();
    const rows = readTranslations(files.translations);
    const languages = new Set(rows.map((r) => languageOf(r.source)));
    expect([...languages].sort()).toEqual(['deu', 'eng', 'fra', 'ita', 'kur', 'pol', 'swe']);
    expect(rows).toContainEqual({ source: 'eng-tur', headword: 'bureau', sense: '1.1', term: 'yazıhane' });
    const opposites = readOpposites(files.opposites);
    expect(opposites).toContainEqual({ a: 'cold', b: 'hot', kind: 'direct' });
    expect(opposites.length).toBeGreaterThan(1000);
  });
});

const TERMS = ['araç', 'taşıt', 'sıcak', 'soğuk', 'kalem', 'vasıta', 'ılık'];
const TRANSLATIONS = [
  { term: 'araç', source: 'eng-tur', headword: 'vehicle', sense: '1.1' },
  { term: 'taşıt', source: 'eng-tur', headword: 'vehicle', sense: '1.1' },
  { term: 'vasıta', source: 'eng-tur', headword: 'vehicle', sense: '1.2' },
  { term: 'araç', source: 'deu-tur', headword: 'fahrzeug', sense: '0' },
  { term: 'vasıta', source: 'deu-tur', headword: 'fahrzeug', sense: '0' },
  { term: 'sıcak', source: 'eng-tur', headword: 'hot', sense: '1.1' },
  { term: 'soğuk', source: 'eng-tur', headword: 'cold', sense: '1.1' },
  { term: 'ılık', source: 'eng-tur', headword: 'tepid', sense: '1.1' },
];
const OPPOSITES = [
  { a: 'cold', b: 'hot', source: 'wordnet', kind: 'direct' },
  { a: 'hot', b: 'tepid', source: 'wordnet', kind: 'similar' },
];

function knowledgeTable(): TermTable {
  const dims = 4;
  return buildTermTable({ termIds: Int32Array.from(TERMS, (_, i) => i + 1), texts: TERMS, vectors: new Float32Array(TERMS.length * dims).fill(0.5), dims, knowledge: { translations: TRANSLATIONS, opposites: OPPOSITES } });
}

function features(t: TermTable, a: string, b: string): Map<string, number> {
  const layout = featureLayout('pair', t.dims);
  const x = new Float32Array(layout.width);
  const y = new Float32Array(layout.width);
  extractFeatures(layout, t, TERMS.indexOf(a), TERMS.indexOf(b), x, 0);
  extractFeatures(layout, t, TERMS.indexOf(b), TERMS.indexOf(a), y, 0);
  for (let f = 0; f < layout.width; f++) expect(y[f]).toBeCloseTo(x[f], 6);
  return new Map(layout.names.map((n, f) => [n, x[f]]));
}

describe('knowledge features', () => {
  it('are one feature group per dictionary language and one for WordNet, so that ablation removes each', () => {
    for (const g of ['dict.eng', 'dict.deu', 'dict.fra', 'dict.ita', 'dict.pol', 'dict.swe', 'dict.kur', 'dict.user', 'wordnet']) expect(FEATURE_GROUPS).toContain(g);
    const layout = featureLayout('pair', 4);
    expect(layout.groups[layout.names.indexOf('eng.sameSense')]).toBe('dict.eng');
    expect(layout.groups[layout.names.indexOf('wordnet.direct')]).toBe('wordnet');
  });

  it('tell one sense from one headword, per language, and say when both are translated', () => {
    const t = knowledgeTable();
    const sense = features(t, 'araç', 'taşıt');
    expect(sense.get('eng.sameSense')).toBe(1);
    expect(sense.get('eng.sharedHeadwords')).toBeCloseTo(1 / Math.sqrt(2), 5); // vehicle: three terms
    expect(sense.get('eng.bothTranslated')).toBe(1);
    expect(sense.get('deu.bothTranslated')).toBe(0);
    const head = features(t, 'araç', 'vasıta');
    expect(head.get('eng.sameSense')).toBe(0); // senses 1.1 and 1.2
    expect(head.get('eng.sharedHeadwords')).toBeGreaterThan(0);
    expect(head.get('deu.sharedHeadwords')).toBe(1); // fahrzeug: two terms
    expect(head.get('wordnet.direct')).toBe(0);
  });

  it('carry WordNet antonymy over translations, directly or through a similar adjective', () => {
    const t = knowledgeTable();
    const opposite = features(t, 'sıcak', 'soğuk');
    expect(opposite.get('wordnet.direct')).toBe(1);
    expect(opposite.get('eng.sharedHeadwords')).toBe(0);
    expect(opposite.get('eng.bothTranslated')).toBe(1);
    expect(features(t, 'sıcak', 'ılık').get('wordnet.similar')).toBe(1);
    expect(features(t, 'soğuk', 'ılık').get('wordnet.direct')).toBe(0);
  });

  it('are all zero for a word no dictionary translates', () => {
    const f = features(knowledgeTable(), 'kalem', 'araç');
    for (const [name, v] of f) if (/^(eng|deu|fra|ita|pol|swe|kur|user|wordnet)\./.test(name)) expect(v).toBe(0);
  });
});

describe('knowledge candidates', () => {
  const ids = new Map(TERMS.map((w, i) => [w, i + 10]));
  const idOf = (w: string): number => ids.get(w) ?? -1;

  it('pair the terms of one sense and of one headword in enough languages, skipping crowded ones', () => {
    // araç / taşıt: one sense; araç / vasıta: vehicle and fahrzeug, two languages; taşıt / vasıta: vehicle only.
    expect(knowledgePairs(TRANSLATIONS, idOf, { sameSense: true, minLanguages: 2, maxGroup: 20 })).toEqual([
      { a: 10, b: 11, rule: 'sense' },
      { a: 10, b: 15, rule: 'languages' },
    ]);
    const any = knowledgePairs(TRANSLATIONS, idOf, { sameSense: true, minLanguages: 1, maxGroup: 20 });
    expect(any).toEqual([
      { a: 10, b: 11, rule: 'both' },
      { a: 10, b: 15, rule: 'languages' },
      { a: 11, b: 15, rule: 'languages' },
    ]);
    expect(knowledgePairs(TRANSLATIONS, idOf, { sameSense: true, minLanguages: 1, maxGroup: 2 })).toEqual([
      { a: 10, b: 11, rule: 'sense' },
      { a: 10, b: 15, rule: 'languages' },
    ]); // vehicle (three terms) is too crowded; the sense and fahrzeug are not
    expect(knowledgePairs(TRANSLATIONS, () => -1, { sameSense: true, minLanguages: 1, maxGroup: 20 })).toEqual([]);
  });

  it('join the neighbours in key order with their origin and a cosine for the new ones', () => {
    const knn = { a: Float64Array.of(1, 1, 3), b: Float64Array.of(2, 5, 4), cosine: Float32Array.of(0.9, 0.8, 0.75), length: 3 };
    const merged = mergeCandidates(knn, [{ a: 1, b: 5, rule: 'sense' }, { a: 2, b: 3, rule: 'languages' }], (a, b) => a / 10 + b / 100);
    expect(Array.from(merged.a)).toEqual([1, 1, 2, 3]);
    expect(Array.from(merged.b)).toEqual([2, 5, 3, 4]);
    expect(Array.from(merged.origin, (o) => CANDIDATE_ORIGINS[o])).toEqual(['knn', 'knowledge', 'knowledge', 'knn']);
    expect(merged.cosine[2]).toBeCloseTo(0.23, 5);
    expect(merged.added).toBe(1);
  });

  it('join range by range of rows as they would all at once, each knowledge pair in its first term\'s range', () => {
    // Rows 0..5 are terms 10, 20, .. 60; kNN pairs by row, split into ranges of rows 0-1, 2-3, 4-5.
    const termIds = [10, 20, 30, 40, 50, 60];
    const all = { a: Uint32Array.of(0, 0, 1, 2, 3, 4), b: Uint32Array.of(1, 3, 5, 3, 4, 5), cosine: Float32Array.of(0.9, 0.8, 0.7, 0.95, 0.6, 0.65) };
    const slice = (from: number, to: number) => {
      const keep = Array.from(all.a.keys()).filter((i) => all.a[i] >= from && all.a[i] < to);
      return { pairs: { a: Uint32Array.from(keep, (i) => all.a[i]), b: Uint32Array.from(keep, (i) => all.b[i]), cosine: Float32Array.from(keep, (i) => all.cosine[i]) }, from, to };
    };
    const known = [
      { a: 10, b: 40, rule: 'sense' as const },
      { a: 20, b: 30, rule: 'sense' as const },
      { a: 30, b: 60, rule: 'languages' as const },
      { a: 50, b: 60, rule: 'sense' as const },
    ];
    const cosine = (a: number, b: number): number => a / 100 + b / 1000;
    const want = mergeCandidates(termPairs(termIds, all), known, cosine);
    const counts: MergeCounts = { pairs: 0, knn: 0, added: 0 };
    const chunks = [...mergeCandidateChunks([slice(0, 2), slice(2, 4), slice(4, 6)], termIds, known, cosine, counts)];
    expect(chunks.map((c) => c.length)).toEqual([4, 3, 1]);
    const join = (key: 'a' | 'b' | 'cosine' | 'origin') => chunks.flatMap((c) => Array.from(c[key] as ArrayLike<number>));
    expect(join('a')).toEqual(Array.from(want.a));
    expect(join('b')).toEqual(Array.from(want.b));
    expect(join('cosine')).toEqual(Array.from(want.cosine));
    expect(join('origin')).toEqual(Array.from(want.origin));
    expect(counts).toEqual({ pairs: want.length, knn: 6, added: want.added });
    // A knowledge pair past the last range is an error, not a silent loss.
    expect(() => [...mergeCandidateChunks([slice(0, 2)], termIds, known, cosine)]).toThrow(RangeError);
  });

  it('join many ranges as they would all at once, with term ids ranked by row or not', () => {
    const random = mulberry32(11);
    const rows = 400;
    const all = { a: [] as number[], b: [] as number[], cosine: [] as number[] };
    for (let x = 0; x < rows; x++) for (let y = x + 1; y < rows; y++) if (random() < 0.05) all.a.push(x), all.b.push(y), all.cosine.push(Math.fround(random()));
    const pairs = { a: Uint32Array.from(all.a), b: Uint32Array.from(all.b), cosine: Float32Array.from(all.cosine) };
    const cosine = (a: number, b: number): number => a / 1e4 + b / 1e7;
    for (const termIds of [Array.from({ length: rows }, (_, r) => 3 * r + 1), Array.from({ length: rows }, (_, r) => 5000 - 3 * r)]) {
      // Knowledge pairs: a third of them pairs the kNN found too.
      const found = new Set(Array.from(pairs.a, (x, i) => `${Math.min(termIds[x], termIds[pairs.b[i]])},${Math.max(termIds[x], termIds[pairs.b[i]])}`));
      const keys = new Set<string>();
      while (keys.size < 300) {
        const x = termIds[Math.floor(random() * rows)];
        const y = termIds[Math.floor(random() * rows)];
        if (x !== y && (random() < 0.3) === found.has(`${Math.min(x, y)},${Math.max(x, y)}`)) keys.add(`${Math.min(x, y)},${Math.max(x, y)}`);
      }
      const known = [...keys].map((k) => k.split(',').map(Number)).sort((p, q) => p[0] - q[0] || p[1] - q[1]).map(([a, b]) => ({ a, b, rule: 'sense' as const }));
      const want = mergeCandidates(termPairs(termIds, pairs), known, cosine);
      // Ranges of rows; without rank order termPairs sorts, and a range's pairs are its rows' only when ranked.
      const ranked = termIds[1] > termIds[0];
      const ranges = ranked ? [0, 37, 150, 151, 290, rows] : [0, rows];
      const chunks = ranges.slice(1).map((to, k) => {
        const from = ranges[k];
        const keep = Array.from(pairs.a.keys()).filter((i) => pairs.a[i] >= from && pairs.a[i] < to);
        return { pairs: { a: Uint32Array.from(keep, (i) => pairs.a[i]), b: Uint32Array.from(keep, (i) => pairs.b[i]), cosine: Float32Array.from(keep, (i) => pairs.cosine[i]) }, from, to };
      });
      const counts: MergeCounts = { pairs: 0, knn: 0, added: 0 };
      const merged = [...mergeCandidateChunks(chunks, termIds, known, cosine, counts)];
      const join = (key: 'a' | 'b' | 'cosine' | 'origin') => merged.flatMap((c) => Array.from(c[key] as ArrayLike<number>));
      expect(join('a')).toEqual(Array.from(want.a));
      expect(join('b')).toEqual(Array.from(want.b));
      expect(join('cosine')).toEqual(Array.from(want.cosine));
      expect(join('origin')).toEqual(Array.from(want.origin));
      expect(want.added).toBeGreaterThan(150);
      expect(want.length - want.added).toBe(pairs.a.length);
      expect(counts).toEqual({ pairs: want.length, knn: pairs.a.length, added: want.added });
    }
  });

  it('rank before every neighbour in a term list, with their own cosine', async () => {
    const db = openDb(join(dir, 'candidates.db'));
    try {
      await writeCandidates(db, { a: [1, 1, 1], b: [2, 3, 4], cosine: [0.9, 0.2, 0.8], origin: [0, 1, 0], originNames: CANDIDATE_ORIGINS, length: 3 });
      const lists = readCandidateNeighbours(db, { minCosine: 0.7 });
      expect(Array.from(lists.of(1).neighbours)).toEqual([3, 2, 4]);
      const cosines = Array.from(lists.of(1).cosines);
      [0.2, 0.9, 0.8].forEach((c, i) => expect(cosines[i]).toBeCloseTo(c, 5));
    } finally {
      db.close();
    }
  });
});

describe('the translated terms', () => {
  it('are the terms a stored translation names, in id order, and no word outside the term list', () => {
    const db = openDb(':memory:');
    try {
      db.prepare("INSERT INTO sources(id, kind, name, added_at) VALUES (1, 'terms', 'test', '2026-12-07')").run();
      const term = db.prepare('INSERT INTO terms(id, norm, source_id) VALUES (?, ?, 1)');
      for (const [id, norm] of [[7, 'taşıt'], [3, 'araç'], [5, 'kalem'], [9, 'sıcak']] as const) term.run(id, norm);
      writeKnowledge(
        db,
        [
          { term: 'taşıt', source: 'eng-tur', headword: 'vehicle', sense: '1' },
          { term: 'araç', source: 'eng-tur', headword: 'vehicle', sense: '1' },
          { term: 'araç', source: 'deu-tur', headword: 'Fahrzeug', sense: '0' },
          { term: 'otomobil', source: 'eng-tur', headword: 'car', sense: '0' },
          { term: 'sıcak', source: 'fra-tur', headword: 'chaud', sense: '0' },
        ],
        [],
      );
      expect(readTranslatedTermIds(db)).toEqual([
        [3, 'araç'],
        [7, 'taşıt'],
        [9, 'sıcak'],
      ]);
    } finally {
      db.close();
    }
  });
});

describe('synograph build with dictionaries', () => {
  it('stores the translations of its terms with provenance, a user dictionary among them, and makes candidates of one sense (held-out builds too: dictionaries are not KeNet)', async () => {
    const terms = join(dir, 'terms.txt');
    writeFileSync(terms, 'araç\ntaşıt\nkalem\nsıcak\nsoğuk\nzımbırtı\nzırzop\n');
    const mine = join(dir, 'mine.tsv');
    writeFileSync(mine, 'source\theadword\tsense\tterm\nthesaurus\tgaripler\t1\tzımbırtı\nthesaurus\tgaripler\t1\tzırzop\n');
    const db = join(dir, 'dict.db');
    const r = await synograph('build', '--db', db, '--terms', terms, '--holdout', '--until', 'candidates', '--dictionary', mine, '--top-k', '2', '--json');
    expect(r.code).toBe(0);
    const stats = JSON.parse(r.stdout).stages.knowledge.stats.independent;
    expect(stats.bySource['user:thesaurus']).toBe(2);
    expect(stats.bySource['eng-tur']).toBeGreaterThan(0);
    const stored = new Database(db, { readonly: true });
    try {
      const rows = stored.prepare("SELECT term, source, headword, sense FROM knowledge_translations WHERE term IN ('araç', 'zırzop') ORDER BY source, headword").all() as { source: string }[];
      expect(rows).toContainEqual({ term: 'zırzop', source: 'user:thesaurus', headword: 'garipler', sense: '1' });
      expect(rows.some((x) => x.source === 'eng-tur')).toBe(true);
      const name = stored.prepare('SELECT norm FROM terms WHERE id = ?').pluck();
      const knowledge = [...candidateBlocks(stored)].flatMap((k) => Array.from(k.a).flatMap((a, i) => (k.origin[i] === STORED_ORIGINS.indexOf('knowledge') ? [`${name.get(a)} / ${name.get(k.b[i])}`] : [])));
      expect(knowledge).toContain('zımbırtı / zırzop');
      expect(stored.prepare("SELECT count(*) FROM knowledge_opposites WHERE source = 'wordnet'").pluck().get()).toBeGreaterThan(0);
    } finally {
      stored.close();
    }
    const none = await synograph('build', '--db', join(dir, 'none.db'), '--terms', terms, '--until', 'knowledge', '--knowledge', 'none', '--json');
    expect(JSON.parse(none.stdout).stages.knowledge.stats.independent.translations).toBe(0);
    const wrong = await synograph('build', '--db', join(dir, 'x.db'), '--terms', terms, '--knowledge', 'klingon');
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('--knowledge');
  }, 240_000);
});
