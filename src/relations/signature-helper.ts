/**
 * A second thread for the term table's surface signatures. surfaceSignature (morphology.ts) is a
 * pure function of a term, its lemma and the shipped lemma table, and it was most of the 38 s the
 * relations stage spent loading the 1M-term list's table on one core. The table's filler hands
 * batches of rows to this helper while it goes on reading the store; the worker signs each batch
 * into the batch's own shared array, and the filler copies finished batches into the table: only
 * the filler writes the table. The filler stays synchronous: it waits on an Atomics counter once
 * at the end, and signs whatever the worker did not sign (it failed, or stopped answering)
 * itself (util/task-helper.ts), so the table is the same whichever thread signed a row.
 */
import { TaskHelper } from '../util/task-helper.js';
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

/** What the worker is started with besides its counter: whether to lemmatise words. */
export interface SignatureWorkerData {
  lemmatize: boolean;
}

export class SignatureHelper {
  private readonly tasks: TaskHelper<SignatureTask, { batch: SignatureBatch; out: Int32Array }>;

  constructor(
    private readonly signature: Int32Array,
    lemmatize: boolean,
  ) {
    const data: SignatureWorkerData = { lemmatize };
    this.tasks = new TaskHelper('signatures', data);
  }

  /** Rows posted and not yet signed. */
  backlog(): number {
    return this.tasks.backlog();
  }

  post(batch: SignatureBatch): void {
    this.copy(this.tasks.take());
    const out = new Int32Array(new SharedArrayBuffer(Math.max(1, batch.rows.length) * SIG_FIELDS * 4));
    this.tasks.post({ norms: batch.norms, lemmas: batch.lemmas, out }, batch.rows.length, { batch, out });
  }

  /**
   * Waits until every posted row is signed, copies the signatures and stops the worker. Returns
   * the batches it did not sign (it failed or stalled), for the caller to sign itself.
   */
  finish(): SignatureBatch[] {
    const { done, left } = this.tasks.finish();
    this.copy(done);
    return left.map((p) => p.batch);
  }

  /** Stops the worker without waiting, for a table that will not be finished. */
  close(): void {
    this.tasks.close();
  }

  /** Copies signed batches into the table. */
  private copy(done: readonly { batch: SignatureBatch; out: Int32Array }[]): void {
    for (const { batch, out } of done)
      // Field by field: a subarray per row cost 3% of the relations stage's samples at 1M terms.
      for (let i = 0; i < batch.rows.length; i++) {
        const to = batch.rows[i] * SIG_FIELDS;
        const from = i * SIG_FIELDS;
        for (let f = 0; f < SIG_FIELDS; f++) this.signature[to + f] = out[from + f];
      }
  }
}
