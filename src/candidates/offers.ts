/**
 * Scores the candidates scan found for rows outside its pass (ivf.ts's header, "across passes"):
 * what waits for a later pass's row, what a finished row keeps as a late pair, and the bar under
 * which a later row cannot use an offer.
 *
 * Without a bar, every score at or above minCosine waited: at 2.69M rows in two passes of 2M,
 * 505.5M offers (730 for each of the 0.69M later rows, 6 GB at 12 bytes) were the stage's peak of
 * 12.2 GB, and at 15M rows in 8 passes they would outgrow memory. `LaterBars` keeps, per later
 * row, a histogram of the scores offered to it; once `k` offers lie in buckets at or above a
 * bucket, no offer below it can enter the row's top-k (its own pass puts every waiting offer in
 * its list first), so it is dropped, and the kernel is told not to return it. The kept offers
 * wait in memory (`MemoryOffers`) or in files beside the spilled pairs (`SpilledOffers`).
 */
import { GrowableFloat32, GrowableInt32 } from '../util/growable.js';
import type { SpilledPairs } from './raw-pairs.js';

/** Score buckets per later row between minCosine and 1 (one byte each while k < 256). */
export const BAR_BUCKETS = 32;

/**
 * Per row of from .. to - 1, how many offers (capped at k) fell in each score bucket, the lowest
 * bucket an offer must reach (`level`), and the offers at or above it. Exact: the bucket of a
 * score never decreases as the score grows, so an offer under the level is strictly worse than
 * the k offers at or above it.
 */
export class LaterBars {
  private readonly counts: Uint8Array | Uint16Array | Uint32Array;
  private readonly level: Uint8Array;
  private readonly above: Uint32Array;
  private readonly scale: number;

  constructor(
    private readonly from: number,
    to: number,
    private readonly k: number,
    private readonly floor: number,
  ) {
    const rows = Math.max(0, to - from);
    this.counts = k < 256 ? new Uint8Array(rows * BAR_BUCKETS) : k < 65536 ? new Uint16Array(rows * BAR_BUCKETS) : new Uint32Array(rows * BAR_BUCKETS);
    this.level = new Uint8Array(rows);
    this.above = new Uint32Array(rows);
    this.scale = floor < 1 ? BAR_BUCKETS / (1 - floor) : 0;
  }

  private bucket(score: number): number {
    const j = Math.floor((score - this.floor) * this.scale);
    return j < 0 ? 0 : j >= BAR_BUCKETS ? BAR_BUCKETS - 1 : j;
  }

  /** Counts an offer of `score` to `row`; false when the row's top-k cannot hold it. */
  take(row: number, score: number): boolean {
    const x = row - this.from;
    const j = this.bucket(score);
    let level = this.level[x];
    if (j < level) return false;
    const base = x * BAR_BUCKETS;
    if (this.counts[base + j] < this.k) {
      this.counts[base + j]++;
      let above = this.above[x] + 1;
      while (level + 1 < BAR_BUCKETS && above - this.counts[base + level] >= this.k) above -= this.counts[base + level++];
      this.above[x] = above;
      this.level[x] = level;
    }
    return true;
  }

  /** The kernel's bar for `row`: every offer it can still take scores above this (its level's lower edge, less room for rounding). */
  bar(row: number): number {
    const level = this.level[row - this.from];
    return level === 0 ? this.floor : this.floor + level / this.scale - 1e-5;
  }
}

/** Offers as (row, other, score), growing in memory. */
export class Offers {
  readonly row = new GrowableInt32();
  readonly other = new GrowableInt32();
  readonly score = new GrowableFloat32();

  get length(): number {
    return this.row.length;
  }

  push(row: number, other: number, score: number): void {
    this.row.push(row);
    this.other.push(other);
    this.score.push(score);
  }
}

/** Offers waiting for the rows of later passes. */
export interface WaitingOffers {
  push(row: number, other: number, score: number): void;
  /**
   * The offers for rows lo .. hi - 1 (the pass starting now, in pass order), forgotten as they are
   * handed out: a piece at a time, `length` records of three words (row, other, score bits) at the
   * start of `words`, valid until the next piece is asked for.
   */
  pieces(lo: number, hi: number): Generator<{ words: Uint32Array; length: number }>;
}

export class MemoryOffers implements WaitingOffers {
  private offers = new Offers();

  push(row: number, other: number, score: number): void {
    this.offers.push(row, other, score);
  }

  *pieces(lo: number, hi: number): Generator<{ words: Uint32Array; length: number }> {
    const { offers } = this;
    const next = new Offers();
    let length = 0;
    for (let i = 0; i < offers.length; i++) if (offers.row.data[i] >= lo && offers.row.data[i] < hi) length++;
    const words = new Uint32Array(3 * length);
    const scores = new Float32Array(words.buffer);
    for (let i = 0, w = 0; i < offers.length; i++) {
      const r = offers.row.data[i];
      if (r >= lo && r < hi) {
        words[w] = r;
        words[w + 1] = offers.other.data[i];
        scores[w + 2] = offers.score.data[i];
        w += 3;
      } else next.push(r, offers.other.data[i], offers.score.data[i]);
    }
    this.offers = next;
    yield { words, length };
  }
}

/** Offers appended to one file per pass (a SpilledPairs whose ranges are the passes), read back a piece at a time. */
export class SpilledOffers implements WaitingOffers {
  constructor(
    private readonly files: SpilledPairs,
    private readonly passRows: number,
  ) {}

  push(row: number, other: number, score: number): void {
    this.files.push(row, other, score);
  }

  pieces(lo: number, _hi: number): Generator<{ words: Uint32Array; length: number }> {
    // The file of the pass holds exactly its rows' offers (ranges of passRows rows).
    return this.files.pieces(Math.floor(lo / this.passRows));
  }
}
