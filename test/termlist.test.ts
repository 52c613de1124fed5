import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  readTermList,
  detectFormat,
  InputError,
  WarningLog,
  MAX_TERM_LENGTH,
  DEFAULT_MAX_LINE_BYTES,
  type TermRecord,
  type TermListFormat,
} from '../src/lexicon/index.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'synograph-termlist-'));
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

async function read(file: string, format?: TermListFormat): Promise<{ records: TermRecord[]; warnings: WarningLog }> {
  const warnings = new WarningLog(1000);
  const records: TermRecord[] = [];
  for await (const r of readTermList(file, { warnings, format })) records.push(r);
  return { records, warnings };
}

async function readError(file: string, format?: TermListFormat): Promise<InputError> {
  try {
    await read(file, format);
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return err as InputError;
  }
  throw new Error(`expected an InputError reading ${file}`);
}

/** Warnings as [kind, line] pairs, in the order they were added. */
function warned(w: WarningLog): Array<[string, number]> {
  return w.examples.map((x) => [x.kind, x.line]);
}

describe('detectFormat', () => {
  it('by extension', () => {
    expect(detectFormat('a/b.txt')).toBe('txt');
    expect(detectFormat('a/b.TSV')).toBe('tsv');
    expect(detectFormat('a/b.tab')).toBe('tsv');
    expect(detectFormat('a/b.jsonl')).toBe('jsonl');
    expect(detectFormat('a/b.ndjson')).toBe('jsonl');
    expect(detectFormat('a/b')).toBe('txt');
  });
});

