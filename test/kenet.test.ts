import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  readKenet,
  loadKenet,
  kenetTermRecords,
  isPlaceholderLiteral,
  kenetPath,
  InputError,
  type KenetSynset,
} from '../src/lexicon/index.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'synograph-kenet-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

let counter = 0;
function write(name: string, content: string | Buffer): string {
  const file = join(dir, `${counter++}-${name}`);
  writeFileSync(file, content);
  return file;
}

async function readError(file: string): Promise<InputError> {
  try {
    for await (const _ of readKenet(file)) {
      // drain
    }
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return err as InputError;
  }
  throw new Error(`expected an InputError reading ${file}`);
}

// Same structure as node_modules/nlptoolkit-wordnet/turkish_wordnet.xml (one synset a line).
const FIXTURE = [
  '<SYNSETS>',
  '<SYNSET><ID>TUR10-0000000</ID><SYNONYM><LITERAL>(özel isim)<SENSE>1</SENSE></LITERAL></SYNONYM><POS>n</POS><SR>TUR10-0379560<TYPE>HYPERNYM</TYPE></SR><DEF>Bir özel isim</DEF></SYNSET>',
  '<SYNSET><ID>TUR10-0000030</ID><SYNONYM><LITERAL>Su<SENSE>1</SENSE></LITERAL><LITERAL>ab<SENSE>1</SENSE><GROUP>1</GROUP></LITERAL><LITERAL>a\u0302b<SENSE>2</SENSE><GROUP>1</GROUP></LITERAL></SYNONYM><POS>n</POS><SR>TUR10-0516740<TYPE>HYPONYM</TYPE></SR><SR>TUR10-0514560<TYPE>SUBSTANCE_HOLONYM</TYPE></SR><ILR>ENG31-14869913-n<TYPE>SYNONYM</TYPE></ILR><SR>TUR10-0122950<TYPE>HYPONYM</TYPE></SR><DEF>Hidrojen ve oksijenden oluşan sıvı</DEF><EXAMPLE>Bir bardak su içti.| Âb-ı hayat |Su &amp; ekmek</EXAMPLE></SYNSET>',
  '<SYNSET><ID>TUR10-0000040</ID><SYNONYM><LITERAL>kız kardeş<SENSE>1</SENSE><GROUP>1</GROUP></LITERAL><LITERAL>  İKİZ   Kardeş <SENSE>3</SENSE></LITERAL><LITERAL>(akraba)<SENSE>1</SENSE></LITERAL><LITERAL>abd<SENSE>2</SENSE><ORIGIN>FOREIGN</ORIGIN></LITERAL></SYNONYM><POS>n</POS><ILR>ENG31-10622393-n<TYPE>SYNONYM</TYPE></ILR><SR>TUR10-0177390<TYPE>ANTONYM</TYPE></SR><WIKI>https://tr.wikipedia.org/wiki/Kardeş</WIKI><DEF>Bir kimsenin kadın kardeşi</DEF></SYNSET>',
  '<SYNSET><ID>TUR10-2900010</ID><SYNONYM><LITERAL>memnun kalmak</LITERAL></SYNONYM><POS>v</POS></SYNSET>',
  '</SYNSETS>',
  '',
].join('\n');

