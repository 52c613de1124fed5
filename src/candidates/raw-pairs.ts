/**
 * The candidates scan's raw pairs (a < b, unsorted, a pair found from both sides twice) and their
 * sort into the stored order: (a, b) ascending, duplicates merged (the higher score).
 *
 * In memory (`MemoryPairs`) they cost 12 bytes a raw pair, and the sort 8 more, beside the sorted
 * pairs (12): at 2.7M rows, 2 passes, 250M raw and 209M sorted pairs were most of the stage's
 * 13.8 GB, and 15M rows would hold ~1.2G raw pairs. `SpilledPairs` appends them instead to files
 * by ranges of `a`, and sorts and hands out one range at a time: memory for one range (the
 * rows of `rowsPerRange`), disk for all of them (12 bytes a raw pair, removed as they are read).
 */
import { closeSync, fstatSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CandidatePairs } from './knn.js';
import { nativeKernel, type SortJob } from './native-kernel.js';
import { adviseHugePages } from '../util/native-addon.js';
import { SynographError } from '../errors.js';

export interface RawPairs {
  /** Room for `count` more pairs (in memory: one resize a pass, not a doubling per push). */
  reserve(count: number): void;
  push(a: number, b: number, score: number): void;
}

/** Sorted pairs whose `a` (a row) lies in from .. to - 1. */
export interface PairChunk {
  pairs: CandidatePairs;
  from: number;
  to: number;
}

interface Raw {
  a: Uint32Array;
  b: Uint32Array;
  c: Float32Array;
  length: number;
}

/**
 * Raw pairs whose `a` lies in base .. base + rows - 1, sorted by (a, b) with duplicates merged:
 * bucketed by `a` with a counting pass, then each bucket sorted by `b` in place. Needs 8 bytes a
 * raw pair beyond the input, where a general sort of (a, b, score) triples needs 24.
 */
export function dedupePairs(raw: Raw, rows: number, base = 0): CandidatePairs {
  const offsets = new Uint32Array(rows + 1);
  for (let i = 0; i < raw.length; i++) offsets[raw.a[i] - base + 1]++;
  for (let x = 0; x < rows; x++) offsets[x + 1] += offsets[x];
  const cursor = offsets.slice(0, rows);
  const b = new Uint32Array(raw.length);
  const c = new Float32Array(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const at = cursor[raw.a[i] - base]++;
    b[at] = raw.b[i];
    c[at] = raw.c[i];
  }
  let keys = new Float64Array(256);
  let w = 0;
  const counts = new Uint32Array(rows);
  for (let x = 0; x < rows; x++) {
    const from = offsets[x];
    const len = offsets[x + 1] - from;
    if (len === 0) continue;
    if (len > keys.length) keys = new Float64Array(len * 2);
    // Sort by (b, position) through packed keys; positions index the bucket's scores.
    const k = keys.subarray(0, len);
    // A hub row may be in many lists: the position field widens with the bucket (b < 2^32, so
    // up to 2^21 positions stay exact in a float64).
    const scale = 2 ** Math.max(1, Math.ceil(Math.log2(len + 1)));
    if (scale > 2 ** 21) throw new RangeError(`row ${base + x} is in ${len} pairs: too many to sort`);
    for (let i = 0; i < len; i++) k[i] = b[from + i] * scale + i;
    k.sort();
    const scores = c.slice(from, from + len);
    const start = w;
    for (let i = 0; i < len; i++) {
      const y = Math.floor(k[i] / scale);
      const score = scores[k[i] - y * scale];
      if (w > start && b[w - 1] === y) {
        if (score > c[w - 1]) c[w - 1] = score;
        continue;
      }
      b[w] = y;
      c[w] = score;
      w++;
    }
    counts[x] = w - start;
  }
  const a = new Uint32Array(w);
  let at = 0;
  for (let x = 0; x < rows; x++) a.fill(base + x, at, (at += counts[x]));
  return { a, b: b.slice(0, w), cosine: c.slice(0, w) };
}