describe('readTermList: plain text', () => {
  it('one term a line, line numbers 1-based, no trailing empty record', async () => {
    const file = write('terms.txt', 'elma\nkırmızı kitap\nİstanbul\n');
    const { records, warnings } = await read(file);
    expect(records).toEqual([
      { term: 'elma', line: 1 },
      { term: 'kırmızı kitap', line: 2 },
      { term: 'İstanbul', line: 3 },
    ]);
    expect(warnings.total).toBe(0);
  });

  it('last line without a trailing newline is read', async () => {
    const file = write('noeol.txt', 'a\nb');
    const { records } = await read(file);
    expect(records.map((r) => [r.term, r.line])).toEqual([['a', 1], ['b', 2]]);
  });

  it('CRLF line endings: no \\r in terms', async () => {
    const file = write('crlf.txt', 'elma\r\narmut\r\n\r\nkiraz\r\n');
    const { records, warnings } = await read(file);
    expect(records.map((r) => [r.term, r.line])).toEqual([['elma', 1], ['armut', 2], ['kiraz', 4]]);
    expect(warned(warnings)).toEqual([['empty-line', 3]]);
  });

  it('UTF-8 BOM is not part of the first term', async () => {
    const file = write('bom.txt', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('çay\nsu\n', 'utf8')]));
    const { records } = await read(file);
    expect(records.map((r) => r.term)).toEqual(['çay', 'su']);
    expect(records[0].term.length).toBe(3);
  });

  it('empty and whitespace-only lines are counted empty-line warnings with their line numbers', async () => {
    const file = write('empty.txt', '\nelma\n\n   \narmut\n\t\n');
    const { records, warnings } = await read(file);
    expect(records.map((r) => [r.term, r.line])).toEqual([['elma', 2], ['armut', 5]]);
    expect(warnings.counts).toEqual({ 'empty-line': 4 });
    expect(warned(warnings)).toEqual([['empty-line', 1], ['empty-line', 3], ['empty-line', 4], ['empty-line', 6]]);
    expect(warnings.examples.every((w) => w.file === file)).toBe(true);
  });

  it('invalid UTF-8 on line 2: that line skipped with an invalid-utf8 warning, the others read', async () => {
    const bytes = Buffer.concat([
      Buffer.from('elma\n', 'utf8'),
      Buffer.from([0x61, 0xff, 0x62, 0x0a]), // a \xff b
      Buffer.from('armut\n', 'utf8'),
      Buffer.from([0x6b, 0xc3, 0x0a]), // k + truncated 2-byte sequence
      Buffer.from('kiraz\n', 'utf8'),
    ]);
    const file = write('bad-utf8.txt', bytes);
    const { records, warnings } = await read(file);
    expect(records.map((r) => [r.term, r.line])).toEqual([['elma', 1], ['armut', 3], ['kiraz', 5]]);
    expect(warnings.counts).toEqual({ 'invalid-utf8': 2 });
    expect(warned(warnings)).toEqual([['invalid-utf8', 2], ['invalid-utf8', 4]]);
    expect(warnings.examples[0].file).toBe(file);
  });

  it('a 100 kB line is skipped with line-too-long (right line number); later lines still read', async () => {
    const long = 'x'.repeat(100 * 1024);
    expect(100 * 1024).toBeGreaterThan(DEFAULT_MAX_LINE_BYTES);
    const file = write('long.txt', `elma\narmut\n${long}\nkiraz\nüzüm\n`);
    const { records, warnings } = await read(file);
    expect(records.map((r) => [r.term, r.line])).toEqual([['elma', 1], ['armut', 2], ['kiraz', 4], ['üzüm', 5]]);
    expect(warnings.counts).toEqual({ 'line-too-long': 1 });
    expect(warned(warnings)).toEqual([['line-too-long', 3]]);
  });

  it('a giant line spanning several read chunks (3 MB) is skipped, the next line read', async () => {
    const long = 'y'.repeat(3 * 1024 * 1024 + 17);
    const file = write('giant.txt', `elma\n${long}\nkiraz`);
    const { records, warnings } = await read(file);
    expect(records.map((r) => [r.term, r.line])).toEqual([['elma', 1], ['kiraz', 3]]);
    expect(warned(warnings)).toEqual([['line-too-long', 2]]);
  });

  it('a too-long last line without newline is reported too', async () => {
    const file = write('longlast.txt', `elma\n${'z'.repeat(70_000)}`);
    const { records, warnings } = await read(file);
    expect(records.map((r) => r.term)).toEqual(['elma']);
    expect(warned(warnings)).toEqual([['line-too-long', 2]]);
  });

  it(`a term of MAX_TERM_LENGTH (${MAX_TERM_LENGTH}) is kept, one longer is term-too-long`, async () => {
    const ok = 'a'.repeat(MAX_TERM_LENGTH);
    const tooLong = 'b'.repeat(MAX_TERM_LENGTH + 1);
    const file = write('termlen.txt', `${ok}\n${tooLong}\nelma\n`);
    const { records, warnings } = await read(file);
    expect(records.map((r) => [r.term, r.line])).toEqual([[ok, 1], ['elma', 3]]);
    expect(warned(warnings)).toEqual([['term-too-long', 2]]);
  });

  it('a missing file -> InputError naming the file and saying not found', async () => {
    const missing = join(dir, 'does-not-exist.txt');
    const err = await readError(missing);
    expect(err.file).toBe(missing);
    expect(err.line).toBeNull();
    expect(err.message).toBe(`${missing}: file not found`);
  });

  it('a directory -> InputError "not a regular file"', async () => {
    const err = await readError(dir);
    expect(err.message).toBe(`${dir}: not a regular file`);
  });
});

