/**
 * Build records: every build stores its mode (`holdout` | `full`), the split seed, its config and
 * code version, and one row per stage with timings and counts. A database holds one mode for life,
 * so a held-out evaluation can never read a database that a full build has written to.
 */
import { execFileSync } from 'node:child_process';
import { packageRoot, packageVersion } from '../util/package.js';
import type { BuildMode, SplitConfig } from '../types.js';
import { StoreError, getMeta, setMeta, type Db } from './db.js';

export interface BuildIdentity {
  mode: BuildMode;
  /** The lexical split the build was made with: eval reads it from here, never from its own flags. */
  split: SplitConfig;
}

/**
 * Records the database's mode and split on first use; refuses a build of the other mode or
 * another split. Databases from before the shares were recorded take them from their first build.
 */
export function claimBuildMode(db: Db, wanted: BuildIdentity): void {
  const known = buildIdentity(db);
  if (known === null) {
    db.transaction(() => {
      setMeta(db, 'mode', wanted.mode);
      setMeta(db, 'split_seed', String(wanted.split.seed));
      setMeta(db, 'split_train', String(wanted.split.train));
      setMeta(db, 'split_dev', String(wanted.split.dev));
    })();
    return;
  }
  const same = known.mode === wanted.mode && known.split.seed === wanted.split.seed && known.split.train === wanted.split.train && known.split.dev === wanted.split.dev;
  if (!same) {
    throw new StoreError(db.name, `this database holds a ${describe(known)} build; a ${describe(wanted)} build needs its own --db`);
  }
}

function describe(identity: BuildIdentity): string {
  const { seed, train, dev } = identity.split;
  return `${identity.mode} (split seed ${seed}, train ${train}, dev ${dev})`;
}

/** The database's mode and split, or null before its first build. */
export function buildIdentity(db: Db): BuildIdentity | null {
  const mode = getMeta(db, 'mode');
  if (mode !== 'holdout' && mode !== 'full') return null;
  const seed = Number(getMeta(db, 'split_seed'));
  let train = Number(getMeta(db, 'split_train') ?? NaN);
  let dev = Number(getMeta(db, 'split_dev') ?? NaN);
  if (!Number.isFinite(train) || !Number.isFinite(dev)) {
    // Written before the shares were recorded: every build of such a database used one config.
    const config = db.prepare('SELECT config FROM builds ORDER BY id LIMIT 1').pluck().get() as string | undefined;
    const split = config ? (JSON.parse(config) as { split?: Partial<SplitConfig> }).split : undefined;
    if (typeof split?.train !== 'number' || typeof split?.dev !== 'number') throw new StoreError(db.name, 'the split shares of this database are not recorded');
    train = split.train;
    dev = split.dev;
  }
  return { mode, split: { seed, train, dev } };
}

let cachedVersion: string | null = null;

/** `package version+git commit` when run from a checkout, the package version otherwise. */
export function codeVersion(): string {
  if (cachedVersion) return cachedVersion;
  let version = packageVersion();
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: packageRoot(), stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
    if (commit) version += `+${commit}`;
  } catch {
    // not a git checkout: the package version alone
  }
  cachedVersion = version;
  return version;
}

export function startBuild(db: Db, identity: BuildIdentity, config: unknown): number {
  claimBuildMode(db, identity);
  const info = db
    .prepare("INSERT INTO builds(mode, split_seed, config, code_version, started_at, status) VALUES (?, ?, ?, ?, ?, 'running')")
    .run(identity.mode, identity.split.seed, JSON.stringify(config), codeVersion(), new Date().toISOString());
  return Number(info.lastInsertRowid);
}

export function finishBuild(db: Db, buildId: number, status: 'done' | 'failed' | 'interrupted'): void {
  db.prepare('UPDATE builds SET status = ?, finished_at = ? WHERE id = ?').run(status, new Date().toISOString(), buildId);
}

/** A build stopped by a signal: its running stage and the build itself are marked `interrupted`, together. */
export function interruptBuild(db: Db, buildId: number): void {
  const now = new Date().toISOString();
  db.transaction(() => {
    db.prepare("UPDATE build_stages SET status = 'interrupted', finished_at = ? WHERE build_id = ? AND status = 'running'").run(now, buildId);
    db.prepare("UPDATE builds SET status = 'interrupted', finished_at = ? WHERE id = ?").run(now, buildId);
  })();
}

/** The stage this build is running (null between stages). */
export function runningStage(db: Db, buildId: number): string | null {
  return (db.prepare("SELECT stage FROM build_stages WHERE build_id = ? AND status = 'running'").pluck().get(buildId) as string | undefined) ?? null;
}

export interface StageOutcome<T> {
  skipped: boolean;
  seconds: number;
  stats: T;
}

export interface RunStageOptions {
  /** Run even when a done record has the same fingerprint. */
  force?: boolean;
  /**
   * The stages whose done records stop describing their tables once this stage starts writing:
   * the stage itself and every stage that reads it, directly or not. They are marked superseded
   * in the transaction that records this stage as running, before it writes anything.
   */
  supersedes?: readonly string[];
}

