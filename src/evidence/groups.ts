/**
 * Exact grouping of many small keys (word-id sequences; strings in variants.ts) without a Map or a
 * string per key: entries are sorted by a 32-bit hash (a radix sort that keeps their order within
 * a hash), and each run of equal hashes is split by exact comparison. The string-keyed Maps this
 * replaces held every phrase's joined form and every one-word-left-out pattern of it: 1.5 GB of the
 * evidence stage's 2.9 GB heap on a 2.7M-term generated list (bench:e2e, 3M lines).
 */
import { groupBy } from '../util/group-by.js';

export interface Groups {
  /** Group g is members[start[g] .. start[g + 1]), in entry order; groups are in the order of their first entry. */
  start: Int32Array;
  members: Int32Array;
  /** The group of each entry. */
  groupOf: Int32Array;
  /** The group of the entries equal to a key not necessarily among them (its hash and an equality test), or -1. */
  find(hash: number, equalTo: (entry: number) => boolean): number;
}

/** A 32-bit hash of a sequence of integers (murmur3's mixing), `skip` left out. */
export function hashInts(values: ArrayLike<number>, from: number, to: number, seed: number, skip = -1): number {
  let h = seed | 0;
  for (let k = from; k < to; k++) {
    if (k === skip) continue;
    let x = Math.imul(values[k], 0xcc9e2d51);
    x = (x << 15) | (x >>> 17);
    h ^= Math.imul(x, 0x1b873593);
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  h ^= to - from;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * Entries 0..count-1 in ascending order of their buckets, entry order within a bucket (a stable LSD
 * radix sort, three passes of 11 bits, each bucket carried beside its entry), and the buckets in
 * that order: 8 bytes an entry kept, as the double that packed bucket and entry for
 * Float64Array.sort was, and 8 more while sorting. On the 928k terms of the 1M-line bench:e2e list
 * that sort took 1.4 s of the evidence rules' 33 s (the profiler's ticks on its line); with a radix
 * sort and the heads below, the rules took 30.3 and 28.8 s against 33.4 and 32.9 (runs alternated),
 * with the same evidence. Passes of 16 bits that read each entry's bucket where it lay scattered
 * their writes over 65,536 places: at 4.4M terms they were 9.8 s of the rules' 180 s (profiled).
 */
function sortByBucket(count: number, bucketOf: (entry: number) => number): { order: Int32Array; sorted: Uint32Array } {
  let entries = new Int32Array(count);
  let keys = new Uint32Array(count);
  for (let e = 0; e < count; e++) {
    entries[e] = e;
    keys[e] = bucketOf(e);
  }
  let toEntries = new Int32Array(count);
  let toKeys = new Uint32Array(count);
  const cursor = new Uint32Array(1 << 11);
  for (let shift = 0; shift < 32; shift += 11) {
    cursor.fill(0);
    for (let k = 0; k < count; k++) cursor[(keys[k] >>> shift) & 0x7ff]++;
    for (let d = 0, at = 0; d < cursor.length; d++) {
      const n = cursor[d];
      cursor[d] = at;
      at += n;
    }
    for (let k = 0; k < count; k++) {
      const key = keys[k];
      const at = cursor[(key >>> shift) & 0x7ff]++;
      toKeys[at] = key;
      toEntries[at] = entries[k];
    }
    [entries, toEntries] = [toEntries, entries];
    [keys, toKeys] = [toKeys, keys];
  }
  return { order: entries, sorted: keys };
}

/**
 * Groups entries 0..count-1 into classes of `equal` entries; `hash` must agree with `equal`.
 * Deterministic: only the entries' order and the functions decide the groups and their order.
 * `hashBits` caps the hash bits used (tests: with few, most entries meet in one run and every
 * equality test is exercised).
 */
export function groupEqual(count: number, hash: (entry: number) => number, equal: (x: number, y: number) => boolean, hashBits = 32): Groups {
  if (count >= 2 ** 31) throw new RangeError(`${count} entries are too many to group`);
  const shift = 32 - Math.max(0, Math.min(hashBits, 32));
  const bucketOfHash = (h: number): number => (shift >= 32 ? 0 : h >>> shift);
  const { order, sorted } = sortByBucket(count, (e) => bucketOfHash(hash(e)));

  // Classes within each run of one bucket: an entry joins the first class head it equals. The
  // heads' arrays are reused, never cut (setting their length back was 0.9 s of those 33 s).
  const classOf = new Int32Array(count);
  let classes = 0;
  const heads: number[] = [];
  const headClass: number[] = [];
  for (let k = 0; k < count; ) {
    const bucket = sorted[k];
    let runHeads = 0;
    for (; k < count && sorted[k] === bucket; k++) {
      const e = order[k];
      let c = -1;
      for (let h = 0; h < runHeads && c < 0; h++) if (equal(heads[h], e)) c = headClass[h];
      if (c < 0) {
        c = classes++;
        heads[runHeads] = e;
        headClass[runHeads++] = c;
      }
      classOf[e] = c;
    }
  }
  // Number the classes by their first entry, then place entries by a stable counting sort.
  const number = new Int32Array(classes).fill(-1);
  let next = 0;
  const groupOf = new Int32Array(count);
  for (let e = 0; e < count; e++) {
    const c = classOf[e];
    if (number[c] < 0) number[c] = next++;
    groupOf[e] = number[c];
  }
  const { offsets: start, items: members } = groupBy(groupOf, 1, 0, count, classes);

  const find = (h: number, equalTo: (entry: number) => boolean): number => {
    const bucket = bucketOfHash(h);
    let lo = 0;
    let hi = count;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid] < bucket) lo = mid + 1;
      else hi = mid;
    }
    for (let k = lo; k < count && sorted[k] === bucket; k++) if (equalTo(order[k])) return groupOf[order[k]];
    return -1;
  };
  return { start, members, groupOf, find };
}
