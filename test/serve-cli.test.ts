import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { copyFileSync, openSync, rmSync, writeSync, closeSync } from 'node:fs';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { createServer, openService } from '../src/serve/index.js';
import { buildServeFixture } from './serve-fixture.js';
import { BIN, synograph } from './cli-runner.js';


let dir: string;
let file: string;
beforeAll(async () => {
  ({ dir, file } = await buildServeFixture());
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('synograph query', () => {
  it('--json prints the term, how it matched, its cluster, senses, antonyms and edges', async () => {
    const r = await synograph('query', 'Kitaplarımızdan', '--db', file, '--json');
    expect(r.code).toBe(0);
    const a = JSON.parse(r.stdout);
    expect(a).toMatchObject({ term: 'Kitaplarımızdan', matched: { norm: 'kitap', via: 'lemma' }, cluster: { id: 4, representative: 'kitap' }, alternativeSenses: [], antonyms: [] });
    expect(a.cluster.members).toEqual([{ term: 'kitap', support: 1, primary: true, sense: null }, { term: 'eser', support: 0.85, primary: true, sense: null }, { term: 'yapıt', support: 0.8, primary: true, sense: null }]);
    expect(a.edges.map((e: { term: string; label: string; gated: boolean }) => `${e.term}:${e.label}:${e.gated}`)).toEqual(['eser:synonym:true', 'yapıt:synonym:true', 'cilt:synonym:true', 'dergi:synonym:false', 'defter:co-hyponym:false']);
  });

  it('prints a readable answer; an unknown term exits 1 with a clear message', async () => {
    const [r, unknown, unknownJson, empty, missing] = await Promise.all([
      synograph('query', 'kara', '--db', file, '--limit', '1'),
      synograph('query', 'yokyok', '--db', file),
      synograph('query', 'yokyok', '--db', file, '--json'),
      synograph('query', '   ', '--db', file),
      synograph('query', 'kitap', '--db', join(dir, 'nope.db')),
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('cluster #2 (synograph, its primary sense 1): representative siyah, 2 members');
    expect(r.stdout).toContain('... 1 more (--limit)');
    expect(r.stdout).toMatch(/other senses:\n {2}#3 toprak \(sense 3, support 0\.60\): toprak\n {2}#7 zarar \(sense 5, support 0\.30\): zarar/);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no stored term matches "yokyok"');
    expect(unknownJson.code).toBe(1);
    expect(JSON.parse(unknownJson.stdout)).toEqual({ term: 'yokyok', found: false });
    expect(empty.code).toBe(2);
    expect(missing.code).toBe(3); // a store failure
    expect(missing.stderr).toContain('nope.db');
  });
});

describe('synograph serve', () => {
  it('serves the API on the port asked for (0: any free one), prints the URL and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, [BIN, 'serve', '--db', file, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          const m = /at (http:\/\/127\.0\.0\.1:\d+)\//.exec(out);
          if (m) resolve(m[1]);
        });
        child.on('exit', (code) => reject(new Error(`serve exited ${code}`)));
      });
      const r = await fetch(`${url}/v1/terms/${encodeURIComponent('KÂR')}`);
      expect(r.status).toBe(200);
      const body = (await r.json()) as { term: string; cluster: { members: { term: string }[] } };
      expect(body.term).toBe('KÂR');
      expect(body.cluster.members.map((m) => m.term)).toEqual(['kâr', 'kazanç']);
      expect(((await (await fetch(`${url}/openapi.json`)).json()) as { openapi: string }).openapi).toMatch(/^3\./);
    } finally {
      child.kill('SIGTERM');
    }
    const code = await new Promise<number | null>((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.on('exit', resolve)));
    expect(code).toBe(0);
  });
});

/** `synograph serve` on a free port: the child and its URL once it listens. */
async function serve(db: string): Promise<{ child: ChildProcess; url: string; stderr: () => string }> {
  const child = spawn(process.execPath, [BIN, 'serve', '--db', db, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /at (http:\/\/127\.0\.0\.1:\d+)\//.exec(out);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${err}`)));
  });
  return { child, url, stderr: () => err };
}

