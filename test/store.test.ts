import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import Database from 'better-sqlite3';
import { rowInserter, ROWS_PER_STATEMENT } from '../src/store/row-insert.js';
import { openDb, WAL_BYTES_KEPT, migrate, MIGRATIONS, SCHEMA_VERSION, ingestTerms, ingestLexicon, buildIdentity, claimBuildMode, runStage, startBuild, StoreError, candidateBlocks, writeEmbeddings, readEmbeddings, readEmbeddingsOf, readEmbeddingRows, embeddingMatrix, writeEvidence, readEvidenceOf, writeLemmas, readTermsWithoutLemma } from '../src/store/index.js';
import { STORED_ORIGINS } from '../src/store/candidates.js';
import { readTermBatches, WarningLog, type TermRecord } from '../src/lexicon/index.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'synograph-store-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function* batches(records: TermRecord[], failAfter = Infinity): AsyncGenerator<TermRecord[]> {
  let n = 0;
  for (const r of records) {
    if (n++ >= failAfter) throw new Error('interrupted');
    yield [r];
  }
}

const count = (db: Database.Database, table: string): number => db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;

describe('migrations', () => {
  it('creates every table once and records the schema version', () => {
    const db = openDb(join(dir, 'a.db'));
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[]);
    for (const t of ['terms', 'definitions', 'gold_relations', 'builds', 'build_stages', 'embeddings', 'candidate_blocks', 'relation_predictions', 'cannot_links', 'clusters', 'memberships', 'synsets', 'synset_members', 'synset_relations', 'sources', 'meta']) {
      expect(tables).toContain(t);
    }
    // Re-running is a no-op.
    expect(migrate(db)).toBe(SCHEMA_VERSION);
    db.close();
    const again = openDb(join(dir, 'a.db'));
    expect(again.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    again.close();
  });

  it('upgrades an older database in place, keeping its rows', () => {
    const file = join(dir, 'v1.db');
    const raw = new Database(file);
    raw.exec(MIGRATIONS[0].sql);
    raw.pragma('user_version = 1');
    raw.prepare("INSERT INTO sources(kind, name, added_at) VALUES ('terms', 'old', 'then')").run();
    raw.prepare("INSERT INTO terms(norm, folded, original, source_id) VALUES ('su', 'su', 'Su', 1)").run();
    raw.close();
    const db = openDb(file);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.prepare('SELECT norm, original, source_line FROM terms').all()).toEqual([{ norm: 'su', original: 'Su', source_line: null }]);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'artifacts'").pluck().get()).toBe(1);
    db.close();
  });

  it('schema 9 moves the candidate pairs of an older database into blocks, unchanged', () => {
    const file = join(dir, 'v8.db');
    const raw = new Database(file);
    for (const m of MIGRATIONS.filter((m) => m.version <= 8)) raw.exec(m.sql);
    raw.pragma('user_version = 8');
    const insert = raw.prepare('INSERT INTO candidate_edges(a, b, cosine, origin) VALUES (?, ?, ?, ?)');
    const rows: [number, number, number, string][] = [];
    for (let a = 0; a < 120; a++) for (let b = a + 1; b < 120; b += 1 + (a % 3)) rows.push([a, b, Math.fround(0.6 + ((a * b) % 40) / 100), (a + b) % 17 === 0 ? 'knowledge' : 'knn']);
    raw.transaction(() => rows.forEach((r) => insert.run(...r)))();
    raw.close();
    const db = openDb(file);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'candidate_edges'").pluck().get()).toBe(0);
    const stored = [...candidateBlocks(db)].flatMap((k) => Array.from(k.a, (a, i) => [a, k.b[i], k.cosine[i], STORED_ORIGINS[k.origin[i]]]));
    expect(stored).toEqual(rows);
    db.close();
  });

  it('schema 7 keeps the build records of an older database, and its new statuses keep their foreign key', () => {
    const file = join(dir, 'v6.db');
    const raw = new Database(file);
    for (const m of MIGRATIONS.filter((m) => m.version <= 6)) raw.exec(m.sql);
    raw.pragma('user_version = 6');
    raw.prepare("INSERT INTO builds(mode, split_seed, config, code_version, started_at, status) VALUES ('full', 42, '{}', 'old', 'then', 'done')").run();
    raw.prepare("INSERT INTO build_stages(build_id, stage, started_at, status, stats) VALUES (1, 'terms', 'then', 'done', '{\"fingerprint\":\"f\"}')").run();
    raw.close();
    const db = openDb(file);
    expect(db.prepare('SELECT id, status FROM builds').all()).toEqual([{ id: 1, status: 'done' }]);
    expect(db.prepare('SELECT build_id, stage, status, stats FROM build_stages').all()).toEqual([{ build_id: 1, stage: 'terms', status: 'done', stats: '{"fingerprint":"f"}' }]);
    db.prepare("UPDATE build_stages SET status = 'superseded'").run();
    db.prepare("UPDATE builds SET status = 'interrupted'").run();
    expect(() => db.prepare("UPDATE builds SET status = 'superseded'").run()).toThrow(/CHECK/);
    expect(() => db.prepare("INSERT INTO build_stages(build_id, stage, started_at, status) VALUES (2, 'terms', 'now', 'running')").run()).toThrow(/FOREIGN KEY/);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
  });

  it('refuses a database written by a newer synograph', () => {
    const file = join(dir, 'newer.db');
    const raw = new Database(file);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    expect(() => openDb(file)).toThrow(/newer than this synograph/);
  });

  it('read-only open of a missing database names the file', () => {
    expect(() => openDb(join(dir, 'missing.db'), { readonly: true })).toThrow(StoreError);
  });
});

