import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
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
