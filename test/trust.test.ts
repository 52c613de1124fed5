/**
 * A build never reports done over stale or half-written data. Real `synograph build` processes
 * over a small KeNet (every 25th synset and those of the listed words) with the tiny transformers
 * model, killed (SIGKILL), stopped (SIGSTOP) or asked to stop (SIGTERM) at a seeded write of a
 * stage (test/fault-inject.mjs), then resumed by the same command: the database's content hash
 * (terms, embeddings, candidates, evidence, verdicts, cannot-links, clusters, memberships) must
 * equal that of an uninterrupted build.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn } from 'node:child_process';
import { appendFileSync, closeSync, copyFileSync, mkdirSync, mkdtempSync, openSync, readFileSync, renameSync, rmSync, utimesSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { STAGES, type Stage } from '../src/pipeline/index.js';
import { contentHash, openDb } from '../src/store/index.js';
import { kenetPath } from '../src/lexicon/index.js';
import { mulberry32 } from '../src/util/random.js';
import { BIN } from './cli-runner.js';

const PRELOAD = join(process.cwd(), 'test', 'fault-inject.mjs');
const MODEL = join(process.cwd(), 'test', 'fixtures', 'tiny-bert');
const WORDS = ['sıcak', 'ılık', 'soğuk', 'serin', 'kitap', 'eser', 'yapıt', 'dergi', 'hekim', 'doktor', 'tabip', 'ev', 'konut', 'mesken', 'araba', 'otomobil', 'güzel', 'çirkin', 'hızlı', 'yavaş'];

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

interface Fault {
  stage: Stage;
  write: number;
  action?: 'kill' | 'term' | 'stop';
}

let dir: string;
let kenet: string;
let terms: string;
/** Writes per stage of an uninterrupted build (the range a kill point is drawn from). */
let writes: Record<string, number>;
let reference: string;
let referenceHash: string;

