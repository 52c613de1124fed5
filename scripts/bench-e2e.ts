/**
 * End-to-end benchmark: a seeded generated term list of N lines (scripts/generate-terms.ts
 * `generatePhraseTerms`: real and made-up Turkish words, 1-5 word phrases with shared heads and
 * modifiers, casing variants, duplicates, noise lines) built by `synograph build --terms` with
 * the builtin embedder, every stage; prints JSON.
 *
 *   npm run bench:e2e -- --terms 1000000 [--dir /tmp/synograph-e2e] [--seed 1] [--threads N] [--keep] [--huge-pages]
 *   (SYNOGRAPH_CACHE_DIR=off: the builtin embedder is trained, as in a first build on a machine)
 *
 * With --huge-pages, the child's malloc asks for transparent huge pages for all it maps
 * (`withHugePages`); the README's "build" gives what that changed.
 *
 * The build runs in a child process (its peak RSS is its own), stage by stage through the
 * library's `buildDatabase`; the child resets the kernel's peak-RSS mark (/proc/self/clear_refs)
 * before each stage, so each stage's `peakRssBytes` is that stage's own high-water mark, and
 * `peakRssBytes` overall is the maximum; `after` is what the process holds when the stage ends
 * (resident, V8 heap in use, array buffers), which the next stage's peak starts from. Per stage:
 * seconds, CPU seconds and cores busy (CPU over wall, both from the end of the stage before or
 * the build's start), throughput (its own items: lines, terms, rows, pairs, nodes) and the stage's
 * reported counts. `ratios` are the targets of issue 14 as measured/target (under 1 is within it)
 * and the candidates stage's speed over exact search, measured in the same run on its recall
 * sample. The list is generated once into --dir and reused; the database is rebuilt from scratch
 * (deleted first, and after unless --keep).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildDatabase } from '../src/methods/build.js';
import type { StageReport } from '../src/pipeline/index.js';
import { peakRssBytes } from '../src/util/memory.js';
import { kernelSimd } from '../src/candidates/native-kernel.js';
import { generatePhraseTerms } from './generate-terms.js';

const round = (x: number, d = 2): number => Number(x.toFixed(d));
const GiB = 1024 ** 3;

/** Resets this process's peak-RSS mark (Linux); false where that is not possible. */
function resetPeak(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

/** What the process holds when a stage ends. */
interface Held {
  rssBytes: number;
  heapUsedBytes: number;
  arrayBufferBytes: number;
}

/** CPU seconds of this process, every thread (workers included), since `since`. */
function cpuSecondsSince(since: NodeJS.CpuUsage): number {
  const { user, system } = process.cpuUsage(since);
  return (user + system) / 1e6;
}

async function child(termsFile: string, db: string, threads: number | undefined): Promise<unknown> {
  const stages: Record<string, { seconds: number; status: string; peakRssBytes: number; cpuSeconds: number; coresBusy: number; after: Held; stats?: object }> = {};
  const perStagePeak = resetPeak();
  let overallPeak = 0;
  const started = performance.now();
  const startedCpu = process.cpuUsage();
  // Each stage's CPU time is counted from the end of the one before, as is the wall time it is
  // divided by: work begun early beside another stage (the embedder's training, the relations
  // preparation) counts in the stage it ran beside.
  let lastCpu = startedCpu;
  let lastWall = started;
  const report = await buildDatabase(
    { db, terms: termsFile, threads },
    {
      onStage: (stage, r: StageReport) => {
        const peak = peakRssBytes();
        overallPeak = Math.max(overallPeak, peak);
        // What the stage leaves held when the next one starts (a stage's peak includes it).
        const now = process.memoryUsage();
        const after: Held = { rssBytes: now.rss, heapUsedBytes: now.heapUsed, arrayBufferBytes: now.arrayBuffers };
        const cpuSeconds = cpuSecondsSince(lastCpu);
        const coresBusy = cpuSeconds / Math.max((performance.now() - lastWall) / 1000, 1e-9);
        lastCpu = process.cpuUsage();
        lastWall = performance.now();
        stages[stage] = { seconds: round(r.seconds, 2), status: r.status, peakRssBytes: peak, cpuSeconds: round(cpuSeconds, 1), coresBusy: round(coresBusy), after, stats: r.stats };
        process.stderr.write(`[bench-e2e] ${stage}: ${r.seconds.toFixed(1)} s, ${coresBusy.toFixed(2)} cores busy, peak RSS ${(peak / GiB).toFixed(2)} GiB, RSS after ${(now.rss / GiB).toFixed(2)} GiB\n`);
        if (perStagePeak) resetPeak();
      },
    },
  );
  return { stages, wallSeconds: (performance.now() - started) / 1000, cpuSeconds: cpuSecondsSince(startedCpu), perStagePeak, peakRssBytes: overallPeak, buildSeconds: report.totalSeconds };
}

/** The count a stage's throughput is measured in, from its stats. */
function items(stage: string, stats: Record<string, unknown> | undefined, rows: number): { unit: string; count: number } | null {
  const num = (k: string): number => (typeof stats?.[k] === 'number' ? (stats[k] as number) : NaN);
  switch (stage) {
    case 'terms':
      return { unit: 'lines', count: num('records') };
    case 'lemmas':
    case 'embed':
      return { unit: 'terms', count: num('terms') };
    case 'candidates':
      return { unit: 'rows', count: rows };
    case 'relations':
      return { unit: 'pairs', count: num('scored') };
    case 'cluster':
      return { unit: 'nodes', count: num('nodes') };
    default:
      return null;
  }
}

function fileBytes(path: string): number {
  let total = 0;
  for (const f of [path, `${path}-wal`, `${path}-shm`]) if (existsSync(f)) total += statSync(f).size;
  return total;
}

/**
 * GLIBC_TUNABLES with glibc's malloc asking for transparent huge pages (glibc 2.35 and later; an
 * older glibc, or another libc, ignores it). Fresh memory is then faulted in 2 MiB at a time
 * instead of 4 KiB: on this 2-core VM, filling a new 1 GiB array took 3.5-5.6 s, and 0.1-2.4 s so.
 */
function withHugePages(tunables: string | undefined): string {
  if (tunables?.split(':').some((t) => t.startsWith('glibc.malloc.hugetlb='))) return tunables;
  return tunables ? `${tunables}:glibc.malloc.hugetlb=1` : 'glibc.malloc.hugetlb=1';
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      terms: { type: 'string', default: '100000' },
      dir: { type: 'string', default: '/tmp/synograph-e2e' },
      seed: { type: 'string', default: '1' },
      threads: { type: 'string' },
      keep: { type: 'boolean', default: false },
      child: { type: 'boolean', default: false },
      list: { type: 'string' },
      db: { type: 'string' },
      'huge-pages': { type: 'boolean', default: false },
    },
  });
  const threads = values.threads ? Number(values.threads) : undefined;
  if (values.child) {
    process.stdout.write(JSON.stringify(await child(values.list!, values.db!, threads)) + '\n');
    // The inference thread is unref'd but the pool's handles may linger: exit explicitly.
    process.exit(0);
  }
  const n = Number(values.terms);
  mkdirSync(values.dir, { recursive: true });
  const list = join(values.dir, `terms-${n}-s${values.seed}.txt`);
  let generated: unknown = 'reused';
  if (!existsSync(list)) generated = await generatePhraseTerms(n, list, Number(values.seed));
  const db = join(values.dir, `e2e-${n}.db`);
  for (const f of [db, `${db}-wal`, `${db}-shm`]) rmSync(f, { force: true });
  const load = { before: loadavg().map((x) => round(x)) };
  const started = performance.now();
  const argv = [fileURLToPath(import.meta.url), '--child', '--list', list, '--db', db, ...(threads ? ['--threads', String(threads)] : [])];
  const hugePages = values['huge-pages'];
  const env = hugePages ? { ...process.env, GLIBC_TUNABLES: withHugePages(process.env.GLIBC_TUNABLES) } : process.env;
  const out = execFileSync(process.execPath, ['--max-old-space-size=20000', ...argv], { encoding: 'utf8', maxBuffer: 1 << 26, stdio: ['ignore', 'pipe', 'inherit'], env });
  const wall = (performance.now() - started) / 1000;
  const r = JSON.parse(out.trim().split('\n').pop()!) as { stages: Record<string, { seconds: number; peakRssBytes: number; cpuSeconds: number; coresBusy: number; after: Held; stats?: Record<string, unknown> }>; wallSeconds: number; cpuSeconds: number; peakRssBytes: number; perStagePeak: boolean; buildSeconds: number };
  const dbBytes = fileBytes(db);
  const rows = Number((r.stages.embed?.stats as { terms?: number } | undefined)?.terms ?? NaN);
  const stages = Object.fromEntries(
    Object.entries(r.stages).map(([name, s]) => {
      const it = items(name, s.stats, rows);
      const after = { rssGiB: round(s.after.rssBytes / GiB), heapUsedGiB: round(s.after.heapUsedBytes / GiB), arrayBuffersGiB: round(s.after.arrayBufferBytes / GiB) };
      return [name, { seconds: s.seconds, cpuSeconds: s.cpuSeconds, coresBusy: s.coresBusy, peakRssGiB: round(s.peakRssBytes / GiB), after, ...(it && Number.isFinite(it.count) ? { [`${it.unit}PerSecond`]: Math.round(it.count / Math.max(s.seconds, 1e-9)), [it.unit]: it.count } : {}), stats: s.stats }];
    }),
  );
  const cand = r.stages.candidates?.stats as { annRecall?: number; annSample?: number; seconds?: { exact?: number } } | undefined;
  const candSeconds = r.stages.candidates?.seconds ?? NaN;
  // The exact search of the recall sample scans every row: its rate projected to all rows is the brute-force baseline.
  const exactAllRows = cand?.seconds?.exact && cand.annSample ? (cand.seconds.exact / cand.annSample) * rows : NaN;
  const targets = n >= 15_000_000 ? { seconds: 3600, rssBytes: 16 * GiB } : { seconds: 300, rssBytes: 6 * GiB };
  const result = {
    benchmark: 'e2e',
    lines: n,
    terms: rows,
    list,
    generated,
    cores: availableParallelism(),
    cpu: cpus()[0]?.model,
    simd: kernelSimd(),
    memoryGiB: round(totalmem() / GiB, 1),
    load: { ...load, after: loadavg().map((x) => round(x)) },
    wallSeconds: round(wall, 1),
    buildSeconds: round(r.buildSeconds, 1),
    // CPU seconds of the build's process, all threads, and their ratio to its wall time: where a
    // stage's `coresBusy` stays near 1 on a 2-core machine, one core idled through it.
    cpuSeconds: round(r.cpuSeconds, 1),
    coresBusy: round(r.cpuSeconds / r.wallSeconds),
    peakRssGiB: round(r.peakRssBytes / GiB),
    perStagePeakRss: r.perStagePeak,
    // --huge-pages: every large allocation of the build's malloc on transparent huge pages (README, "build").
    hugePages,
    // `hit`: the builtin embedder came from the cache an earlier build filled, not trained
    // (SYNOGRAPH_CACHE_DIR=off, or a fresh cache directory, measures a first build).
    embedderCache: (r.stages.embed?.stats as { training?: { cache?: { outcome: string } } } | undefined)?.training?.cache?.outcome ?? null,
    dbBytes,
    dbGiB: round(dbBytes / GiB),
    stages,
    ratios: {
      wallToTarget: round(wall / targets.seconds, 3),
      peakRssToTarget: round(r.peakRssBytes / targets.rssBytes, 3),
      targets: { seconds: targets.seconds, rssGiB: targets.rssBytes / GiB },
      candidates: {
        annRecall: cand?.annRecall ?? null,
        secondsPerMillionRows: round((candSeconds / rows) * 1e6, 1),
        queriesPerSecondPerCore: Math.round(rows / candSeconds / availableParallelism()),
        exactSearchProjectedSeconds: round(exactAllRows, 1),
        speedupOverExactSearch: round(exactAllRows / candSeconds, 1),
      },
    },
  };
  process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  if (!values.keep) for (const f of [db, `${db}-wal`, `${db}-shm`]) rmSync(f, { force: true });
}

await main();
