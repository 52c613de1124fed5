/**
 * The training plan's pass over every candidate pair (training-data.ts): which pairs no labelled
 * pair relates, which labelled pairs are candidates, and the group of each unrelated one (shares
 * surface material, plain, calibration). It reads every pair's two term records, the second at
 * random, so on a large list it is bound by memory latency: at 4.4M terms (360M pairs) it took
 * 50 s of the relations stage's 212 s preparation on one core while the other idled. Big lists
 * split its pages with a helper thread (util/task-helper.ts); the groups are the same either way.
 */
import { TaskHelper } from '../util/task-helper.js';
import { SIG, SIG_FIELDS } from './morphology.js';
import type { TermTable } from './term-table.js';

/** Pairs of table rows (training-data.ts's PairList, labels aside). */
interface Pairs {
  a: Int32Array;
  b: Int32Array;
  n: number;
}

/** Pair key of two term ids in one double: exact while ids stay under 2^26 (67M terms). */
export const PAIR_KEY_BASE = 0x4000000;

/** Fields of a pair record (pairRecords). */
const RECORD = { row: 0, labelled: 1, side: 2, rootKey: 3, lemma: 4, words: 5, prefixFrame: 6, suffixFrame: 7 } as const;
const RECORD_FIELDS = 8;

function shared(length: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(Math.max(1, length) * 4));
}

/**
 * What a pass over the candidate pairs reads of a term, one 32-byte record per term id: its row
 * (-1: no vector), whether a labelled pair mentions it, its inner side (`side`, by row; 0 when
 * absent) and the signature fields sharesSurface compares. The pairs come in order of their first
 * term, so each pair's second term is a read at random: one record is one cache line, where
 * rowOf, the labelled flag, the side and the signature's two lines were five reads at random.
 * On shared memory, for the helper thread.
 */
export function pairRecords(table: TermTable, labelled: Pairs, side?: Uint8Array): Int32Array {
  const ids = table.rowOf.length;
  const sig = table.signature;
  const records = shared(ids * RECORD_FIELDS);
  for (let id = 0, x = 0; id < ids; id++, x += RECORD_FIELDS) {
    const r = table.rowOf[id];
    records[x + RECORD.row] = r;
    if (r < 0) continue;
    const s = r * SIG_FIELDS;
    records[x + RECORD.side] = side ? side[r] : 0;
    records[x + RECORD.rootKey] = sig[s + SIG.rootKey];
    records[x + RECORD.lemma] = sig[s + SIG.lemma];
    records[x + RECORD.words] = sig[s + SIG.words];
    records[x + RECORD.prefixFrame] = sig[s + SIG.prefixFrame];
    records[x + RECORD.suffixFrame] = sig[s + SIG.suffixFrame];
  }
  // Rows of words outside the term list have no id, so no candidate pair holds them.
  const flag = (r: number): void => {
    const id = table.termId[r];
    if (id >= 0) records[id * RECORD_FIELDS + RECORD.labelled] = 1;
  };
  for (let i = 0; i < labelled.n; i++) {
    flag(labelled.a[i]);
    flag(labelled.b[i]);
  }
  return records;
}

/**
 * The index of each labelled pair (a, b), as given, by its rows: per row a, its b rows ascending
 * and the pair's index (the last one where a pair repeats). It replaced a Map keyed by
 * a * PAIR_KEY_BASE + b: keys past 2^31 are heap numbers, and on the 1M-term list that lookup
 * was most of the 17.5 s the training plan's first pass over 61.7M candidates took. On shared
 * memory, for the helper thread.
 */
export class PairIndex {
  constructor(
    readonly start: Int32Array,
    readonly b: Int32Array,
    readonly index: Int32Array,
  ) {}

  static of(rows: number, pairs: Pairs): PairIndex {
    const start = shared(rows + 1);
    for (let i = 0; i < pairs.n; i++) start[pairs.a[i] + 1]++;
    for (let r = 0; r < rows; r++) start[r + 1] += start[r];
    const at = start.slice(0, rows);
    const order = shared(pairs.n);
    for (let i = 0; i < pairs.n; i++) order[at[pairs.a[i]]++] = i;
    // Within a row: by b, and for one b the later pair last, so that find's scan keeps it.
    for (let r = 0; r < rows; r++) if (start[r + 1] - start[r] > 1) order.subarray(start[r], start[r + 1]).sort((x, y) => pairs.b[x] - pairs.b[y] || x - y);
    const b = shared(pairs.n);
    for (let k = 0; k < pairs.n; k++) b[k] = pairs.b[order[k]];
    return new PairIndex(start, b, order);
  }

  /** The index of the pair (a, b), or -1. */
  find(a: number, b: number): number {
    // The first of a's entries at or past b (a word can have thousands of labelled co-hyponyms).
    let lo = this.start[a];
    let hi = this.start[a + 1];
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.b[mid] < b) lo = mid + 1;
      else hi = mid;
    }
    let found = -1;
    for (const end = this.start[a + 1]; lo < end && this.b[lo] === b; lo++) found = this.index[lo];
    return found;
  }
}

