/**
 * Runs a build: the stages of the table in order into one database, each skipped when a run with
 * the same fingerprint (its options, code version and inputs' fingerprints) is already done, so
 * an interrupted build resumes where it stopped. Records the build, its saved options and each
 * stage's time and counts.
 *
 * What makes a "done" trustworthy: one build at a time holds the database's write lock; a stage
 * that runs supersedes the done records of itself and of every stage that reads it before it
 * writes (so a build killed mid-stage leaves no record a later build could skip on); and an abort
 * (SIGINT/SIGTERM in the CLI) marks the running stage and the build `interrupted`.
 */
import { loadKenet } from '../lexicon/index.js';
import { visibleSynsets } from '../split.js';
import { StoreError, SynographError } from '../errors.js';
import { acquireWriteLock, countTerms, storedDimensions, quickCheck, doneFingerprint, finishBuild, interruptBuild, openDb, runningStage, runStage, startBuild, termsGeneration, wouldSkipStage, type Db, type WriteLock } from '../store/index.js';
import { fileStamp } from '../util/file-stamp.js';
import { releaseBuffers } from '../util/inference.js';
import { hash32 } from '../util/random.js';
import { DEFAULT_BUILTIN_CONFIG } from '../embed/index.js';
import type { BuildMode } from '../types.js';
import { BUILD_OPTIONS_VERSION, memoryBudget, STAGES, type BuildOptions, type Stage } from './options.js';
import { SILENT_PROGRESS, type BuildContext, type BuildSize, type Progress, type StageDefinition } from './stage.js';
import { STAGE_TABLE } from './table.js';

export interface StageReport {
  status: 'done' | 'skipped';
  seconds: number;
  stats?: object;
}

export interface BuildReport {
  db: string;
  buildId: number;
  mode: BuildMode;
  splitSeed: number;
  stages: Partial<Record<Stage, StageReport>>;
  /** Stages whose early work (see StageDefinition.early) began before the stage, in that order. */
  early: Stage[];
  totalSeconds: number;
}

export interface BuildHooks {
  /** A progress reporter per long stage (the CLI draws them on a terminal). */
  progress?: (stage: Stage, total: number | null) => Progress;
  /** Called after each stage with its report. */
  onStage?: (stage: Stage, report: StageReport) => void;
  /**
   * Stops the build when aborted: the running stage and the build are marked `interrupted`, the
   * lock is given up, the database closed, and the build rejects with an `interrupted` error at
   * once (work still in flight is abandoned: the caller is expected to exit, as the CLI does).
   */
  signal?: AbortSignal;
}

/** Every stage that reads `stage`, directly or through another stage, in table order. */
export function readersOf(stage: Stage): Stage[] {
  const out = new Set<Stage>([stage]);
  for (const s of STAGE_TABLE) if (s.reads.some((r) => out.has(r))) out.add(s.name);
  out.delete(stage);
  return [...out];
}

/** Bookkeeping after a failure: a second failure must not hide the first. */
function attempt(write: () => void): void {
  try {
    write();
  } catch {
    // the failure being reported already explains this one
  }
}

/** A stage's fingerprint as recorded: its name and parts, hashed (the parts read the upstream records as they stand). */
function stagePrint(stage: StageDefinition, ctx: BuildContext): string {
  return hash32(JSON.stringify([stage.name, ...stage.fingerprint(ctx)])).toString(16);
}

/**
 * Whether a stage's early work fits the memory budget beside another stage's run, by the two
 * stages' estimates (a stage without one counts nothing).
 */
function fitsBeside(ctx: BuildContext, running: StageDefinition, waiting: StageDefinition): boolean {
  if (!running.peakBytes && !waiting.earlyPeakBytes) return true;
  // One count of the terms for both estimates: a scan of the terms table, 0.9 s at 12.6M terms.
  const size: BuildSize = { terms: countTerms(ctx.db), dimensions: storedDimensions(ctx.db) };
  const need = (running.peakBytes?.(size) ?? 0) + (waiting.earlyPeakBytes?.(size) ?? 0);
  return need <= memoryBudget(ctx.options);
}

