/**
 * HTTP API benchmark: builds a synthetic database through the store's own writers (ingest of a
 * generated Turkish-looking term list, clusters of 2-20 with alternative senses, gated synonym
 * verdicts, antonyms with cannot-links, co-hyponyms and pruned verdicts), serves it with
 * `synograph serve` in its own process on loopback, and drives it with autocannon:
 * GET /v1/terms/{random term} and POST /v1/expand, with GET /healthz (a constant answer through
 * the same stack) as the same-run baseline. Prints JSON.
 *
 *   npm run bench:api [-- --terms 200000 --duration 10 --connections 10] [--rate 5000] [--db FILE]
 *
 * --db keeps the database at FILE (built there when missing, reused as it is otherwise).
 * --rate paces the two API routes at that many requests a second over all connections (autocannon's
 * overallRate, latencies corrected for coordinated omission): the p99 *at* a request rate, rather
 * than at saturation, where a closed loop of N connections only measures its own queue (N / rate).
 * Without it every route runs as fast as the connections go. The /healthz baseline is never paced.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon, { type Result } from 'autocannon';
import { readTermBatches, WarningLog } from '../src/lexicon/index.js';
import { finishBuild, ingestTerms, openDb, startBuild, writeCannotLinks, writeClustering, writeRelationBatch, type Db } from '../src/store/index.js';
import { mulberry32 } from '../src/util/random.js';
import { generateTerms } from './generate-terms.js';

const BIN = fileURLToPath(new URL('../../bin/synograph.js', import.meta.url));

interface Built {
  norms: string[];
  clusters: number;
  relations: number;
  seconds: number;
}

function readBuilt(file: string, seconds: number): Built {
  const db = openDb(file, { readonly: true });
  try {
    const count = (sql: string) => db.prepare(sql).pluck().get() as number;
    return { norms: db.prepare('SELECT norm FROM terms').pluck().all() as string[], clusters: count('SELECT count(*) FROM clusters'), relations: count('SELECT count(*) FROM relation_predictions'), seconds };
  } finally {
    db.close();
  }
}

async function buildDatabase(file: string, count: number, seed: number): Promise<Built> {
  const started = performance.now();
  const list = `${file}.txt`;
  await generateTerms(count, list, seed);
  const db = openDb(file);
  try {
    await ingestTerms(db, readTermBatches(list, { warnings: new WarningLog() }), { name: list, path: list });
    const buildId = startBuild(db, { mode: 'full', split: { seed, train: 0.6, dev: 0.1 } }, { bench: 'api' });
    fillResults(db, seed);
    finishBuild(db, buildId, 'done');
  } finally {
    db.close();
    rmSync(list, { force: true });
  }
  return readBuilt(file, (performance.now() - started) / 1000);
}

/** Clusters of 2-20 over shuffled terms, with verdicts shaped like a real relations stage's output. */
function fillResults(db: Db, seed: number): void {
  const rand = mulberry32(seed + 1);
  const ids = Int32Array.from(db.prepare('SELECT id FROM terms ORDER BY id').pluck().all() as number[]);
  for (let i = ids.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [ids[i], ids[j]] = [ids[j], ids[i]];
  }
  const rep: number[] = [];
  const size: number[] = [];
  const mTerm: number[] = [];
  const mCluster: number[] = [];
  const mSupport: number[] = [];
  const mPrimary: number[] = [];
  const ra: number[] = [];
  const rb: number[] = [];
  const probs: number[] = [];
  const label: number[] = [];
  const gated: number[] = [];
  const ca: number[] = [];
  const cb: number[] = [];
  const verdict = (a: number, b: number, ps: number, pa: number, l: number, g: number) => {
    ra.push(a);
    rb.push(b);
    probs.push(ps, pa, Math.max(0, 1 - ps - pa));
    label.push(l);
    gated.push(g);
  };
  for (let at = 0; at < ids.length; ) {
    const n = Math.min(ids.length - at, 2 + Math.floor(rand() * 19));
    const k = rep.length;
    const members = ids.subarray(at, at + n);
    rep.push(members[0]);
    size.push(n);
    members.forEach((t, i) => {
      mTerm.push(t);
      mCluster.push(k);
      mSupport.push(i === 0 ? 1 : 0.5 + rand() * 0.5);
      mPrimary.push(1);
      if (i > 0) verdict(members[0], t, 0.7 + rand() * 0.3, rand() * 0.05, 0, 1);
    });
    const outside = () => ids[Math.floor(rand() * ids.length)];
    const ant = outside();
    verdict(members[0], ant, rand() * 0.1, 0.7 + rand() * 0.3, 1, 0);
    ca.push(members[0]);
    cb.push(ant);
    verdict(members[0], outside(), 0.1 + rand() * 0.2, rand() * 0.05, 2, 0);
    verdict(members[n - 1], outside(), 0.5 + rand() * 0.19, rand() * 0.05, 0, 0);
    at += n;
  }
  // One term in twenty keeps a losing soft membership (an alternative sense) in another cluster.
  for (let i = 0; i < ids.length; i += 20) {
    mTerm.push(ids[i]);
    mCluster.push(Math.floor(rand() * rep.length));
    mSupport.push(0.2 + rand() * 0.3);
    mPrimary.push(0);
  }
  db.transaction(() => {
    writeRelationBatch(db, { a: Int32Array.from(ra), b: Int32Array.from(rb), probs: Float32Array.from(probs), label: Uint8Array.from(label), gated: Uint8Array.from(gated), origin: 'model', length: ra.length });
    writeCannotLinks(db, Int32Array.from(ca), Int32Array.from(cb), 'model');
    writeClustering(db, {
      algorithm: 'synograph',
      representative: Int32Array.from(rep),
      size: Int32Array.from(size),
      minPSynonym: new Float32Array(rep.length).fill(0.7),
      meanPSynonym: new Float32Array(rep.length).fill(0.85),
      memberTerm: Int32Array.from(mTerm),
      memberCluster: Int32Array.from(mCluster),
      memberSupport: Float32Array.from(mSupport),
      memberPrimary: Uint8Array.from(mPrimary),
    });
  })();
}

