/**
 * Exact grouping of many small keys (word-id sequences; strings in variants.ts) without a Map or a
 * string per key: entries are sorted by a 32-bit hash packed with their index into one double, and
 * each run of equal hashes is split by exact comparison. The string-keyed Maps this replaces held
 * every phrase's joined form and every one-word-left-out pattern of it: 1.5 GB of the evidence
 * stage's 2.9 GB heap on a 2.7M-term generated list (bench:e2e, 3M lines).
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
 * Groups entries 0..count-1 into classes of `equal` entries; `hash` must agree with `equal`.
 * Deterministic: only the entries' order and the functions decide the groups and their order.
 * `hashBits` caps the hash bits used (tests: with few, most entries meet in one run and every
 * equality test is exercised).
 */
export function groupEqual(count: number, hash: (entry: number) => number, equal: (x: number, y: number) => boolean, hashBits = 32): Groups {
  const indexBits = Math.max(1, Math.ceil(Math.log2(count + 1)));
  if (indexBits > 40) throw new RangeError(`${count} entries are too many to group`);
  hashBits = Math.min(hashBits, 32, 53 - indexBits);
  const scale = 2 ** indexBits;
  const drop = 2 ** (32 - hashBits);
  const keys = new Float64Array(count);
  for (let e = 0; e < count; e++) keys[e] = Math.floor(hash(e) / drop) * scale + e;
  keys.sort();
  const entryAt = (k: number): number => keys[k] % scale;
  const bucketAt = (k: number): number => Math.floor(keys[k] / scale);

  // Classes within each run of one hash: an entry joins the first class head it equals.
  const classOf = new Int32Array(count);
  let classes = 0;
  const heads: number[] = [];
  const headClass: number[] = [];
  for (let k = 0; k < count; ) {
    const bucket = bucketAt(k);
    heads.length = 0;
    headClass.length = 0;
    for (; k < count && bucketAt(k) === bucket; k++) {
      const e = entryAt(k);
      let c = -1;
      for (let h = 0; h < heads.length && c < 0; h++) if (equal(heads[h], e)) c = headClass[h];
      if (c < 0) {
        c = classes++;
        heads.push(e);
        headClass.push(c);
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
    const bucket = Math.floor(h / drop);
    let lo = 0;
    let hi = count;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (bucketAt(mid) < bucket) lo = mid + 1;
      else hi = mid;
    }
    for (let k = lo; k < count && bucketAt(k) === bucket; k++) if (equalTo(entryAt(k))) return groupOf[entryAt(k)];
    return -1;
  };
  return { start, members, groupOf, find };
}