/**
 * Begins the early work (StageDefinition.early) of each stage that is going to run: forced, reading
 * a stage that is, or whose fingerprint (its upstream records as they stand) matches no completed
 * run. Stages after the last one with early work are not looked at. Work with `earlyAfter` begins
 * beside the first stage that starts once `over` has been told of all those stages and leaves
 * room for it in the memory budget (`beside`, called with that stage when its run has begun: an
 * evidence stage has handed its rules to a worker by then, and the relations stage's preparation
 * takes this thread). `take` hands a stage its work
 * (a stage whose work has not begun yet does it itself); `stop` ends a stage's work once the stage
 * is over (it may have been skipped after all) and, with no stage named, all of it. `begun` lists
 * the stages whose work began, in that order.
 */
function beginEarly(ctx: BuildContext, stages: readonly StageDefinition[], force: ReadonlySet<Stage>): { begun: Stage[]; over(stage: Stage): void; beside(running: StageDefinition): void; take(stage: Stage): Promise<unknown> | undefined; stop(stage?: Stage): void } {
  const begun = new Map<Stage, { work: Promise<unknown>; controller: AbortController }>();
  const waiting: StageDefinition[] = [];
  const finished = new Set<Stage>();
  const order: Stage[] = [];
  let last = -1;
  stages.forEach((s, i) => (last = s.early ? i : last));
  const running = new Set<Stage>();
  const begin = (stage: StageDefinition): void => {
    const controller = new AbortController();
    const work = stage.early!(ctx, controller.signal);
    if (work === null) return;
    // Work no stage takes (the build failed or stopped first) must not fail the process.
    work.catch(() => {});
    begun.set(stage.name, { work, controller });
    order.push(stage.name);
  };
  for (const stage of stages.slice(0, last + 1)) {
    const runs = force.has(stage.name) || stage.reads.some((r) => running.has(r)) || !wouldSkipStage(ctx.db, stage.name, stagePrint(stage, ctx));
    if (!runs) continue;
    running.add(stage.name);
    if (!stage.early) continue;
    if (stage.earlyAfter && stage.earlyAfter.length > 0) waiting.push(stage);
    else begin(stage);
  }
  return {
    begun: order,
    over: (stage) => void finished.add(stage),
    beside: (running) => {
      for (let i = 0; i < waiting.length; ) {
        if (waiting[i].earlyAfter!.every((s) => finished.has(s)) && fitsBeside(ctx, running, waiting[i])) begin(waiting.splice(i, 1)[0]);
        else i++;
      }
    },
    take: (stage) => {
      const at = waiting.findIndex((s) => s.name === stage);
      if (at >= 0) waiting.splice(at, 1);
      return begun.get(stage)?.work;
    },
    stop: (stage) => {
      for (const [name, { controller }] of begun) if (stage === undefined || name === stage) controller.abort();
      if (stage === undefined) waiting.length = 0;
    },
  };
}

/** Promises of the stages' ends in this build (BuildContext.over): `of` settles once `end` is told of the stage. */
function stageEnds(): { of(stage: Stage): Promise<void>; end(stage: Stage): void } {
  const ends = new Map<Stage, { promise: Promise<void>; resolve: () => void }>();
  const entry = (stage: Stage): { promise: Promise<void>; resolve: () => void } => {
    let e = ends.get(stage);
    if (!e) {
      let resolve = (): void => {};
      const promise = new Promise<void>((r) => (resolve = r));
      e = { promise, resolve };
      ends.set(stage, e);
    }
    return e;
  };
  return { of: (stage) => entry(stage).promise, end: (stage) => entry(stage).resolve() };
}