const exited = (child: ChildProcess): Promise<number | null> => new Promise((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.on('exit', resolve)));

describe('serve when things go wrong', () => {
  it('a 5xx is logged in one line with the error, and /healthz answers 503 once the database cannot be read', async () => {
    const service = openService(file);
    const lines: string[] = [];
    const app = await createServer(service, { logError: (line) => lines.push(line), web: false });
    try {
      expect((await app.inject({ url: '/healthz' })).json()).toMatchObject({ status: 'ok', terms: expect.any(Number) });
      service.db.close(); // the connection is gone: every read fails from here on
      const r = await app.inject({ url: '/v1/terms/kitap' });
      expect(r.statusCode).toBe(500);
      expect(r.json()).toEqual({ error: 'internal', message: 'internal server error' });
      const health = await app.inject({ url: '/healthz' });
      expect(health.statusCode).toBe(503);
      expect(health.json()).toMatchObject({ status: 'unavailable', db: file, message: expect.stringContaining(file) });
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatch(/^500 GET \/v1\/terms\/kitap: TypeError: The database connection is not open$/);
      expect(lines[1]).toBe(`503 GET /healthz: ${file}: the database connection is closed`);
    } finally {
      await app.close();
    }
  });

  it('/healthz reads the file itself: damaged on disk after the server opened it, it answers 503', async () => {
    const damaged = join(dir, 'damaged.db');
    copyFileSync(file, damaged);
    const service = openService(damaged);
    const lines: string[] = [];
    const app = await createServer(service, { logError: (line) => lines.push(line), web: false });
    try {
      expect((await app.inject({ url: '/healthz' })).statusCode).toBe(200);
      const raw = new Database(damaged, { readonly: true });
      const pages = raw.pragma('page_count', { simple: true }) as number;
      const pageSize = raw.pragma('page_size', { simple: true }) as number;
      raw.close();
      const fd = openSync(damaged, 'r+');
      for (let p = 2; p <= pages; p++) writeSync(fd, Buffer.alloc(pageSize, 0x5a), 0, pageSize, (p - 1) * pageSize);
      closeSync(fd);
      const health = await app.inject({ url: '/healthz' });
      expect(health.statusCode).toBe(503);
      expect(health.json().message).toMatch(new RegExp(`^${damaged}: .*\\(SQLITE_CORRUPT`));
      expect(lines).toEqual([`503 GET /healthz: ${health.json().message}`]);
    } finally {
      await app.close();
    }
  });

  it('refuses at start a database with a corrupt page, in one line naming it (exit 3)', async () => {
    const corrupt = join(dir, 'corrupt.db');
    copyFileSync(file, corrupt);
    // A page no answer and no count at open reads (the sources table's): only a check of the whole file finds it.
    const raw = new Database(corrupt, { readonly: true });
    const page = raw.prepare("SELECT rootpage FROM sqlite_master WHERE name = 'sources'").pluck().get() as number;
    const pageSize = raw.pragma('page_size', { simple: true }) as number;
    raw.close();
    const fd = openSync(corrupt, 'r+');
    writeSync(fd, Buffer.alloc(pageSize, 0x5a), 0, pageSize, (page - 1) * pageSize);
    closeSync(fd);
    const r = await synograph('serve', '--db', corrupt, '--port', '0');
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(new RegExp(`^synograph serve: ${corrupt}: the database file is corrupt: rebuild it, or restore a copy \\(quick_check: .+\\)\n$`));
  });

  it('SIGTERM stops the server even while a client holds a half-sent request', async () => {
    const { child, url } = await serve(file);
    const { port } = new URL(url);
    const socket = connect(Number(port), '127.0.0.1');
    await new Promise<void>((resolve) => socket.on('connect', resolve));
    socket.on('error', () => {});
    // Headers promise 100 bytes of body; one is sent, and the client waits.
    socket.write('POST /v1/expand HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{');
    await new Promise((resolve) => setTimeout(resolve, 200));
    child.kill('SIGTERM');
    try {
      expect(await exited(child)).toBe(0);
    } finally {
      socket.destroy();
      child.kill('SIGKILL');
    }
  }, 30_000);
});