/** The stats of a completed run of `stage` with this fingerprint (what runStage skips on), or undefined. */
function doneRunStats(db: Db, stage: string, fingerprint: string): string | undefined {
  return db
    .prepare(
      `SELECT s.stats FROM build_stages s WHERE s.stage = ? AND s.status = 'done'
       AND json_extract(s.stats, '$.fingerprint') = ? ORDER BY s.build_id DESC LIMIT 1`,
    )
    .pluck()
    .get(stage, fingerprint) as string | undefined;
}

/** Whether runStage would skip `stage` with this fingerprint (unforced). */
export function wouldSkipStage(db: Db, stage: string, fingerprint: string): boolean {
  return doneRunStats(db, stage, fingerprint) !== undefined;
}

/**
 * Runs one stage of a build and records it. A stage already completed in this database with the
 * same fingerprint (its inputs and options) is skipped, which is what makes builds resumable.
 * A stage that runs first supersedes the done records of `supersedes`: whatever happens to it
 * (finished, failed, killed), no older record of a table it rewrites lets a later build skip.
 */
export async function runStage<T extends object>(db: Db, buildId: number, stage: string, fingerprint: string, body: () => Promise<T>, options: RunStageOptions = {}): Promise<StageOutcome<T>> {
  const previous = options.force ? undefined : doneRunStats(db, stage, fingerprint);
  const startedAt = new Date().toISOString();
  if (previous !== undefined) {
    const stats = JSON.parse(previous) as T;
    db.prepare("INSERT INTO build_stages(build_id, stage, started_at, finished_at, seconds, status, stats) VALUES (?, ?, ?, ?, 0, 'done', ?)").run(
      buildId, stage, startedAt, startedAt, JSON.stringify({ ...stats, fingerprint, skipped: true }),
    );
    return { skipped: true, seconds: 0, stats };
  }
  const supersedes = options.supersedes ?? [stage];
  db.transaction(() => {
    db.prepare(`UPDATE build_stages SET status = 'superseded' WHERE status = 'done' AND stage IN (${supersedes.map(() => '?').join(', ')})`).run(...supersedes);
    db.prepare("INSERT INTO build_stages(build_id, stage, started_at, status) VALUES (?, ?, ?, 'running')").run(buildId, stage, startedAt);
  })();
  const t0 = performance.now();
  try {
    const stats = await body();
    const seconds = (performance.now() - t0) / 1000;
    db.prepare("UPDATE build_stages SET status = 'done', finished_at = ?, seconds = ?, stats = ? WHERE build_id = ? AND stage = ?").run(
      new Date().toISOString(), seconds, JSON.stringify({ ...stats, fingerprint }), buildId, stage,
    );
    return { skipped: false, seconds, stats };
  } catch (err) {
    db.prepare("UPDATE build_stages SET status = 'failed', finished_at = ?, seconds = ?, stats = ? WHERE build_id = ? AND stage = ?").run(
      new Date().toISOString(), (performance.now() - t0) / 1000, JSON.stringify({ error: (err as Error).message }), buildId, stage,
    );
    throw err;
  }
}

/**
 * The synonym gate the database's verdicts were gated with (the relations stage's own record), so
 * that readers judge edges the way the build did; null before any relations stage.
 */
export function builtGate(db: Db): number | null {
  const gate = db
    .prepare("SELECT json_extract(stats, '$.gate') FROM build_stages WHERE stage = 'relations' AND status = 'done' ORDER BY build_id DESC, started_at DESC LIMIT 1")
    .pluck()
    .get();
  return typeof gate === 'number' ? gate : null;
}

/** Fingerprint of the latest completed run of a stage: the stages after it depend on it. */
export function doneFingerprint(db: Db, stage: string): string | null {
  const value = db.prepare("SELECT json_extract(stats, '$.fingerprint') FROM build_stages WHERE stage = ? AND status = 'done' ORDER BY build_id DESC LIMIT 1").pluck().get(stage);
  return typeof value === 'string' ? value : null;
}

/** The stats of the latest completed run of a stage, or null. */
export function doneStats(db: Db, stage: string): Record<string, unknown> | null {
  const value = db.prepare("SELECT stats FROM build_stages WHERE stage = ? AND status = 'done' ORDER BY build_id DESC LIMIT 1").pluck().get(stage) as string | undefined;
  return value === undefined ? null : (JSON.parse(value) as Record<string, unknown>);
}

export interface StageRecord {
  stage: string;
  status: string;
  seconds: number | null;
  stats: Record<string, unknown>;
}

export function latestBuild(db: Db): { id: number; mode: BuildMode; splitSeed: number; status: string; codeVersion: string; config: unknown; stages: StageRecord[] } | null {
  const row = db.prepare('SELECT id, mode, split_seed, status, code_version, config FROM builds ORDER BY id DESC LIMIT 1').get() as
    | { id: number; mode: BuildMode; split_seed: number; status: string; code_version: string; config: string }
    | undefined;
  if (!row) return null;
  const stages = (db.prepare('SELECT stage, status, seconds, stats FROM build_stages WHERE build_id = ? ORDER BY started_at, stage').all(row.id) as { stage: string; status: string; seconds: number | null; stats: string }[]).map(
    (s) => ({ stage: s.stage, status: s.status, seconds: s.seconds, stats: JSON.parse(s.stats) as Record<string, unknown> }),
  );
  return { id: row.id, mode: row.mode, splitSeed: row.split_seed, status: row.status, codeVersion: row.code_version, config: JSON.parse(row.config), stages };
}