/** All raw pairs in memory, sorted at the end. */
export class MemoryPairs implements RawPairs {
  private raw: Raw = { a: new Uint32Array(0), b: new Uint32Array(0), c: new Float32Array(0), length: 0 };
  constructor(private readonly rows: number) {}

  get length(): number {
    return this.raw.length;
  }

  reserve(count: number): void {
    const { raw } = this;
    const size = raw.length + count;
    if (size <= raw.a.length) return;
    const grow = <T extends Uint32Array | Float32Array>(x: T, y: T): T => {
      y.set(x.subarray(0, raw.length));
      return y;
    };
    raw.a = grow(raw.a, new Uint32Array(size));
    raw.b = grow(raw.b, new Uint32Array(size));
    raw.c = grow(raw.c, new Float32Array(size));
  }

  push(a: number, b: number, score: number): void {
    const { raw } = this;
    if (raw.length === raw.a.length) this.reserve(Math.max(1024, raw.length));
    raw.a[raw.length] = a;
    raw.b[raw.length] = b;
    raw.c[raw.length] = score;
    raw.length++;
  }

  /** The sorted pairs; the raw ones are released. */
  sorted(): CandidatePairs {
    const out = dedupePairs(this.raw, this.rows);
    this.raw = { a: new Uint32Array(0), b: new Uint32Array(0), c: new Float32Array(0), length: 0 };
    return out;
  }
}

/** The first `length` records of a file's words (a, b, score bits interleaved) as columns. */
function unpack(words: Uint32Array, length: number): Raw {
  const raw: Raw = { a: new Uint32Array(length), b: new Uint32Array(length), c: new Float32Array(length), length };
  const scores = new Uint32Array(raw.c.buffer);
  for (let i = 0; i < length; i++) {
    raw.a[i] = words[3 * i];
    raw.b[i] = words[3 * i + 1];
    scores[i] = words[3 * i + 2];
  }
  return raw;
}

/** Raw pairs buffered per range of `a` before they are appended to the range's file. */
const BUFFER_PAIRS = 1 << 16;
/** Records per piece when a range is read back unsorted (`records`): 12 MB. */
const READ_PIECE = 1 << 20;

/** Raw pairs appended to a file per range of `a` (see the header); `chunks()` sorts range by range. */
export class SpilledPairs implements RawPairs {
  private readonly dir: string;
  private readonly files: number[] = [];
  private readonly buffers: Uint32Array[] = [];
  private readonly filled: Int32Array;
  private readonly ranges: number;
  private count = 0;

  /** Files go in a new directory `prefix` + a random suffix, in `parent`. */
  constructor(
    private readonly rows: number,
    private readonly rowsPerRange: number,
    parent = tmpdir(),
    prefix = 'synograph-pairs-',
    /** Sort the ranges by the compiled addon when it was built (the same pairs as `dedupePairs`). */
    private readonly compiled = true,
  ) {
    this.ranges = Math.max(1, Math.ceil(rows / rowsPerRange));
    this.filled = new Int32Array(this.ranges);
    this.dir = mkdtempSync(join(parent, prefix));
    try {
      for (let r = 0; r < this.ranges; r++) {
        this.files.push(openSync(join(this.dir, `${r}.pairs`), 'w+'));
        // One record is (a, b, score bits): three 32-bit words.
        this.buffers.push(new Uint32Array(BUFFER_PAIRS * 3));
      }
    } catch (err) {
      this.dispose();
      throw err;
    }
  }

  /** Raw pairs taken so far. */
  get length(): number {
    return this.count;
  }

  reserve(): void {}

  push(a: number, b: number, score: number): void {
    const r = Math.floor(a / this.rowsPerRange);
    const buffer = this.buffers[r];
    const at = this.filled[r] * 3;
    buffer[at] = a;
    buffer[at + 1] = b;
    buffer[at + 2] = floatBits(score);
    this.count++;
    if (++this.filled[r] === BUFFER_PAIRS) this.flush(r);
  }

