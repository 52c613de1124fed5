/**
 * A second thread for the term table's surface signatures. surfaceSignature (morphology.ts) is a
 * pure function of a term, its lemma and the shipped lemma table, and it was most of the 38 s the
 * relations stage spent loading the 1M-term list's table on one core. The table's filler hands
 * batches of rows to this helper while it goes on reading the store; the worker signs each batch
 * into the batch's own shared array, and the filler copies finished batches into the table: only
 * the filler writes the table. The filler stays synchronous: it waits on an Atomics counter once
 * at the end, and signs whatever the worker did not sign (it failed, or stopped answering)
 * itself, so the table is the same whichever thread signed a row.
 */
import { Worker } from 'node:worker_threads';
import { workerFile } from '../util/workers.js';
import { SIG_FIELDS } from './morphology.js';

/** A batch of rows to sign: row numbers, their normalised texts and lemmas. */
export interface SignatureBatch {
  rows: Int32Array;
  norms: string[];
  lemmas: (string | null)[];
}

/** What the worker is sent: a batch and where its signatures go (SIG_FIELDS per row, in batch order). */
export interface SignatureTask {
  norms: string[];
  lemmas: (string | null)[];
  out: Int32Array;
}

/** What the worker is started with: the counter ([rows signed, 1 once it failed]) and whether to lemmatise words. */
export interface SignatureWorkerData {
  progress: Int32Array;
  lemmatize: boolean;
}

/** How long the filler waits for a worker that signs nothing before it signs the rest itself. */
const STALL_MS = 30_000;

export class SignatureHelper {
  private readonly progress = new Int32Array(new SharedArrayBuffer(8));
  private readonly worker: Worker;
  /** Batches posted and not yet copied, oldest first, with the rows posted up to each. */
  private readonly queue: { batch: SignatureBatch; out: Int32Array; upTo: number }[] = [];
  private posted = 0;

  constructor(
    private readonly signature: Int32Array,
    lemmatize: boolean,
  ) {
    const data: SignatureWorkerData = { progress: this.progress, lemmatize };
    this.worker = new Worker(workerFile('signatures'), { workerData: data });
    this.worker.unref();
  }

  /** Rows posted and not yet signed. */
  backlog(): number {
    return this.posted - Atomics.load(this.progress, 0);
  }

  post(batch: SignatureBatch): void {
    this.copyDone();
    const out = new Int32Array(new SharedArrayBuffer(Math.max(1, batch.rows.length) * SIG_FIELDS * 4));
    this.posted += batch.rows.length;
    this.queue.push({ batch, out, upTo: this.posted });
    const task: SignatureTask = { norms: batch.norms, lemmas: batch.lemmas, out };
    this.worker.postMessage(task);
  }

  /**
   * Waits until every posted row is signed, copies the signatures and stops the worker. Returns
   * the batches it did not sign (it failed or stalled), for the caller to sign itself.
   */
  finish(): SignatureBatch[] {
    let seen = Atomics.load(this.progress, 0);
    let since = performance.now();
    while (seen < this.posted && Atomics.load(this.progress, 1) === 0 && performance.now() - since < STALL_MS) {
      Atomics.wait(this.progress, 0, seen, 1000);
      const now = Atomics.load(this.progress, 0);
      if (now !== seen) since = performance.now();
      seen = now;
    }
    void this.worker.terminate();
    this.copyDone();
    return this.queue.splice(0).map((q) => q.batch);
  }

  /** Stops the worker without waiting, for a table that will not be finished. */
  close(): void {
    void this.worker.terminate();
    this.queue.length = 0;
  }

  /** Copies the batches the worker has signed (it signs them in order) into the table. */
  private copyDone(): void {
    const done = Atomics.load(this.progress, 0);
    while (this.queue.length > 0 && this.queue[0].upTo <= done) {
      const { batch, out } = this.queue.shift()!;
      // Field by field: a subarray per row cost 3% of the relations stage's samples at 1M terms.
      for (let i = 0; i < batch.rows.length; i++) {
        const to = batch.rows[i] * SIG_FIELDS;
        const from = i * SIG_FIELDS;
        for (let f = 0; f < SIG_FIELDS; f++) this.signature[to + f] = out[from + f];
      }
    }
  }
}
