/**
 * Fault-injection benchmark (issue 16): the default build (`synograph build`, KeNet vocabulary,
 * builtin embedder) killed with SIGKILL at N seeded points of its timeline and resumed each time
 * by the same command, against an uninterrupted build of the same command in the same run. Prints
 * JSON on stdout (progress on stderr): where each kill landed, the content hashes of both
 * databases (src/store/content-hash.ts) and whether they are equal, the wall time of both and
 * their ratio, and the machine's load.
 *
 *   npm run bench:faults [-- --kills 20] [--seed 16] [--dir DIR] [--reference DB]
 *
 * Kill points are drawn uniformly over the reference build's timeline (the sum of its stage
 * times) and sorted; each is a stage and a fraction of that stage's reference time. A resumed run
 * is watched through its build record: when the target stage is running, it is killed after that
 * fraction of the stage's reference time (at the next stage's start if the target went by
 * unseen). --reference reuses a database already built by the default command instead of building
 * one (its build time is then not measured).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { STAGES, type Stage } from '../src/pipeline/index.js';
import { contentHash, latestBuild, openDb } from '../src/store/index.js';
import { mulberry32 } from '../src/util/random.js';

const BIN = fileURLToPath(new URL('../../bin/synograph.js', import.meta.url));
const log = (msg: string): void => void process.stderr.write(`[bench-faults] ${msg}\n`);
const round = (x: number, d = 2): number => Number(x.toFixed(d));
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const { values } = parseArgs({
  options: { kills: { type: 'string', default: '20' }, seed: { type: 'string', default: '16' }, dir: { type: 'string' }, reference: { type: 'string' } },
});
const kills = Number(values.kills);
const seed = Number(values.seed);
const dir = resolve(values.dir ?? join('data', 'bench', 'faults'));
mkdirSync(dir, { recursive: true });

function start(db: string): { child: ChildProcess; done: Promise<{ code: number | null; signal: NodeJS.Signals | null; seconds: number; stderr: string }> } {
  const t0 = performance.now();
  const child = spawn(process.execPath, [BIN, 'build', '--db', db, '--json'], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, CI: '1' } });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; seconds: number; stderr: string }>((res) => child.on('close', (code, signal) => res({ code, signal, seconds: (performance.now() - t0) / 1000, stderr })));
  return { child, done };
}

/** The running stage of the newest build of `db` and since when (null before the database is usable). */
function running(db: string): { build: number; stage: string | null } | null {
  try {
    const d = openDb(db, { readonly: true });
    try {
      const b = latestBuild(d);
      if (!b) return null;
      const s = b.stages.find((x) => x.status === 'running');
      return { build: b.id, stage: s?.stage ?? null };
    } finally {
      d.close();
    }
  } catch {
    return null;
  }
}

function stageSeconds(db: string): Record<string, number> {
  const d = openDb(db, { readonly: true });
  try {
    const b = latestBuild(d)!;
    return Object.fromEntries(b.stages.map((s) => [s.stage, s.seconds ?? 0]));
  } finally {
    d.close();
  }
}

function hash(db: string): Record<string, string> {
  const d = openDb(db, { readonly: true });
  try {
    return contentHash(d);
  } finally {
    d.close();
  }
}

const load = { before: loadavg().map((x) => round(x)) };
const cores = availableParallelism();

// The uninterrupted reference.
const reference = values.reference ? resolve(values.reference) : join(dir, 'reference.db');
let referenceSeconds: number | null = null;
if (!values.reference) {
  for (const f of [reference, `${reference}-wal`, `${reference}-shm`]) rmSync(f, { force: true });
  log(`reference build -> ${reference}`);
  const r = await start(reference).done;
  if (r.code !== 0) throw new Error(`reference build failed (${r.code}): ${r.stderr}`);
  referenceSeconds = r.seconds;
}
if (!existsSync(reference)) throw new Error(`${reference}: no such database`);
const times = stageSeconds(reference);
const timeline = STAGES.map((s) => times[s] ?? 0);
const total = timeline.reduce((a, b) => a + b, 0);
log(`reference: ${round(total)} s of stages ${JSON.stringify(Object.fromEntries(STAGES.map((s, i) => [s, round(timeline[i])])))}`);

// Kill points on the reference timeline: (stage, fraction of its time), in order.
const random = mulberry32(seed);
const points = Array.from({ length: kills }, () => random() * total).sort((a, b) => a - b).map((p) => {
  let i = 0;
  while (i < STAGES.length - 1 && p >= timeline[i]) p -= timeline[i++];
  return { stage: STAGES[i], fraction: timeline[i] > 0 ? p / timeline[i] : 0 };
});

const db = join(dir, 'killed.db');
for (const f of [db, `${db}-wal`, `${db}-shm`]) rmSync(f, { force: true });
const landed: object[] = [];
let runsSeconds = 0;
const t0 = performance.now();
for (const [k, point] of points.entries()) {
  // Only the build this run starts: until it has its own record, the newest is the one killed last
  // time, still marked running.
  const before = running(db)?.build ?? 0;
  const run = start(db);
  const target = STAGES.indexOf(point.stage as Stage);
  let killedIn: string | null = null;
  let inStage = 0;
  let finished = false;
  void run.done.then(() => (finished = true));
  let stageSeen: { stage: string; at: number } | null = null;
  while (!finished) {
    const now = running(db);
    const stage = now !== null && now.build > before ? now.stage : null;
    if (stage !== null && (stageSeen === null || stageSeen.stage !== stage)) stageSeen = { stage, at: performance.now() };
    const at = stage === null ? -1 : STAGES.indexOf(stage as Stage);
    if (at > target || (at === target && performance.now() - stageSeen!.at >= point.fraction * timeline[target] * 1000)) {
      inStage = (performance.now() - stageSeen!.at) / 1000;
      killedIn = stage;
      run.child.kill('SIGKILL');
      break;
    }
    await sleep(50);
  }
  const r = await run.done;
  runsSeconds += r.seconds;
  const entry = { kill: k + 1, target: { stage: point.stage, fraction: round(point.fraction, 3) }, killedIn, secondsInStage: round(inStage), runSeconds: round(r.seconds), signal: r.signal, code: r.code };
  landed.push(entry);
  log(JSON.stringify(entry));
}
log('resume to the end');
const last = await start(db).done;
if (last.code !== 0) throw new Error(`resumed build failed (${last.code}): ${last.stderr}`);
runsSeconds += last.seconds;
const killedHash = hash(db);
const referenceHash = hash(reference);
const equal = JSON.stringify(killedHash) === JSON.stringify(referenceHash);
const out = {
  bench: 'faults',
  command: 'synograph build --db DB --json (the default build)',
  kills,
  seed,
  cores,
  cpu: cpus()[0]?.model,
  load: { ...load, after: loadavg().map((x) => round(x)) },
  reference: { db: reference, seconds: referenceSeconds === null ? null : round(referenceSeconds), stageSeconds: Object.fromEntries(STAGES.map((s, i) => [s, round(timeline[i])])), hash: referenceHash },
  killed: { db, runs: kills + 1, seconds: round(runsSeconds), wallSeconds: round((performance.now() - t0) / 1000), killsThatLanded: landed.filter((l) => (l as { signal: string | null }).signal === 'SIGKILL').length, points: landed, lastRunSeconds: round(last.seconds), hash: killedHash },
  ratio: referenceSeconds === null ? null : round(runsSeconds / referenceSeconds),
  equal,
};
process.stdout.write(JSON.stringify(out, null, 2) + '\n');
if (!equal) process.exitCode = 1;