  private flush(r: number): void {
    const n = this.filled[r] * 3 * 4;
    let done = 0;
    while (done < n) done += writeSync(this.files[r], this.buffers[r], done, n - done);
    this.filled[r] = 0;
  }

  /**
   * The sorted pairs, one range of `a` at a time (each range's file is removed once read). With
   * the addon, the next range is read and sorted on a thread of its own while the caller takes
   * this one (merges and writes it): at 928k terms (4 ranges) the candidates stage's pairs step
   * took 7.7-8.0 s instead of 10.6-10.9 s, alternating runs, with the same stored blocks.
   */
  *chunks(): Generator<PairChunk> {
    const compiled = this.compiled ? nativeKernel() : null;
    const bounds = (r: number): { from: number; to: number } => ({ from: r * this.rowsPerRange, to: Math.min(this.rows, (r + 1) * this.rowsPerRange) });
    if (compiled === null) {
      for (let r = 0; r < this.ranges; r++) {
        const words = this.readRange(r);
        const { from, to } = bounds(r);
        yield { pairs: dedupePairs(unpack(words, words.length / 3), to - from, from), from, to };
      }
      return;
    }
    const start = (r: number): SortJob => {
      const { from, to } = bounds(r);
      return compiled.sortPairsStart(this.readRange(r), to - from, from);
    };
    let next = start(0);
    for (let r = 0; r < this.ranges; r++) {
      const pairs = compiled.sortPairsTake(next);
      if (r + 1 < this.ranges) next = start(r + 1);
      yield { pairs, ...bounds(r) };
    }
  }

  /** Range r's records (the file is closed and removed). */
  private readRange(r: number): Uint32Array {
    this.flush(r);
    const fd = this.files[r];
    this.files[r] = -1;
    try {
      // Read into an array of its own on huge pages: a range is hundreds of MB, mapped at its read.
      const size = fstatSync(fd).size;
      const words = new Uint32Array(size / 4);
      adviseHugePages(words);
      readFully(fd, new Uint8Array(words.buffer), size, 0);
      return words;
    } finally {
      closeSync(fd);
      rmSync(join(this.dir, `${r}.pairs`));
    }
  }

  /**
   * Range r's raw records as written (not sorted or merged), a piece at a time: `length` records of
   * three words (a, b, score bits) at the start of `words`, a buffer reused for the next piece. The
   * file is removed once read. For a store that is read back range by range (the waiting offers of
   * ivf.ts), not through `chunks()`.
   */
  *pieces(r: number): Generator<{ words: Uint32Array; length: number }> {
    this.flush(r);
    const fd = this.files[r];
    this.files[r] = -1;
    const words = new Uint32Array(READ_PIECE * 3);
    const bytes = new Uint8Array(words.buffer);
    try {
      const size = fstatSync(fd).size;
      for (let at = 0; at < size; ) {
        const want = Math.min(bytes.length, size - at);
        readFully(fd, bytes, want, at);
        at += want;
        yield { words, length: want / 12 };
      }
    } finally {
      closeSync(fd);
      rmSync(join(this.dir, `${r}.pairs`), { force: true });
    }
  }

  /** Closes and removes the files (also those not read). */
  dispose(): void {
    for (const fd of this.files) if (fd >= 0) closeSync(fd);
    this.files.fill(-1);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** `length` bytes of an open file from `position` into the start of `bytes`; an early end is an error. */
function readFully(fd: number, bytes: Uint8Array, length: number, position: number): void {
  for (let got = 0; got < length; ) {
    const n = readSync(fd, bytes, got, length - got, position + got);
    if (n === 0) throw new SynographError('store', `a spilled pairs file ended at byte ${position + got}, before ${position + length}`);
    got += n;
  }
}

const bits = new Float32Array(1);
const bitsWord = new Uint32Array(bits.buffer);
function floatBits(x: number): number {
  bits[0] = x;
  return bitsWord[0];
}
