/**
 * The builtin embedder cache: an entry gives back the model it was written from, bit for bit; an
 * entry that does not verify is ignored and removed; only the most recently used entries stay;
 * and a build that reads its model from the cache stores what a build that trained it stores.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trainBuiltin } from '../src/embed/index.js';
import { CACHE_ENTRIES, builtinCacheDir, cacheKey, readCachedTraining, writeCachedTraining, type CachedTraining } from '../src/pipeline/embedder-cache.js';
import { tokenize } from '../src/embed/builtin/tokenize.js';
import { contentHash } from '../src/store/content-hash.js';
import { openDb } from '../src/store/index.js';
import { synograph } from './cli-runner.js';

const dir = mkdtempSync(join(tmpdir(), 'synograph-embedder-cache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const docs = Array.from({ length: 20 }, () => ['sıcak çay içtik', 'ılık çay içtik', 'soğuk hava esti', 'kitap okuduk', 'dergi okuduk']).flat().map((s) => ({ heads: [] as string[], tokens: tokenize(s) }));

async function small(seed: number): Promise<CachedTraining> {
  const { model, report } = await trainBuiltin(docs, { config: { dimensions: 16, buckets: 4096, seed } });
  return { model, report: { ...report, corpus: { documents: docs.length, glosses: 0, tokens: 0, excludedSynsets: 0 }, metricPairs: 0, secondsTotal: 0 } };
}

describe('the embedder cache', () => {
  it('is where the environment says, and off when it says off', () => {
    expect(builtinCacheDir({ SYNOGRAPH_CACHE_DIR: '/x/y' })).toBe('/x/y');
    expect(builtinCacheDir({ SYNOGRAPH_CACHE_DIR: 'off' })).toBeNull();
    expect(builtinCacheDir({ XDG_CACHE_HOME: '/c' })).toBe(join('/c', 'synograph'));
    expect(cacheKey({ a: 1 })).not.toBe(cacheKey({ a: 2 }));
  });

  it('gives back the model written, bit for bit, only under its key', async () => {
    const at = join(dir, 'roundtrip');
    const trained = await small(3);
    expect(writeCachedTraining(at, 'k1', trained)).toBeNull();
    const back = readCachedTraining(at, 'k1')!;
    expect(back).not.toBeNull();
    expect(back.model.vocab).toEqual(trained.model.vocab);
    expect(Buffer.from(back.model.vectors.buffer).equals(Buffer.from(trained.model.vectors.buffer))).toBe(true);
    expect(Buffer.from(back.model.ngrams.buffer).equals(Buffer.from(trained.model.ngrams.buffer))).toBe(true);
    expect(back.model.config).toEqual(trained.model.config);
    expect(back.report.vocabulary).toBe(trained.report.vocabulary);
    expect(readCachedTraining(at, 'k2')).toBeNull();
  });

  it('ignores and removes an entry whose bytes changed, or that was cut short', async () => {
    const at = join(dir, 'corrupt');
    const trained = await small(4);
    for (const damage of [(b: Buffer) => ((b[b.length - 5] ^= 1), b), (b: Buffer) => b.subarray(0, b.length - 100)]) {
      expect(writeCachedTraining(at, 'k', trained)).toBeNull();
      const file = join(at, readdirSync(at)[0]);
      writeFileSync(file, damage(readFileSync(file)));
      expect(readCachedTraining(at, 'k')).toBeNull();
      expect(readdirSync(at)).toEqual([]);
    }
  });

  it(`keeps the ${CACHE_ENTRIES} entries used last`, async () => {
    const at = join(dir, 'prune');
    const trained = await small(5);
    const keys = Array.from({ length: CACHE_ENTRIES + 2 }, (_, i) => `k${i}`);
    keys.forEach((key, i) => {
      expect(writeCachedTraining(at, key, trained)).toBeNull();
      // Older writes first: set each entry's time apart (a fast disk may give them one mtime).
      const t = new Date(Date.UTC(2026, 0, 1, 0, i));
      utimesSync(join(at, `builtin-${key}.model`), t, t);
    });
    // Reading k0 would make it the newest, but it was pruned already when k4 was written.
    expect(readdirSync(at).sort()).toEqual(keys.slice(2).map((k) => `builtin-${k}.model`).sort());
    expect(readCachedTraining(at, 'k0')).toBeNull();
  });

  it('a build that reads its model from the cache stores what the build that trained it stored', async () => {
    const at = join(dir, 'builds');
    const terms = join(dir, 'terms.txt');
    writeFileSync(terms, ['kitap', 'dergi', 'sıcak çay', 'ılık çay', 'soğuk', 'buzlu', 'hava durumu'].join('\n') + '\n');
    const build = async (name: string) => {
      const db = join(dir, name);
      // The CLI child inherits this process's environment (cli-runner.ts).
      const saved = process.env.SYNOGRAPH_CACHE_DIR;
      process.env.SYNOGRAPH_CACHE_DIR = at;
      try {
        const r = await synograph('build', '--db', db, '--terms', terms, '--until', 'embed', '--json');
        expect(r.code, r.stderr).toBe(0);
        const training = (JSON.parse(r.stdout) as { stages: { embed: { stats: { training: { cache: { outcome: string; dir: string } } } } } }).stages.embed.stats.training;
        const conn = openDb(db, { readonly: true });
        try {
          return { cache: training.cache, embeddings: contentHash(conn).embeddings };
        } finally {
          conn.close();
        }
      } finally {
        process.env.SYNOGRAPH_CACHE_DIR = saved;
      }
    };
    const trained = await build('trained.db');
    expect(trained.cache).toMatchObject({ outcome: 'stored', dir: at });
    expect(readdirSync(at).filter((f) => f.endsWith('.model'))).toHaveLength(1);
    const read = await build('read.db');
    expect(read.cache.outcome).toBe('hit');
    expect(read.embeddings).toBe(trained.embeddings);
  }, 300_000);
});