/**
 * Calls `visit` with the rows (a < b) of every pair of a page of candidate pair keys that no
 * labelled pair relates, in page order, with the pair's position in the page and the offsets of
 * the two terms' records; marks in `labelledInCandidates` the labelled pairs that are candidates.
 */
export function forEachUnrelated(
  keys: ArrayLike<number>,
  records: Int32Array,
  labelledIndex: PairIndex,
  labelledInCandidates: Uint8Array,
  visit: (ra: number, rb: number, k: number, x: number, y: number) => void,
): void {
  const ids = records.length / RECORD_FIELDS;
  for (let k = 0; k < keys.length; k++) {
    const key = keys[k];
    const hi = Math.floor(key / PAIR_KEY_BASE);
    const lo = key - hi * PAIR_KEY_BASE;
    if (hi >= ids || lo >= ids) continue;
    let x = hi * RECORD_FIELDS;
    let y = lo * RECORD_FIELDS;
    let ra = records[x + RECORD.row];
    let rb = records[y + RECORD.row];
    if (ra < 0 || rb < 0) continue;
    if (ra > rb) {
      [ra, rb] = [rb, ra];
      [x, y] = [y, x];
    }
    // Most candidate pairs have a term no labelled pair mentions: they skip the lookup.
    const known = records[x + RECORD.labelled] & records[y + RECORD.labelled] ? labelledIndex.find(ra, rb) : -1;
    if (known >= 0) {
      labelledInCandidates[known] = 1;
      continue;
    }
    // Pairs a dictionary gives in one sense stay in, though a dictionary relates them: leaving them
    // out (issue 11) meant the model never saw how many such pairs are not synonyms (`askı` /
    // `kanca`: `hook`; `silah` / `tüfek`: `Gewehr`), and they made nearly all of the full build's
    // 4,174 model edges, of which 32 in a hand-judged 50 were right. With them (issue 18): 243
    // model edges, 38 of 50 right (201 and 47 with translatedDerivation and knownDerivations);
    // dev split of a held-out build: macro-F1 0.447 -> 0.443, synonym precision / recall at the
    // gate 0.866 / 0.192 -> 0.867 / 0.185, clusters' precision 0.813 -> 0.957 at coverage
    // 0.122 -> 0.082.
    visit(ra, rb, k, x, y);
  }
}

/** Whether two terms (offsets of their pair records) share a root, a lemma, or all their words but one. */
function sharesSurface(records: Int32Array, x: number, y: number): boolean {
  if (records[x + RECORD.rootKey] === records[y + RECORD.rootKey] || records[x + RECORD.lemma] === records[y + RECORD.lemma]) return true;
  const words = records[x + RECORD.words];
  return words >= 2 && words === records[y + RECORD.words] && (records[x + RECORD.prefixFrame] === records[y + RECORD.prefixFrame] || records[x + RECORD.suffixFrame] === records[y + RECORD.suffixFrame]);
}

/** Groups of unrelated candidates: training pairs sharing surface material, other training pairs, calibration pairs; and none. */
export const GROUP = { sharesSurface: 0, plain: 1, calibration: 2, none: 3 } as const;

/**
 * Each pair's group of a page of candidate keys, two bits a pair in `codes` (filled with
 * GROUP.none beforehand), and the count of each group in `counts`. A pair whose terms lie on two
 * sides of the inner split, or that a labelled pair relates, is in none.
 */
function groupPage(keys: ArrayLike<number>, records: Int32Array, labelledIndex: PairIndex, labelledInCandidates: Uint8Array, codes: Uint8Array, counts: Float64Array): void {
  forEachUnrelated(keys, records, labelledIndex, labelledInCandidates, (_ra, _rb, k, x, y) => {
    const sx = records[x + RECORD.side];
    if (sx !== records[y + RECORD.side]) return;
    const g = sx === 1 ? GROUP.calibration : sharesSurface(records, x, y) ? GROUP.sharesSurface : GROUP.plain;
    counts[g]++;
    const at = k >> 2;
    const shift = (k & 3) * 2;
    codes[at] = (codes[at] & ~(3 << shift)) | (g << shift);
  });
}

/**
 * Codes of 0..3 by position, two bits each, growing as positions are set. A position is a
 * candidate pair's ordinal: `i >> 2` turned negative past 2^31 pairs (a list of ~25M terms, at the
 * 15M-line list's 87 pairs a term), so the byte is `Math.floor(i / 4)`: exact up to the 2^34
 * positions a Uint8Array's 2^32 bytes hold. `i & 3` keeps an integer's low bits at any size a
 * double holds exactly.
 */
export class TwoBitCodes {
  private bytes = new Uint8Array(1 << 16);
  length = 0;
  constructor(private readonly fill: number) {
    this.bytes.fill(fill * 0x55);
  }

  set(i: number, code: number): void {
    const at = Math.floor(i / 4);
    this.reach(at);
    const shift = (i & 3) * 2;
    this.bytes[at] = (this.bytes[at] & ~(3 << shift)) | (code << shift);
    if (i >= this.length) this.length = i + 1;
  }

