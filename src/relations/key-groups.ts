/**
 * Rows grouped by an int32 key, in typed arrays: groups in the order of their first row, members in
 * the order the rows were given, as a Map of arrays filled row by row would hold them. The mined
 * pairs group every row of the term table three times (by root, root word and norm); at 4.4M terms
 * those Maps and their arrays took 13 s of the relations preparation (stop 56's profile).
 */
export class KeyGroups implements Iterable<[key: number, members: Int32Array]> {
  /** Group g's key and members (members[start[g] .. start[g + 1])). */
  private readonly keys: Int32Array;
  private readonly start: Int32Array;
  private readonly members: Int32Array;
  /** Open addressing: a slot holds its group's number + 1, 0 when empty. */
  private readonly slots: Int32Array;
  private readonly mask: number;
  private readonly shift: number;
  readonly size: number;

  /** Groups `rows` by `keyOf(row)`; with `skipZero`, rows of key 0 are left out. */
  constructor(rows: ArrayLike<number>, keyOf: (row: number) => number, skipZero = false) {
    let bits = 4;
    while (2 ** bits < 2 * rows.length) bits++;
    this.slots = new Int32Array(2 ** bits);
    this.mask = 2 ** bits - 1;
    this.shift = 32 - bits;
    const keys = new Int32Array(rows.length);
    const groupOf = new Int32Array(rows.length).fill(-1);
    const count = new Int32Array(rows.length + 1);
    let groups = 0;
    for (let i = 0; i < rows.length; i++) {
      const key = keyOf(rows[i]) | 0;
      if (skipZero && key === 0) continue;
      let s = this.slot(key, keys);
      if (this.slots[s] === 0) {
        keys[groups] = key;
        this.slots[s] = ++groups;
      }
      s = this.slots[s] - 1;
      groupOf[i] = s;
      count[s + 1]++;
    }
    for (let g = 0; g < groups; g++) count[g + 1] += count[g];
    const at = count.slice(0, groups);
    const members = new Int32Array(count[groups]);
    for (let i = 0; i < rows.length; i++) if (groupOf[i] >= 0) members[at[groupOf[i]]++] = rows[i];
    this.keys = keys.subarray(0, groups);
    this.start = count.subarray(0, groups + 1);
    this.members = members;
    this.size = groups;
  }

  /** The members of `key`'s group, or undefined. */
  get(key: number): Int32Array | undefined {
    if ((key | 0) !== key) return undefined; // no int32 key: in no group
    const s = this.slots[this.slot(key, this.keys)];
    return s === 0 ? undefined : this.members.subarray(this.start[s - 1], this.start[s]);
  }

  *[Symbol.iterator](): IterableIterator<[number, Int32Array]> {
    for (let g = 0; g < this.size; g++) yield [this.keys[g], this.members.subarray(this.start[g], this.start[g + 1])];
  }

  /** The slot of `key`: its group's, or the empty one where it would go. */
  private slot(key: number, keys: Int32Array): number {
    // Fibonacci hashing: the product's high bits, which every bit of the key moves.
    let s = Math.imul(key, 0x9e3779b1) >>> this.shift;
    for (;;) {
      s &= this.mask;
      const g = this.slots[s];
      if (g === 0 || keys[g - 1] === key) return s;
      s++;
    }
  }
}
