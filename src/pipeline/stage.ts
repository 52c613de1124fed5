/**
 * A stage of the build: its name, the stages whose output it reads, the parts of its fingerprint
 * (options and code version that shape its output, and its inputs' fingerprints), and its run.
 * The pipeline owns ordering and records; a stage adapter owns its store I/O and calls pure code.
 */
import type { KenetSynset } from '../lexicon/index.js';
import type { Db } from '../store/index.js';
import type { BuildOptions, Stage } from './options.js';

/** Progress of a long stage (the CLI draws it on a terminal; a library user may ignore it). */
export interface Progress {
  update(done: number): void;
  finish(done: number): void;
}

export const SILENT_PROGRESS: Progress = { update() {}, finish() {} };

export interface BuildContext {
  db: Db;
  options: BuildOptions;
  buildId: number;
  /** KeNet as read, and what this build's mode may see of it (held-out synsets left out). */
  kenet: { synsets: readonly KenetSynset[]; visible: readonly KenetSynset[] };
  /** Fingerprint of the latest completed run of a stage (null before its first). */
  upstream(stage: Stage): string | null;
  /** Size and content hash of a file the stage reads (read once per build). */
  stamp(file: string): string;
  /** The terms table's generation, bumped by every write that adds terms (build or `ingest`). */
  termsGeneration(): number;
  /** A progress reporter for a stage's items (total null when unknown). */
  progress(stage: Stage, total: number | null): Progress;
  /** Settles once `stage` is over in this build (run or skipped): early work may wait so for a stage after its `earlyAfter`. */
  over(stage: Stage): Promise<void>;
}

/** What the memory estimates go by, read from the store once when they are needed. */
export interface BuildSize {
  terms: number;
  /** Of the stored vectors, 0 before the embed stage. */
  dimensions: number;
}

export interface StageDefinition<T extends object = object> {
  name: Stage;
  /** Stages whose output this one reads. */
  reads: readonly Stage[];
  /** What shapes the output besides the stage's name: options, a code version, the inputs' fingerprints. */
  fingerprint(ctx: BuildContext): unknown[];
  /**
   * Work of the stage that reads no output of the stages before it but those of `earlyAfter`, and
   * writes nothing: when the stage is going to run, the pipeline begins it as the build starts (or
   * once the `earlyAfter` stages are over), so that it overlaps the stages before, and hands it to
   * `run`. `signal` stops it when the build ends without running the stage (failed, interrupted,
   * or stopped before it). null: nothing to begin with these options.
   */
  early?(ctx: BuildContext, signal: AbortSignal): Promise<unknown> | null;
  /**
   * Stages whose output `early` reads from its start: it begins when they have run or been skipped
   * in this build (output it reads later it waits for with `ctx.over`).
   */
  earlyAfter?: readonly Stage[];
  /**
   * Bytes the stage's run holds at its peak and those its `early` work holds, estimated from the
   * build's size: early work begins beside a stage only when the two fit the memory budget
   * (BuildOptions.memoryBudget); otherwise the stage does that work itself when it runs.
   */
  peakBytes?(size: BuildSize): number;
  earlyPeakBytes?(size: BuildSize): number;
  /** `early`: what `early` began, when it was begun (else the stage does that work itself). */
  run(ctx: BuildContext, early?: Promise<unknown>): Promise<T>;
}