  /** Sets positions [start, start + n) from `packed` (two bits a position, from its first byte's low bits). */
  setPacked(start: number, packed: Uint8Array, n: number): void {
    if (n === 0) return;
    const whole = start % 4 === 0 ? Math.floor(n / 4) : 0;
    if (whole > 0) {
      this.reach(start / 4 + whole - 1);
      this.bytes.set(packed.subarray(0, whole), start / 4);
      this.length = Math.max(this.length, start + whole * 4);
    }
    for (let i = whole * 4; i < n; i++) this.set(start + i, (packed[i >> 2] >> ((i & 3) * 2)) & 3);
  }

  /** The code at i; the fill past the last position set. */
  get(i: number): number {
    const at = Math.floor(i / 4);
    return at < this.bytes.length ? (this.bytes[at] >> ((i & 3) * 2)) & 3 : this.fill;
  }

  /** Room for byte `at`. */
  private reach(at: number): void {
    if (at < this.bytes.length) return;
    const next = new Uint8Array(Math.max(this.bytes.length * 2, at + 1)).fill(this.fill * 0x55);
    next.set(this.bytes);
    this.bytes = next;
  }
}

/** What the helper thread is started with: the records, the labelled index and the shared flags. */
export interface GroupWorkerData {
  records: Int32Array;
  start: Int32Array;
  b: Int32Array;
  index: Int32Array;
  labelledInCandidates: Uint8Array;
}

/** A page for the helper: its keys, and where its codes and counts go. */
export interface GroupTask {
  keys: ArrayLike<number>;
  codes: Uint8Array;
  counts: Float64Array;
}

/** The helper thread's handler (workers/candidate-groups.ts): groups a page, returns its pairs. */
export function groupTaskHandler(data: GroupWorkerData): (task: GroupTask) => number {
  const index = new PairIndex(data.start, data.b, data.index);
  return (task) => {
    groupPage(task.keys, data.records, index, data.labelledInCandidates, task.codes, task.counts);
    return task.keys.length;
  };
}

/** A page's task: its keys, codes filled with GROUP.none and zero counts, on shared memory. */
function newTask(keys: ArrayLike<number>): GroupTask {
  return {
    keys,
    codes: new Uint8Array(new SharedArrayBuffer(Math.max(1, Math.ceil(keys.length / 4)))).fill(GROUP.none * 0x55),
    counts: new Float64Array(new SharedArrayBuffer(3 * 8)),
  };
}

/** Pairs read before the pass takes a helper thread by default: its start (~0.3 s) is then a small share. */
const HELPER_PAIRS = 4_000_000;

export interface CandidateGroups {
  codes: TwoBitCodes;
  /** Pairs in each group (GROUP.sharesSurface, plain, calibration). */
  counts: [number, number, number];
  labelledInCandidates: Uint8Array;
}

/**
 * Every candidate pair's group (GROUP) by its ordinal, in one pass over the pages. With `helper`
 * (default: from the page after HELPER_PAIRS pairs) pages go to a second thread while it keeps up,
 * else they are grouped here; the codes are the same either way.
 */
export function groupCandidates(pages: Iterable<ArrayLike<number>>, table: TermTable, labelled: Pairs, side: Uint8Array, helper?: boolean): CandidateGroups {
  const records = pairRecords(table, labelled, side);
  const index = PairIndex.of(table.rows, labelled);
  const labelledInCandidates = new Uint8Array(new SharedArrayBuffer(Math.max(1, labelled.n))).subarray(0, labelled.n);
  const codes = new TwoBitCodes(GROUP.none);
  const total = new Float64Array(3);
  type Page = { ordinal: number; task: GroupTask };
  const settle = ({ ordinal, task }: Page): void => {
    codes.setPacked(ordinal, task.codes, task.keys.length);
    for (let g = 0; g < 3; g++) total[g] += task.counts[g];
  };
  const groupHere = (page: Page): void => {
    groupPage(page.task.keys, records, index, labelledInCandidates, page.task.codes, page.task.counts);
    settle(page);
  };
  let thread: TaskHelper<GroupTask, Page> | null = null;
  let ordinal = 0;
  try {
    for (const keys of pages) {
      if (!thread && (helper ?? ordinal >= HELPER_PAIRS)) {
        const data: GroupWorkerData = { records, start: index.start, b: index.b, index: index.index, labelledInCandidates };
        thread = new TaskHelper<GroupTask, Page>('candidate-groups', data);
      }
      const page = { ordinal, task: newTask(keys) };
      ordinal += keys.length;
      if (!thread) {
        groupHere(page);
        continue;
      }
      thread.take().forEach(settle);
      // Two pages queued at most: the helper takes what it keeps up with, this thread the rest.
      if (thread.backlog() < 2 * keys.length) thread.post(page.task, keys.length, page);
      else groupHere(page);
    }
  } catch (err) {
    thread?.close();
    throw err;
  }
  if (thread) {
    const { done, left } = thread.finish();
    done.forEach(settle);
    // Into arrays of their own: a worker that failed or stalled inside a page has counted part of it.
    for (const { ordinal, task } of left) groupHere({ ordinal, task: newTask(task.keys) });
  }
  return { codes, counts: [total[0], total[1], total[2]], labelledInCandidates };
}