describe('readTermList: TSV', () => {
  it('header term/id/definition in the usual order', async () => {
    const file = write('terms.tsv', 'term\tid\tdefinition\nelma\tE1\tbir meyve\narmut\tA2\t\n');
    const { records, warnings } = await read(file);
    expect(records).toEqual([
      { term: 'elma', externalId: 'E1', definition: 'bir meyve', line: 2 },
      { term: 'armut', externalId: 'A2', definition: undefined, line: 3 },
    ]);
    expect(warnings.total).toBe(0);
  });

  it('any column order, extra columns, header case and spaces ignored', async () => {
    const file = write('order.tsv', 'Definition\tnote\t ID \tsource\tTerm\nbir meyve\tx\t42\tTDK\telma\n\t\t\t\tarmut\n');
    const { records, warnings } = await read(file);
    expect(records).toEqual([
      { term: 'elma', externalId: '42', definition: 'bir meyve', line: 2 },
      { term: 'armut', externalId: undefined, definition: undefined, line: 3 },
    ]);
    expect(warnings.total).toBe(0);
  });

  it('only a term column', async () => {
    const file = write('only.tsv', 'term\nelma\narmut\n');
    const { records } = await read(file);
    expect(records).toEqual([
      { term: 'elma', externalId: undefined, definition: undefined, line: 2 },
      { term: 'armut', externalId: undefined, definition: undefined, line: 3 },
    ]);
  });

  it('CRLF and BOM: the header still has its term column and cells have no \\r', async () => {
    const file = write(
      'crlfbom.tsv',
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('term\tdefinition\r\nelma\tmeyve\r\n\r\narmut\tmeyve\r\n', 'utf8')]),
    );
    const { records, warnings } = await read(file);
    expect(records).toEqual([
      { term: 'elma', externalId: undefined, definition: 'meyve', line: 2 },
      { term: 'armut', externalId: undefined, definition: 'meyve', line: 4 },
    ]);
    expect(warned(warnings)).toEqual([['empty-line', 3]]);
  });

  it('without a term column -> InputError naming the file and line 1', async () => {
    const file = write('noterm.tsv', 'word\tid\nelma\t1\n');
    const err = await readError(file);
    expect(err.file).toBe(file);
    expect(err.line).toBe(1);
    expect(err.message.startsWith(`${file}:1: `)).toBe(true);
    expect(err.message).toContain('"term"');
  });

  it('an empty TSV file -> InputError naming the file', async () => {
    const file = write('empty.tsv', '');
    const err = await readError(file);
    expect(err.file).toBe(file);
    expect(err.message.startsWith(`${file}: `)).toBe(true);
  });

  it('a row with too few columns -> malformed-record; an empty term cell -> empty-term', async () => {
    const file = write('short.tsv', 'id\tterm\n1\telma\n2\n3\t  \n4\tarmut\n');
    const { records, warnings } = await read(file);
    expect(records.map((r) => [r.term, r.externalId, r.line])).toEqual([['elma', '1', 2], ['armut', '4', 5]]);
    expect(warned(warnings)).toEqual([['malformed-record', 3], ['empty-term', 4]]);
  });

  it('the format option overrides the extension', async () => {
    const file = write('actually-tsv.txt', 'term\tid\nelma\t7\n');
    const { records } = await read(file, 'tsv');
    expect(records).toEqual([{ term: 'elma', externalId: '7', definition: undefined, line: 2 }]);
  });
});

describe('readTermList: JSONL', () => {
  it('term, id and definition; numeric id becomes a string', async () => {
    const file = write(
      'terms.jsonl',
      [
        JSON.stringify({ term: 'elma', id: 'E1', definition: 'bir meyve' }),
        JSON.stringify({ term: 'armut' }),
        JSON.stringify({ definition: 'önce', id: 12, term: 'kiraz', extra: true }),
      ].join('\n') + '\n',
    );
    const { records, warnings } = await read(file);
    expect(records).toEqual([
      { term: 'elma', externalId: 'E1', definition: 'bir meyve', line: 1 },
      { term: 'armut', externalId: undefined, definition: undefined, line: 2 },
      { term: 'kiraz', externalId: '12', definition: 'önce', line: 3 },
    ]);
    expect(warnings.total).toBe(0);
  });

  it('a malformed JSON line -> malformed-record naming the line; the others read', async () => {
    const file = write('bad.jsonl', '{"term":"elma"}\n{"term": "armut"\n{"term":"kiraz"}\n');
    const { records, warnings } = await read(file);
    expect(records.map((r) => [r.term, r.line])).toEqual([['elma', 1], ['kiraz', 3]]);
    expect(warned(warnings)).toEqual([['malformed-record', 2]]);
    expect(warnings.examples[0].file).toBe(file);
    expect(warnings.format()[0].startsWith(`${file}:2: invalid JSON`)).toBe(true);
  });

  it('lines without a string term -> malformed-record each', async () => {
    const file = write(
      'noterm.jsonl',
      ['{"term":5}', '{"id":"x"}', 'null', '"elma"', '[1,2]', '{"term":null}', '{"term":"üzüm"}'].join('\n'),
    );
    const { records, warnings } = await read(file);
    expect(records.map((r) => [r.term, r.line])).toEqual([['üzüm', 7]]);
    expect(warnings.counts).toEqual({ 'malformed-record': 6 });
    expect(warned(warnings)).toEqual([1, 2, 3, 4, 5, 6].map((n) => ['malformed-record', n]));
  });

  it('empty lines, CRLF and BOM', async () => {
    const file = write(
      'crlf.jsonl',
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"term":"elma"}\r\n\r\n{"term":"armut"}\r\n', 'utf8')]),
    );
    const { records, warnings } = await read(file);
    expect(records.map((r) => [r.term, r.line])).toEqual([['elma', 1], ['armut', 3]]);
    expect(warned(warnings)).toEqual([['empty-line', 2]]);
  });

  it('a term longer than MAX_TERM_LENGTH -> term-too-long; an empty term -> empty-term', async () => {
    const file = write('long.jsonl', [JSON.stringify({ term: 'ş'.repeat(MAX_TERM_LENGTH + 1) }), '{"term":" "}', '{"term":"elma"}'].join('\n'));
    const { records, warnings } = await read(file);
    expect(records.map((r) => [r.term, r.line])).toEqual([['elma', 3]]);
    expect(warned(warnings)).toEqual([['term-too-long', 1], ['empty-term', 2]]);
  });
});