describe('rowInserter', () => {
  it('inserts rows many to a statement, the last statement shorter, and refuses a row of another width', () => {
    const db = openDb(':memory:');
    db.exec('CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT)');
    const insert = rowInserter(db, 'INSERT INTO t(k, v)', 2);
    for (let k = 0; k < 2 * ROWS_PER_STATEMENT + 3; k++) insert.add(k, `v${k}`);
    // Full statements go in as they fill; the rest waits for finish.
    expect(db.prepare('SELECT count(*) FROM t').pluck().get()).toBe(2 * ROWS_PER_STATEMENT);
    insert.finish();
    expect(db.prepare('SELECT k, v FROM t ORDER BY k').raw().all()).toEqual(Array.from({ length: 2 * ROWS_PER_STATEMENT + 3 }, (_, k) => [k, `v${k}`]));
    expect(() => insert.add(1)).toThrow(/a row of 1 values, not 2/);
    db.close();
  });
});

describe('ingestTerms', () => {
  it('normalises, de-duplicates with a counted warning naming the line, keeps the first spelling', async () => {
    const db = openDb(join(dir, 'b.db'));
    const warnings = new WarningLog();
    const r = await ingestTerms(db, batches([
      { term: 'İstanbul', line: 1 },
      { term: 'kâr', line: 2, definition: 'kazanç' },
      { term: 'ISTANBUL', line: 3 },
      { term: 'istanbul', line: 4 },
    ]), { name: 'list', path: 'list.txt', warnings });
    expect(r).toMatchObject({ records: 4, inserted: 3, duplicates: 1 });
    expect(warnings.counts['duplicate-term']).toBe(1);
    expect(warnings.examples[0]).toMatchObject({ file: 'list.txt', line: 4, kind: 'duplicate-term' });
    const rows = db.prepare('SELECT norm, folded, original, source_line FROM terms ORDER BY source_line').all();
    // `ISTANBUL` is a different word in Turkish (dotless ı), not a duplicate; each term keeps the
    // line it was first seen on.
    expect(rows).toEqual([
      { norm: 'istanbul', folded: null, original: 'İstanbul', source_line: 1 },
      { norm: 'kâr', folded: 'kar', original: null, source_line: 2 },
      { norm: 'ıstanbul', folded: null, original: 'ISTANBUL', source_line: 3 },
    ]);
    expect(db.prepare("SELECT text FROM definitions d JOIN terms t ON t.id = d.term_id WHERE t.norm = 'kâr'").pluck().get()).toBe('kazanç');
    db.close();
  });

  it('a term already stored by an earlier ingest is a duplicate of the later file, named by line', async () => {
    const db = openDb(join(dir, 'dup.db'));
    await ingestTerms(db, batches([{ term: 'su', line: 1 }]), { name: 'first', path: 'first.txt' });
    const warnings = new WarningLog();
    const r = await ingestTerms(db, batches([{ term: 'ateş', line: 1 }, { term: 'Su', line: 2 }]), { name: 'second', path: 'second.txt', warnings });
    expect(r).toMatchObject({ records: 2, inserted: 1, duplicates: 1 });
    expect(warnings.examples).toEqual([{ kind: 'duplicate-term', file: 'second.txt', line: 2, message: 'duplicate of an earlier term "su"' }]);
    expect(db.prepare('SELECT count(*) FROM ingest_staging').pluck().get()).toBe(0);
    db.close();
  });

  it('an ingest that fails half-way leaves the database as it was', async () => {
    const db = openDb(join(dir, 'c.db'));
    await ingestTerms(db, batches([{ term: 'su', line: 1 }]), { name: 'first', path: null });
    await expect(ingestTerms(db, batches([{ term: 'ateş', line: 1 }, { term: 'toprak', line: 2 }, { term: 'hava', line: 3 }], 2), { name: 'second', path: null })).rejects.toThrow('interrupted');
    expect(db.prepare('SELECT norm FROM terms').pluck().all()).toEqual(['su']);
    expect(count(db, 'sources')).toBe(1);
    expect(db.inTransaction).toBe(false);
    db.close();
  });

  it('a process killed in the middle of an ingest loses nothing already stored', async () => {
    const file = join(dir, 'd.db');
    const db = openDb(file);
    await ingestTerms(db, batches([{ term: 'su', line: 1 }]), { name: 'first', path: null });
    db.close();
    const list = join(dir, 'big.txt');
    writeFileSync(list, Array.from({ length: 2_000_000 }, (_, i) => `kelime${i}`).join('\n'));
    const child = spawn(process.execPath, ['bin/synograph.js', 'ingest', '--db', file, '--terms', list], { cwd: process.cwd(), stdio: 'ignore' });
    // The list is read inside the one ingest transaction: kill once the child has read part of it
    // (its file offset, from /proc), not after a fixed time that a busy machine would stretch.
    const offset = await readOffset(child.pid!, list, (pos) => pos > 0);
    child.kill('SIGKILL');
    expect(offset.pos).toBeLessThan(offset.size);
    const [, signal] = (await new Promise((r) => child.on('exit', (...args) => r(args)))) as [number | null, string | null];
    expect(signal).toBe('SIGKILL');
    const after = openDb(file);
    expect(after.prepare('SELECT norm FROM terms').pluck().all()).toEqual(['su']);
    expect(after.pragma('integrity_check', { simple: true })).toBe('ok');
    after.close();
  });

  it('streams a file with bad lines: counted warnings, good lines stored', async () => {
    const db = openDb(join(dir, 'e.db'));
    const list = join(dir, 'terms.tsv');
    writeFileSync(list, Buffer.concat([Buffer.from('id\tterm\n1\tSıcak\n\n2\t'), Buffer.from([0xff, 0xfe]), Buffer.from('\n3\tsoğuk\n4\tsıcak\n')]));
    const warnings = new WarningLog();
    const r = await ingestTerms(db, readTermBatches(list, { warnings }), { name: list, path: list, warnings });
    expect(r.inserted).toBe(2);
    expect(warnings.counts).toEqual({ 'empty-line': 1, 'invalid-utf8': 1, 'duplicate-term': 1 });
    expect(db.prepare('SELECT norm, external_id, source_line FROM terms ORDER BY source_line').all()).toEqual([
      { norm: 'sıcak', external_id: '1', source_line: 2 },
      { norm: 'soğuk', external_id: '3', source_line: 5 },
    ]);
    expect(warnings.examples.find((w) => w.kind === 'duplicate-term')).toMatchObject({ line: 6 });
    db.close();
  });
});