/** `synograph build ARGS`, with a fault injected when given; resolves when the process ends. */
function synograph(args: string[], options: { fault?: Fault; countFile?: string; onSpawn?: (pid: number) => void } = {}): Promise<Run> {
  const env: NodeJS.ProcessEnv = { ...process.env, CI: '1' };
  delete env.SYNOGRAPH_FAULT;
  delete env.SYNOGRAPH_FAULT_COUNT;
  if (options.fault) env.SYNOGRAPH_FAULT = JSON.stringify(options.fault);
  if (options.countFile) env.SYNOGRAPH_FAULT_COUNT = options.countFile;
  const preload = options.fault || options.countFile ? ['--import', PRELOAD] : [];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...preload, BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('spawn', () => options.onSpawn?.(child.pid!));
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** The build command of this file over `db`, with `extra` options. */
function build(db: string, ...extra: string[]): string[] {
  return ['build', '--db', db, '--terms', terms, '--kenet', kenet, '--embedder', 'transformers', '--model', MODEL, '--min-cosine', '0.2', '--top-k', '5', '--json', ...extra];
}

function hashOf(db: string): string {
  const d = openDb(db, { readonly: true });
  try {
    return contentHash(d).all;
  } finally {
    d.close();
  }
}

function statuses(db: string): { builds: string[]; stages: { build: number; stage: string; status: string }[]; lock: unknown } {
  const d = new Database(db, { readonly: true });
  try {
    return {
      builds: (d.prepare('SELECT status FROM builds ORDER BY id').pluck().all() as string[]),
      stages: d.prepare('SELECT build_id AS build, stage, status FROM build_stages ORDER BY build_id, started_at').all() as { build: number; stage: string; status: string }[],
      lock: d.prepare("SELECT value FROM meta WHERE key = 'write_lock'").pluck().get() ?? null,
    };
  } finally {
    d.close();
  }
}

/** A seeded write of `stage` (1 .. the stage's writes in an uninterrupted build). */
function pointIn(stage: Stage, random: () => number): number {
  return 1 + Math.floor(random() * writes[stage]);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'synograph-trust-'));
  // One synset a line in KeNet's file: keep every 25th and those holding a listed word.
  const lines = readFileSync(kenetPath(), 'utf8').split('\n');
  kenet = join(dir, 'kenet-small.xml');
  writeFileSync(kenet, lines.filter((l, i) => !l.startsWith('<SYNSET>') || i % 25 === 0 || WORDS.some((w) => l.includes(`<LITERAL>${w}<`))).join('\n'));
  terms = join(dir, 'terms.txt');
  writeFileSync(terms, WORDS.join('\n') + '\n');
  reference = join(dir, 'reference.db');
  const countFile = join(dir, 'writes.json');
  const r = await synograph(build(reference), { countFile });
  expect(r.code, r.stderr).toBe(0);
  writes = JSON.parse(readFileSync(countFile, 'utf8')) as Record<string, number>;
  expect(Object.keys(writes)).toEqual([...STAGES]);
  referenceHash = hashOf(reference);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a killed build', () => {
  it('killed (SIGKILL) at a seeded write of every stage in turn, then resumed by the same command, stores what an uninterrupted build stores', async () => {
    const random = mulberry32(16);
    const db = join(dir, 'chain.db');
    for (const stage of STAGES) {
      const write = pointIn(stage, random);
      const killed = await synograph(build(db), { fault: { stage, write } });
      expect(killed.signal, `${stage} write ${write}: ${killed.stderr}`).toBe('SIGKILL');
    }
    const resumed = await synograph(build(db));
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(hashOf(db)).toBe(referenceHash);
    // Each killed build was found running by the next one and is marked interrupted; none is left running.
    const s = statuses(db);
    expect(s.builds).toEqual([...STAGES.map(() => 'interrupted'), 'done']);
    expect(s.stages.filter((r) => r.status === 'running')).toEqual([]);
    expect(s.lock).toBeNull();
  }, 240_000);

  it('a second build with other options, killed in any stage it re-runs, leaves no done record a later build trusts', async () => {
    const random = mulberry32(1616);
    // Another prefix gives other vectors: embed and every stage after it run again.
    const other = ['--prefix', 'query: '];
    const otherReference = join(dir, 'other.db');
    copyFileSync(reference, otherReference);
    const built = await synograph(build(otherReference, ...other));
    expect(built.code, `${built.signal ?? ''} ${built.stderr}`).toBe(0);
    const otherHash = hashOf(otherReference);
    expect(otherHash).not.toBe(referenceHash);
    for (const stage of ['embed', 'candidates', 'evidence', 'relations', 'cluster'] as const) {
      const db = join(dir, `second-${stage}.db`);
      copyFileSync(reference, db);
      const write = pointIn(stage, random);
      const killed = await synograph(build(db, ...other), { fault: { stage, write } });
      expect(killed.signal, `${stage} write ${write}: ${killed.stderr}`).toBe('SIGKILL');
      // The first build's command again: it must not skip over the second build's half-written tables.
      const first = await synograph(build(db));
      expect(first.code, first.stderr).toBe(0);
      expect(hashOf(db), `killed in ${stage} at write ${write}, then the first command`).toBe(referenceHash);
      if (stage !== 'embed') continue;
      // And the second build's command resumes to its own database (once: every resume is the same code path).
      const second = await synograph(build(db, ...other));
      expect(second.code, second.stderr).toBe(0);
      expect(hashOf(db), `then the second command`).toBe(otherHash);
    }
  }, 300_000);

  it('SIGTERM marks the running stage and the build interrupted, exits 130 with one line, and the same command resumes', async () => {
    const random = mulberry32(7);
    const stage = (['lemmas', 'embed', 'relations'] as const)[Math.floor(random() * 3)];
    const db = join(dir, 'term.db');
    const stopped = await synograph(build(db), { fault: { stage, write: pointIn(stage, random), action: 'term' } });
    expect(stopped.code).toBe(130);
    expect(stopped.stderr.trim().split('\n')).toEqual([`synograph build: ${db}: interrupted (SIGTERM): build #1 stopped in its ${stage} stage, marked interrupted; the same command resumes it`]);
    const s = statuses(db);
    expect(s.builds).toEqual(['interrupted']);
    expect(s.stages.find((r) => r.stage === stage)?.status).toBe('interrupted');
    expect(s.lock).toBeNull();
    const resumed = await synograph(build(db));
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(hashOf(db)).toBe(referenceHash);
  }, 120_000);

  it('a SIGTERM that arrives during a stage stops the build before the next stage starts', async () => {
    const db = join(dir, 'term-between.db');
    // At the candidates stage's last write (its done record), while its code runs without yielding.
    const stopped = await synograph(build(db), { fault: { stage: 'candidates', write: writes.candidates, action: 'term' } });
    expect(stopped.code).toBe(130);
    expect(stopped.stderr).toBe(`synograph build: ${db}: interrupted (SIGTERM): build #1 stopped between stages, marked interrupted; the same command resumes it\n`);
    expect(statuses(db).stages.map((s) => `${s.stage} ${s.status}`).slice(-2)).toEqual(['embed done', 'candidates done']);
  }, 60_000);
});

describe('the build lock', () => {
  it('a second build or ingest refuses with one line naming the database and the holder; a dead holder is taken over', async () => {
    const db = join(dir, 'locked.db');
    let holder = 0;
    const first = synograph(build(db), { fault: { stage: 'relations', write: 1, action: 'stop' }, onSpawn: (pid) => (holder = pid) });
    // Stopped (SIGSTOP) inside its relations stage: it holds the lock and does nothing.
    await expect.poll(() => readFileSync(`/proc/${holder}/stat`, 'utf8').split(') ')[1]?.[0], { timeout: 60_000, interval: 100 }).toBe('T');
    try {
      const second = await synograph(build(db));
      expect(second.code).toBe(3);
      expect(second.stderr.trim().split('\n')).toHaveLength(1);
      expect(second.stderr).toMatch(new RegExp(`^synograph build: ${db}: locked by another synograph build \\(pid ${holder}, since .*\\): wait for it to finish, or stop it\\n$`));
      const extra = join(dir, 'extra.txt');
      writeFileSync(extra, 'yeni\n');
      const ingest = await synograph(['ingest', '--db', db, '--terms', extra]);
      expect(ingest.code).toBe(3);
      expect(ingest.stderr).toContain(`${db}: locked by another synograph build (pid ${holder}`);
    } finally {
      process.kill(holder, 'SIGKILL');
    }
    expect((await first).signal).toBe('SIGKILL');
    const taken = await synograph(build(db));
    expect(taken.code, taken.stderr).toBe(0);
    expect(hashOf(db)).toBe(referenceHash);
    expect(statuses(db).builds).toEqual(['interrupted', 'done']);
  }, 180_000);
});