describe('readKenet on a small fixture', () => {
  let synsets: KenetSynset[];
  let stats: { synsets: number; literals: number; placeholderLiterals: number };

  beforeAll(async () => {
    const loaded = await loadKenet(write('fixture.xml', FIXTURE));
    synsets = loaded.synsets;
    stats = loaded.stats;
  });

  it('yields every synset in file order, with counts', () => {
    expect(synsets.map((s) => s.id)).toEqual(['TUR10-0000000', 'TUR10-0000030', 'TUR10-0000040', 'TUR10-2900010']);
    expect(stats).toEqual({ synsets: 4, literals: 7, placeholderLiterals: 2 });
  });

  it('the placeholder-only synset has no literals but keeps its other fields', () => {
    expect(synsets[0]).toEqual({
      id: 'TUR10-0000000',
      pos: 'n',
      literals: [],
      definition: 'Bir özel isim',
      examples: [],
      relations: [{ type: 'HYPERNYM', target: 'TUR10-0379560' }],
    });
  });

  it('literals (normalised and original), senses, POS, definition, examples, relations; ILR ignored', () => {
    expect(synsets[1]).toEqual({
      id: 'TUR10-0000030',
      pos: 'n',
      literals: [
        { norm: 'su', original: 'Su', sense: 1 },
        { norm: 'ab', original: 'ab', sense: 1 },
        { norm: 'âb', original: 'a\u0302b', sense: 2 },
      ],
      definition: 'Hidrojen ve oksijenden oluşan sıvı',
      examples: ['Bir bardak su içti.', 'Âb-ı hayat', 'Su & ekmek'],
      relations: [
        { type: 'HYPONYM', target: 'TUR10-0516740' },
        { type: 'SUBSTANCE_HOLONYM', target: 'TUR10-0514560' },
        { type: 'HYPONYM', target: 'TUR10-0122950' },
      ],
    });
  });

  it('literal text is trimmed as original and normalised Turkish-style; placeholder (akraba) skipped', () => {
    expect(synsets[2].literals).toEqual([
      { norm: 'kız kardeş', original: 'kız kardeş', sense: 1 },
      { norm: 'ikiz kardeş', original: 'İKİZ   Kardeş', sense: 3 },
      { norm: 'abd', original: 'abd', sense: 2 },
    ]);
    expect(synsets[2].relations).toEqual([{ type: 'ANTONYM', target: 'TUR10-0177390' }]);
    expect(synsets[2].examples).toEqual([]);
    expect(synsets[2].definition).toBe('Bir kimsenin kadın kardeşi');
  });

  it('a literal without SENSE has sense null; a synset without DEF has definition null', () => {
    expect(synsets[3]).toEqual({
      id: 'TUR10-2900010',
      pos: 'v',
      literals: [{ norm: 'memnun kalmak', original: 'memnun kalmak', sense: null }],
      definition: null,
      examples: [],
      relations: [],
    });
  });

  it('no relation target is an ILR (ENG31-...) target', () => {
    for (const s of synsets) for (const r of s.relations) expect(r.target.startsWith('TUR10-')).toBe(true);
  });

  it('kenetTermRecords: first spelling of each normalised literal, numbered in normalised order so that no line groups a synset', async () => {
    const out = [];
    for await (const batch of kenetTermRecords([...synsets, synsets[1]])) out.push(...batch);
    expect(out).toEqual([
      { term: 'ab', line: 1 },
      { term: 'abd', line: 2 },
      { term: 'İKİZ   Kardeş', line: 3 },
      { term: 'kız kardeş', line: 4 },
      { term: 'memnun kalmak', line: 5 },
      { term: 'Su', line: 6 },
      { term: 'a\u0302b', line: 7 }, // âb: U+00E2 sorts after every ASCII letter
    ]);
  });
});

describe('isPlaceholderLiteral', () => {
  it('parenthesised or empty literals are placeholders', () => {
    expect(isPlaceholderLiteral('(özel isim)')).toBe(true);
    expect(isPlaceholderLiteral(' (zaman) ')).toBe(true);
    expect(isPlaceholderLiteral('  ')).toBe(true);
    expect(isPlaceholderLiteral('su')).toBe(false);
    expect(isPlaceholderLiteral('(bir) şey')).toBe(false);
  });
});