describe('embeddings', () => {
  it('reads the stored vectors back row by row: plain, shared with spare rows, and by term', async () => {
    const db = openDb(join(dir, 'e.db'));
    await ingestTerms(db, batches(['a', 'b', 'c'].map((term, i) => ({ term, line: i + 1 }))), { name: 'list', path: 'list.txt' });
    const ids = db.prepare('SELECT id FROM terms ORDER BY id').pluck().all() as number[];
    // Three dimensions: 12-byte blobs, so rows sit at offsets that are not multiples of 16.
    const vectors = Float32Array.from([0.5, -1, 2, 3.25, 0, -0.125, 7, 8, 9]);
    writeEmbeddings(db, [ids[2], ids[0], ids[1]], Float32Array.from([...vectors.subarray(6), ...vectors.subarray(0, 6)]), 3);
    const plain = readEmbeddings(db);
    expect(Array.from(plain.termIds)).toEqual(ids);
    expect(plain.dimensions).toBe(3);
    expect(Array.from(plain.vectors)).toEqual(Array.from(vectors));
    const shared = readEmbeddings(db, { shared: true, spareRows: 2 });
    expect(shared.vectors.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(Array.from(shared.vectors)).toEqual([...vectors, 0, 0, 0, 0, 0, 0]);
    expect(Array.from(readEmbeddingsOf(db, [ids[1], ids[1], ids[0]]))).toEqual([...vectors.subarray(3, 6), ...vectors.subarray(3, 6), ...vectors.subarray(0, 3)]);
    // By ranges of rows, as the relations stage's second thread reads them, into a matrix made for them.
    const rows = embeddingMatrix(db, 4, 3, true);
    readEmbeddingRows(db, plain.termIds, 1, 3, rows, 3);
    readEmbeddingRows(db, plain.termIds, 0, 1, rows, 3);
    expect(Array.from(rows)).toEqual([...vectors, 0, 0, 0]);
    // A range whose rows are not those terms any more is refused.
    db.prepare('DELETE FROM embeddings WHERE term_id = ?').run(ids[1]);
    expect(() => readEmbeddingRows(db, plain.termIds, 1, 3, rows, 3)).toThrow(`the embeddings changed while they were read: row 1 is not term ${ids[1]}`);
    // A term with no vector, asked for by id, is a store error naming the file.
    expect(() => readEmbeddingsOf(db, [ids[0], ids[1]])).toThrow(StoreError);
    expect(() => readEmbeddingsOf(db, [ids[1]])).toThrow(`${join(dir, 'e.db')}: term ${ids[1]} has no stored embedding`);
    writeEmbeddings(db, [ids[1]], vectors.subarray(3, 6), 3);
    db.prepare('UPDATE embeddings SET vector = ? WHERE term_id = ?').run(Buffer.alloc(8), ids[1]);
    // The read maps the file for itself only: the connection's own setting is back after it, a
    // failed read included.
    db.pragma('mmap_size = 65536');
    expect(() => readEmbeddings(db)).toThrow(`embedding of term ${ids[1]} has 2 dimensions, expected 3`);
    expect(db.pragma('mmap_size', { simple: true })).toBe(65536);
    // The term-by-term read checks its vectors the same way, with the same error.
    expect(() => readEmbeddingsOf(db, [ids[0], ids[1]])).toThrow(StoreError);
    expect(() => readEmbeddingsOf(db, [ids[1]])).toThrow(`embedding of term ${ids[1]} has 2 dimensions, expected 3`);
    db.close();
  });

  it('reads a matrix of several batches whole, in term-id order, where some terms have no vector', async () => {
    const db = openDb(join(dir, 'e2.db'));
    const n = 20_000; // more than two of the reader's batches
    await ingestTerms(db, batches(Array.from({ length: n }, (_, i) => ({ term: `t${i}`, line: i + 1 }))), { name: 'list', path: 'list.txt' });
    const all = db.prepare('SELECT id FROM terms ORDER BY id').pluck().all() as number[];
    const embedded = all.filter((_, i) => i % 7 !== 3); // gaps in the ids
    const d = 5;
    const vectors = Float32Array.from({ length: embedded.length * d }, (_, j) => Math.fround(Math.sin(j)));
    // Written in reverse order: the read must come back in id order all the same.
    const reversed = new Float32Array(vectors.length);
    for (let i = 0; i < embedded.length; i++) reversed.set(vectors.subarray(i * d, i * d + d), (embedded.length - 1 - i) * d);
    writeEmbeddings(db, embedded.slice().reverse(), reversed, d);
    const read = readEmbeddings(db, { shared: true, spareRows: 1 });
    expect(Array.from(read.termIds)).toEqual(embedded);
    expect(read.vectors.length).toBe((embedded.length + 1) * d);
    expect(Array.from(read.vectors.subarray(0, vectors.length))).toEqual(Array.from(vectors));
    expect(db.pragma('mmap_size', { simple: true })).toBe(0);
    db.close();
  });
});

describe('lemmas', () => {
  it('a range of terms without one: the changed lemmas as given, every other term its own', async () => {
    const db = openDb(join(dir, 'l.db'));
    await ingestTerms(db, batches(Array.from({ length: 12 }, (_, i) => ({ term: `t${i}`, line: i + 1 }))), { name: 'list', path: 'list.txt', warnings: new WarningLog() });
    const ids = db.prepare('SELECT id FROM terms ORDER BY id').pluck().all() as number[];
    const norms = db.prepare('SELECT norm FROM terms ORDER BY id').pluck().all() as string[];
    writeLemmas(db, ids[0], ids[2], [ids[1]], ['one']);
    // Rows 3-8 next; row 4 already has its lemma, so it is left as it is.
    db.prepare('UPDATE terms SET lemma = ? WHERE id = ?').run('kept', ids[4]);
    writeLemmas(db, ids[3], ids[8], [ids[5], ids[8]], ['five', 'eight']);
    const lemmas = db.prepare('SELECT lemma FROM terms ORDER BY id').pluck().all();
    const [n0, , n2, n3, , , n6, n7] = norms;
    expect(lemmas).toEqual([n0, 'one', n2, n3, 'kept', 'five', n6, n7, 'eight', null, null, null]);
    expect(readTermsWithoutLemma(db, 0, 10).map((r) => r.id)).toEqual(ids.slice(9));
    expect(db.prepare("SELECT id FROM terms WHERE lemma = 'five'").pluck().get()).toBe(ids[5]);
    db.close();
  });
});

describe('evidence', () => {
  it('replaces the stored pairs in statements of many rows, keeping the index on b', async () => {
    const db = openDb(join(dir, 'e.db'));
    await ingestTerms(db, batches(Array.from({ length: 200 }, (_, i) => ({ term: `t${i}`, line: i + 1 }))), { name: 'list', path: 'list.txt', warnings: new WarningLog() });
    const ids = db.prepare('SELECT id FROM terms ORDER BY id').pluck().all() as number[];
    const rows = (from: number) => Array.from({ length: 150 }, (_, k) => ({ a: ids[from + k + 1], b: ids[from + k % 3], kind: 'sibling', detail: `d${from + k}` }));
    db.transaction(() => writeEvidence(db, rows(0)))();
    // A pair given twice keeps its last row; a term paired with itself is no pair.
    const written = db.transaction(() => writeEvidence(db, [...rows(10), { a: ids[12], b: ids[11], kind: 'surface', detail: 'again' }, { a: ids[5], b: ids[5], kind: 'surface', detail: 'self' }]))();
    expect(written).toBe(151);
    expect(count(db, 'term_evidence')).toBe(150);
    const stored = db.prepare('SELECT a, b, kind, detail FROM term_evidence ORDER BY a, b').all() as { a: number; b: number; kind: string; detail: string }[];
    expect(stored.filter((r) => r.detail.startsWith('d')).map((r) => r.detail).sort()).toEqual(rows(10).map((r) => r.detail).filter((d) => d !== 'd11').sort());
    expect(stored.find((r) => r.a === ids[11] && r.b === ids[12])).toEqual({ a: ids[11], b: ids[12], kind: 'surface', detail: 'again' });
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'term_evidence_b'").pluck().get()).toBe(1);
    expect(readEvidenceOf(db, ids[12]).length).toBeGreaterThan(0);
    db.close();
  });
});

describe('the write-ahead log', () => {
  it('is cut back after a large transaction once the next write begins', () => {
    const file = join(dir, 'wal.db');
    const db = openDb(file);
    try {
      db.exec('CREATE TABLE big(x BLOB)');
      const insert = db.prepare('INSERT INTO big VALUES (?)');
      const blob = Buffer.alloc(100_000, 1);
      db.transaction(() => {
        for (let i = 0; i < 1000; i++) insert.run(blob);
      })();
      expect(statSync(`${file}-wal`).size).toBeGreaterThan(WAL_BYTES_KEPT);
      db.exec('CREATE TABLE small(x)');
      expect(statSync(`${file}-wal`).size).toBeLessThanOrEqual(WAL_BYTES_KEPT);
      expect(count(db, 'big')).toBe(1000);
    } finally {
      db.close();
    }
  });
});

describe('lexicon and builds', () => {
  it('stores synsets by normalised member, with definitions, examples and relations', async () => {
    const db = openDb(join(dir, 'f.db'));
    const r = await ingestLexicon(db, [
      { id: 'S1', pos: 'a', literals: [{ norm: 'sıcak', original: 'sıcak', sense: 1 }, { norm: 'ılık', original: 'ılık', sense: 2 }], definition: 'ısısı yüksek', examples: ['sıcak su'], relations: [{ type: 'ANTONYM', target: 'S2' }] },
    ], { name: 'test', path: null });
    expect(r).toMatchObject({ synsets: 1, members: 2, definitions: 2, relations: 1 });
    expect(db.prepare('SELECT norm FROM synset_members ORDER BY norm').pluck().all()).toEqual(['sıcak', 'ılık']); // binary order: ı (U+0131) after s
    db.close();
  });

  it('a database keeps one build mode and split for life, and reports it', () => {
    const db = openDb(join(dir, 'g.db'));
    const split = { seed: 7, train: 0.6, dev: 0.1 };
    claimBuildMode(db, { mode: 'holdout', split });
    expect(() => claimBuildMode(db, { mode: 'full', split })).toThrow(/holdout \(split seed 7, train 0.6, dev 0.1\) build/);
    expect(() => claimBuildMode(db, { mode: 'holdout', split: { ...split, seed: 8 } })).toThrow(/seed 7/);
    expect(() => claimBuildMode(db, { mode: 'holdout', split: { ...split, train: 0.3 } })).toThrow(/train 0.6/);
    expect(() => claimBuildMode(db, { mode: 'holdout', split })).not.toThrow();
    expect(buildIdentity(db)).toEqual({ mode: 'holdout', split });
    db.close();
  });

  it('a database from before the split shares were recorded takes them from its first build', () => {
    const db = openDb(join(dir, 'g-old.db'));
    startBuild(db, { mode: 'holdout', split: { seed: 5, train: 0.7, dev: 0.1 } }, { split: { seed: 5, train: 0.7, dev: 0.1 } });
    db.prepare("DELETE FROM meta WHERE key IN ('split_train', 'split_dev')").run();
    expect(buildIdentity(db)).toEqual({ mode: 'holdout', split: { seed: 5, train: 0.7, dev: 0.1 } });
    db.close();
  });

  it('a stage done with the same fingerprint is skipped on the next build; a failed stage is recorded', async () => {
    const db = openDb(join(dir, 'h.db'));
    const b1 = startBuild(db, { mode: 'full', split: { seed: 1, train: 0.6, dev: 0.1 } }, {});
    let runs = 0;
    const first = await runStage(db, b1, 'lexicon', 'fp1', async () => ({ n: ++runs }));
    expect(first).toMatchObject({ skipped: false, stats: { n: 1 } });
    const b2 = startBuild(db, { mode: 'full', split: { seed: 1, train: 0.6, dev: 0.1 } }, {});
    expect(await runStage(db, b2, 'lexicon', 'fp1', async () => ({ n: ++runs }))).toMatchObject({ skipped: true, stats: { n: 1 } });
    expect(await runStage(db, b2, 'other', 'fp2', async () => ({ n: ++runs }))).toMatchObject({ skipped: false, stats: { n: 2 } });
    await expect(runStage(db, b2, 'broken', 'fp3', async () => { throw new Error('boom'); })).rejects.toThrow('boom');
    expect(db.prepare("SELECT status FROM build_stages WHERE stage = 'broken'").pluck().get()).toBe('failed');
    db.close();
  });
});

/** Polls /proc until process `pid` has `file` open at an offset that `ready` accepts; returns it. */
async function readOffset(pid: number, file: string, ready: (pos: number, size: number) => boolean): Promise<{ pos: number; size: number }> {
  const size = statSync(file).size;
  for (let attempt = 0; attempt < 6000; attempt++) {
    for (const fd of safeList(`/proc/${pid}/fd`)) {
      let target: string;
      try {
        target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      if (target !== file) continue;
      const pos = Number(/^pos:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8'))?.[1] ?? 0);
      if (ready(pos, size)) return { pos, size };
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`process ${pid} never read ${file}`);
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