describe('stale inputs', () => {
  it('terms added with ingest, or a term list edited in place, reach the next build; a touched but unchanged list does not rebuild', async () => {
    const db = join(dir, 'inputs.db');
    copyFileSync(reference, db);
    const embedded = (): [number, number] => {
      const d = new Database(db, { readonly: true });
      try {
        return [d.prepare('SELECT count(*) FROM terms').pluck().get() as number, d.prepare('SELECT count(*) FROM embeddings').pluck().get() as number];
      } finally {
        d.close();
      }
    };
    const extra = join(dir, 'ingested.txt');
    writeFileSync(extra, 'tabip\nsıcacık\n');
    expect((await synograph(['ingest', '--db', db, '--terms', extra])).code).toBe(0);
    const afterIngest = await synograph(build(db));
    expect(afterIngest.code, afterIngest.stderr).toBe(0);
    const stages = JSON.parse(afterIngest.stdout).stages as Record<string, { status: string }>;
    expect(Object.fromEntries(Object.entries(stages).map(([k, v]) => [k, v.status]))).toMatchObject({ terms: 'skipped', lemmas: 'done', embed: 'done', cluster: 'done' });
    // A transformers.js embedder has nothing to train: no work begins early for its embed stage
    // (the relations stage's preparation still begins beside the evidence stage).
    expect(JSON.parse(afterIngest.stdout).early).toEqual(['relations']);
    expect(embedded()).toEqual([21, 21]);

    // The same path, new content (the words' file gains a line).
    const list = join(dir, 'edited.txt');
    writeFileSync(list, WORDS.join('\n') + '\n');
    const args = [...build(db).filter((a) => a !== terms)];
    args.splice(args.indexOf('--terms') + 1, 0, list);
    expect((await synograph(args)).code).toBe(0);
    appendFileSync(list, 'serinlik\n');
    const edited = await synograph(args);
    expect(edited.code, edited.stderr).toBe(0);
    expect(JSON.parse(edited.stdout).stages.terms).toMatchObject({ status: 'done', stats: { inserted: 1 } });
    expect(embedded()).toEqual([22, 22]);

    // A new modification time alone changes nothing the stages read.
    utimesSync(list, new Date(), new Date(Date.now() + 60_000));
    const touched = await synograph(args);
    expect(Object.values(JSON.parse(touched.stdout).stages as Record<string, { status: string }>).map((s) => s.status)).toEqual(STAGES.map(() => 'skipped'));

    // Nor does the list moved elsewhere: the same content, read the same way.
    const moved = join(dir, 'moved', 'renamed.txt');
    mkdirSync(dirname(moved), { recursive: true });
    renameSync(list, moved);
    args[args.indexOf(list)] = moved;
    const afterMove = await synograph(args);
    expect(afterMove.code, afterMove.stderr).toBe(0);
    expect(Object.values(JSON.parse(afterMove.stdout).stages as Record<string, { status: string }>).map((s) => s.status)).toEqual(STAGES.map(() => 'skipped'));
  }, 180_000);

  it('a build over a database with a damaged page fails at once, in one line naming the file (exit 3)', async () => {
    const db = join(dir, 'damaged.db');
    copyFileSync(reference, db);
    // The sources table's page: no stage of a resumed build reads it, so only a check of the file finds it.
    const raw = new Database(db, { readonly: true });
    const page = raw.prepare("SELECT rootpage FROM sqlite_master WHERE name = 'sources'").pluck().get() as number;
    const pageSize = raw.pragma('page_size', { simple: true }) as number;
    raw.close();
    const fd = openSync(db, 'r+');
    writeSync(fd, Buffer.alloc(pageSize, 0x5a), 0, pageSize, (page - 1) * pageSize);
    closeSync(fd);
    const r = await synograph(build(db));
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(new RegExp(`^synograph build: ${db}: the database file is corrupt: .*SQLITE_CORRUPT.*\\n$`));
  }, 60_000);

  it('an empty term list fails at once with one line naming the file', async () => {
    const empty = join(dir, 'empty.txt');
    writeFileSync(empty, '\n\u200b\n\n');
    const db = join(dir, 'empty.db');
    const args = build(db).filter((a) => a !== terms);
    args.splice(args.indexOf('--terms') + 1, 0, empty);
    const r = await synograph(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`synograph build: ${empty}: no terms to build from (every line skipped: 2 empty-line, 1 empty-term)\n`);
    expect(statuses(db).stages.map((s) => `${s.stage} ${s.status}`)).toEqual(['lexicon done', 'terms failed']);
  }, 60_000);
});