async function startServer(file: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [BIN, 'serve', '--db', file, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /at (http:\/\/[^\s/]+)\//.exec(out);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`synograph serve exited with ${code}`)));
  });
  return { child, url };
}

function peakRssOf(pid: number): number | null {
  try {
    const m = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

function summarize(r: Result) {
  return { requestsPerSecond: Math.round(r.requests.average), p50Ms: r.latency.p50, p90Ms: r.latency.p90, p99Ms: r.latency.p99, maxMs: r.latency.max, requests: r.requests.total, errors: r.errors, timeouts: r.timeouts, non2xx: r.non2xx };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { terms: { type: 'string' }, duration: { type: 'string' }, connections: { type: 'string' }, rate: { type: 'string' }, seed: { type: 'string' }, db: { type: 'string' } } });
  const count = Number(values.terms ?? 200_000);
  const duration = Number(values.duration ?? 10);
  const connections = Number(values.connections ?? 10);
  const seed = Number(values.seed ?? 7);
  const rate = values.rate === undefined ? null : Number(values.rate);
  if (rate !== null && !(Number.isInteger(rate) && rate > 0)) throw new Error(`--rate: a positive integer, got "${values.rate}"`);
  const dir = mkdtempSync(join(tmpdir(), 'synograph-bench-api-'));
  const file = values.db ? resolve(values.db) : join(dir, 'bench.db');
  let server: ChildProcess | null = null;
  try {
    const built = values.db && existsSync(file) ? readBuilt(file, 0) : await buildDatabase(file, count, seed);
    const { child, url } = await startServer(file);
    server = child;
    const rand = mulberry32(seed + 2);
    const pick = () => built.norms[Math.floor(rand() * built.norms.length)];
    // A fifth of the lookups use another surface form (uppercase), as users type.
    const termPath = () => {
      const t = pick();
      return `/v1/terms/${encodeURIComponent(rand() < 0.2 ? t.toLocaleUpperCase('tr-TR') : t)}`;
    };
    const expandBody = () => JSON.stringify({ terms: [pick(), pick(), pick()], limit: 10 });
    const base = { url, connections, duration };
    // autocannon's option (the local type declaration names only what the other runs use).
    const paced = rate === null ? {} : { overallRate: rate };
    await autocannon({ ...base, duration: 2, url: `${url}/healthz` }); // warm-up: JIT, page cache
    const healthz = await autocannon({ ...base, url: `${url}/healthz` });
    const terms = await autocannon({ ...base, ...paced, requests: [{ setupRequest: (req) => ({ ...req, method: 'GET', path: termPath() }) }] });
    const expand = await autocannon({ ...base, ...paced, requests: [{ setupRequest: (req) => ({ ...req, method: 'POST', path: '/v1/expand', headers: { 'content-type': 'application/json' }, body: expandBody() }) }] });
    const serverPeakRss = peakRssOf(child.pid!);
    const b = summarize(healthz);
    const t = summarize(terms);
    const e = summarize(expand);
    const meets = (s: typeof t) => s.p99Ms < 5 && s.requestsPerSecond >= 5000 && s.errors === 0 && s.non2xx === 0;
    process.stdout.write(
      JSON.stringify(
        {
          benchmark: 'api',
          cores: cpus().length,
          node: process.version,
          database: { terms: built.norms.length, clusters: built.clusters, relations: built.relations, buildSeconds: Number(built.seconds.toFixed(1)) },
          load: { connections, durationSeconds: duration, overallRate: rate, tool: 'autocannon (same machine as the server)' },
          baseline: { route: 'GET /healthz', ...b },
          terms: { route: 'GET /v1/terms/{random term}', ...t, ratioToBaseline: Number((t.requestsPerSecond / b.requestsPerSecond).toFixed(3)) },
          expand: { route: 'POST /v1/expand (3 random terms)', ...e, ratioToBaseline: Number((e.requestsPerSecond / b.requestsPerSecond).toFixed(3)) },
          serverPeakRssBytes: serverPeakRss,
          target: { p99MsBelow: 5, requestsPerSecondAtLeast: 5000, termsMet: meets(t), expandMet: meets(e) },
        },
        null,
        2,
      ) + '\n',
    );
  } finally {
    server?.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`bench-api: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
