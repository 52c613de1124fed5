/**
 * Runs a build: the stages of the table in order into one database, each skipped when a run with
 * the same fingerprint (its options, code version and inputs' fingerprints) is already done, so
 * an interrupted build resumes where it stopped. Records the build, its saved options and each
 * stage's time and counts.
 */
import { loadKenet } from '../lexicon/index.js';
import { visibleSynsets } from '../split.js';
import { doneFingerprint, finishBuild, openDb, runStage, startBuild, type Db } from '../store/index.js';
import { hash32 } from '../util/random.js';
import { DEFAULT_BUILTIN_CONFIG } from '../embed/index.js';
import type { BuildMode } from '../types.js';
import { BUILD_OPTIONS_VERSION, STAGES, type BuildOptions, type Stage } from './options.js';
import { SILENT_PROGRESS, type BuildContext, type Progress } from './stage.js';
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
  totalSeconds: number;
}

export interface BuildHooks {
  /** A progress reporter per long stage (the CLI draws them on a terminal). */
  progress?: (stage: Stage, total: number | null) => Progress;
  /** Called after each stage with its report. */
  onStage?: (stage: Stage, report: StageReport) => void;
}

function fingerprint(parts: unknown[]): string {
  return hash32(JSON.stringify(parts)).toString(16);
}

export async function runBuild(options: BuildOptions, hooks: BuildHooks = {}): Promise<BuildReport> {
  const started = performance.now();
  const db: Db = openDb(options.db);
  // Every option that shapes the result, with the embedder's own defaults, versioned.
  const saved = { ...options, db: undefined, force: undefined, builtinEmbedder: DEFAULT_BUILTIN_CONFIG, optionsVersion: BUILD_OPTIONS_VERSION };
  let buildId = -1;
  try {
    buildId = startBuild(db, { mode: options.mode, split: options.split }, saved);
    const report: BuildReport = { db: options.db, buildId, mode: options.mode, splitSeed: options.split.seed, stages: {}, totalSeconds: 0 };
    const { synsets } = await loadKenet(options.kenet);
    const visible = options.mode === 'holdout' ? visibleSynsets(synsets, options.split).visible : synsets;
    const ctx: BuildContext = {
      db,
      options,
      buildId,
      kenet: { synsets, visible },
      upstream: (stage) => doneFingerprint(db, stage),
      progress: hooks.progress ?? (() => SILENT_PROGRESS),
    };
    const force = new Set(options.force ?? []);
    for (const stage of STAGE_TABLE.slice(0, STAGES.indexOf(options.until) + 1)) {
      const print = fingerprint([stage.name, ...stage.fingerprint(ctx)]);
      const outcome = await runStage(db, buildId, stage.name, print, () => stage.run(ctx), { force: force.has(stage.name) });
      const stageReport: StageReport = { status: outcome.skipped ? 'skipped' : 'done', seconds: outcome.seconds, stats: outcome.stats };
      report.stages[stage.name] = stageReport;
      hooks.onStage?.(stage.name, stageReport);
    }
    finishBuild(db, buildId, 'done');
    report.totalSeconds = (performance.now() - started) / 1000;
    return report;
  } catch (err) {
    if (buildId > 0) finishBuild(db, buildId, 'failed');
    throw err;
  } finally {
    db.close();
  }
}