describe('readTermList: text that is no term', () => {
  it('JSONL escapes of a lone surrogate or NUL, ANSI escapes and a stray NUL are skipped as control-characters', async () => {
    const file = write('junk.jsonl', ['{"term":"a\\ud800b"}', '{"term":"a\\u0000"}', '{"term":"\\u001b[31mkırmızı\\u001b[0m"}', '{"term":"elma 😀"}'].join('\n'));
    const { records, warnings } = await read(file);
    expect(records.map((r) => r.term)).toEqual(['elma 😀']);
    expect(warned(warnings)).toEqual([['control-characters', 1], ['control-characters', 2], ['control-characters', 3]]);
    const text = write('nul.txt', Buffer.concat([Buffer.from('elma\n'), Buffer.from([0, 0]), Buffer.from('\narmut\n')]));
    const t = await read(text);
    expect(t.records.map((r) => r.term)).toEqual(['elma', 'armut']);
    expect(warned(t.warnings)).toEqual([['control-characters', 2]]);
  });

  it('zero-width characters alone are an empty term', async () => {
    const file = write('zw.txt', '\u200b\u200d\nelma\n\ufeff \u2060\n');
    const { records, warnings } = await read(file);
    expect(records.map((r) => r.term)).toEqual(['elma']);
    expect(warned(warnings)).toEqual([['empty-term', 1], ['empty-term', 3]]);
  });

  it('a binary file is refused whole, naming it', async () => {
    const binary = Buffer.alloc(4096);
    for (let i = 0; i < binary.length; i += 7) binary.write('GLIBC', i);
    const err = await readError(write('ls', binary));
    expect(err.message).toMatch(/ls: contains NUL bytes: a binary or UTF-16 file/);
  });

  it('CR-only line ends split lines like LF', async () => {
    const { records } = await read(write('mac.txt', 'elma\rarmut\rkiraz'));
    expect(records.map((r) => [r.term, r.line])).toEqual([['elma', 1], ['armut', 2], ['kiraz', 3]]);
  });
});

describe('WarningLog', () => {
  it('counts every warning but keeps only the first examples per kind', () => {
    const log = new WarningLog(2);
    for (let i = 1; i <= 5; i++) log.add({ kind: 'empty-line', file: 'f', line: i, message: 'm' });
    log.add({ kind: 'invalid-utf8', file: 'f', line: 9, message: 'bad' });
    expect(log.total).toBe(6);
    expect(log.counts).toEqual({ 'empty-line': 5, 'invalid-utf8': 1 });
    expect(log.examples.map((w) => w.line)).toEqual([1, 2, 9]);
    expect(log.format()).toEqual(['f:1: m (empty-line)', 'f:2: m (empty-line)', 'f:9: bad (invalid-utf8)', 'empty-line: 5', 'invalid-utf8: 1']);
  });
});