export async function runBuild(options: BuildOptions, hooks: BuildHooks = {}): Promise<BuildReport> {
  const started = performance.now();
  const { signal } = hooks;
  if (signal?.aborted) throw new SynographError('interrupted', `${options.db}: interrupted before the build started; nothing was changed`);
  const db: Db = openDb(options.db);
  // Every option that shapes the result, with the embedder's own defaults, versioned.
  const saved = { ...options, db: undefined, force: undefined, builtinEmbedder: DEFAULT_BUILTIN_CONFIG, optionsVersion: BUILD_OPTIONS_VERSION };
  let buildId = -1;
  let lock: WriteLock | null = null;
  let closed = false;
  let early: ReturnType<typeof beginEarly> | null = null;
  // Settles only on abort: raced against each step, so an abort ends the build at once.
  let onAbort = (): void => {};
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => {
      let message = `${options.db}: interrupted (${String(signal?.reason ?? 'aborted')})`;
      try {
        if (!closed && buildId > 0) {
          const stage = runningStage(db, buildId);
          lock?.abandon(); // rolls back a write in flight first
          interruptBuild(db, buildId);
          message += `: build #${buildId}${stage ? ` stopped in its ${stage} stage` : ' stopped between stages'}, marked interrupted; the same command resumes it`;
        } else lock?.abandon();
      } catch (err) {
        message += ` (and recording it failed: ${(err as Error).message})`;
      } finally {
        if (!closed) db.close();
        closed = true;
      }
      reject(new SynographError('interrupted', message));
    };
  });
  aborted.catch(() => {});
  signal?.addEventListener('abort', onAbort, { once: true });
  // A step still running when the build was aborted fails later against the closed database: ignored.
  const step = <T>(work: Promise<T>): Promise<T> => {
    work.catch(() => {});
    return Promise.race([work, aborted]);
  };
  try {
    lock = acquireWriteLock(db, 'build');
    // A corrupt page found now fails the build at once; missed, a skipped stage could report done over it.
    const corrupt = quickCheck(db);
    if (corrupt !== null) throw new StoreError(options.db, `the database file is corrupt: rebuild it into a new file, or restore a copy (quick_check: ${corrupt})`);
    buildId = startBuild(db, { mode: options.mode, split: options.split }, saved);
    const report: BuildReport = { db: options.db, buildId, mode: options.mode, splitSeed: options.split.seed, stages: {}, early: [], totalSeconds: 0 };
    const { synsets } = await step(loadKenet(options.kenet));
    const visible = options.mode === 'holdout' ? visibleSynsets(synsets, options.split).visible : synsets;
    const stamps = new Map<string, string>();
    const ends = stageEnds();
    const ctx: BuildContext = {
      db,
      options,
      buildId,
      kenet: { synsets, visible },
      upstream: (stage) => doneFingerprint(db, stage),
      stamp: (file) => {
        let stamp = stamps.get(file);
        if (stamp === undefined) stamps.set(file, (stamp = fileStamp(file)));
        return stamp;
      },
      termsGeneration: () => termsGeneration(db),
      over: (stage) => ends.of(stage),
      progress: hooks.progress ?? (() => SILENT_PROGRESS),
    };
    const force = new Set(options.force ?? []);
    const stages = STAGE_TABLE.slice(0, STAGES.indexOf(options.until) + 1);
    // The builtin embedder's training reads only KeNet: it runs while the terms are read and lemmatised.
    early = beginEarly(ctx, stages, force);
    report.early = early.begun;
    for (const stage of stages) {
      // A signal that came during a stage's synchronous work is only seen when the event loop
      // polls; promises alone never get there, and the next stage would start. Two immediates
      // pass through one poll phase whichever phase resumed the stage: a stage that ended on a
      // worker's message resumes in the poll phase, and one immediate would run before the next poll.
      await step(new Promise<void>((resolve) => setImmediate(() => setImmediate(resolve))));
      const print = stagePrint(stage, ctx);
      const begun = early.take(stage.name);
      const running = runStage(db, buildId, stage.name, print, () => stage.run(ctx, begun), { force: force.has(stage.name), supersedes: [stage.name, ...readersOf(stage.name)] });
      early.beside(stage);
      const outcome = await step(running);
      early.stop(stage.name);
      early.over(stage.name);
      ends.end(stage.name);
      if (!outcome.skipped) await step(releaseBuffers());
      const stageReport: StageReport = { status: outcome.skipped ? 'skipped' : 'done', seconds: outcome.seconds, stats: outcome.stats };
      report.stages[stage.name] = stageReport;
      hooks.onStage?.(stage.name, stageReport);
    }
    finishBuild(db, buildId, 'done');
    report.totalSeconds = (performance.now() - started) / 1000;
    return report;
  } catch (err) {
    // Recording the failure may fail for the same reason (a full disk): the first error is the one to tell.
    if (!closed && buildId > 0) attempt(() => finishBuild(db, buildId, 'failed'));
    throw err;
  } finally {
    early?.stop();
    signal?.removeEventListener('abort', onAbort);
    if (!closed) {
      closed = true;
      if (lock) attempt(() => lock!.release());
      db.close();
    }
  }
}