describe('readKenet: bad input', () => {
  it('mismatched close tag on line 3 -> InputError naming the file and line 3', async () => {
    const xml = [
      '<SYNSETS>',
      '<SYNSET><ID>TUR10-1</ID><SYNONYM><LITERAL>su<SENSE>1</SENSE></LITERAL></SYNONYM><POS>n</POS></SYNSET>',
      '<SYNSET><ID>TUR10-2</ID><SYNONYM><LITERAL>ab<SENSE>1</SENSE></SYNONYM><POS>n</POS></SYNSET>',
      '<SYNSET><ID>TUR10-3</ID><SYNONYM><LITERAL>ev<SENSE>1</SENSE></LITERAL></SYNONYM><POS>n</POS></SYNSET>',
      '</SYNSETS>',
    ].join('\n');
    const file = write('mismatch.xml', xml);
    const err = await readError(file);
    expect(err.file).toBe(file);
    expect(err.line).toBe(3);
    expect(err.message.startsWith(`${file}:3: malformed XML`)).toBe(true);
  });

  it('a tag left unclosed at the end of the file -> InputError naming the file and the last line', async () => {
    const xml = [
      '<SYNSETS>',
      '<SYNSET><ID>TUR10-1</ID><SYNONYM><LITERAL>su<SENSE>1</SENSE></LITERAL></SYNONYM><POS>n</POS></SYNSET>',
      '<SYNSET><ID>TUR10-2</ID><SYNONYM><LITERAL>ab<SENSE>1</SENSE></LITERAL></SYNONYM><POS>n</POS>',
    ].join('\n');
    const file = write('unclosed.xml', xml);
    const err = await readError(file);
    expect(err.file).toBe(file);
    expect(err.line).toBe(3);
    expect(err.message.startsWith(`${file}:3: malformed XML`)).toBe(true);
  });

  it('an unterminated tag on line 2 -> InputError with a line number', async () => {
    const file = write('broken.xml', '<SYNSETS>\n<SYNSET><ID>TUR10-1</ID\n<POS>n</POS></SYNSET>\n</SYNSETS>\n');
    const err = await readError(file);
    expect(err.file).toBe(file);
    expect(typeof err.line).toBe('number');
    expect(err.message.startsWith(`${file}:${err.line}: malformed XML`)).toBe(true);
  });

  it('invalid UTF-8 -> InputError naming the file', async () => {
    const file = write(
      'bad-utf8.xml',
      Buffer.concat([Buffer.from('<SYNSETS>\n<SYNSET><ID>TUR10-1</ID><SYNONYM><LITERAL>s'), Buffer.from([0xff]), Buffer.from('u</LITERAL></SYNONYM></SYNSET>\n</SYNSETS>\n')]),
    );
    const err = await readError(file);
    expect(err.file).toBe(file);
    expect(err.message).toContain('invalid UTF-8');
  });

  it('a missing file -> InputError "file not found"', async () => {
    const missing = join(dir, 'nope.xml');
    const err = await readError(missing);
    expect(err.file).toBe(missing);
    expect(err.line).toBeNull();
    expect(err.message).toBe(`${missing}: file not found`);
  });
});

describe('the real KeNet (kenetPath())', () => {
  it('78,327 synsets; 17,038 with >= 2 distinct normalised literals; su/ab/âb synset present', async () => {
    const { synsets, stats } = await loadKenet(kenetPath());
    expect(synsets.length).toBe(78_327);
    expect(stats.synsets).toBe(78_327);
    expect(stats.placeholderLiterals).toBe(11);
    let multi = 0;
    for (const s of synsets) if (new Set(s.literals.map((l) => l.norm)).size >= 2) multi++;
    expect(multi).toBe(17_038);
    const su = synsets.filter((s) => s.literals.some((l) => l.norm === 'su') && s.literals.some((l) => l.norm === 'âb'));
    expect(su.map((s) => s.id)).toEqual(['TUR10-0000030']);
    expect(su[0].literals.map((l) => l.norm)).toEqual(['su', 'ab', 'âb']);
    expect(su[0].pos).toBe('n');
  }, 30_000);
});
