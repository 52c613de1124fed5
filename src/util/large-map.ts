/**
 * Map and Set past V8's size limit. A V8 Map or Set holds at most 2^24 entries: the 16,777,217th
 * throws `RangeError: Map maximum size exceeded` (measured on Node 20). A term list of 17M
 * distinct terms would fail so in the knowledge, evidence, relations and cluster stages, wherever
 * one entry is kept per term. These keep the entries in shards of at most 2^24, filled one after
 * another, so that iteration stays in insertion order and a list under the limit (one shard) is
 * served by one Map exactly as before; past it, a lookup asks each shard in turn.
 */

/** The most entries a V8 Map or Set holds. */
export const MAP_ENTRIES_MAX = 2 ** 24;

function checkShardSize(shardSize: number): void {
  if (!(Number.isInteger(shardSize) && shardSize > 0 && shardSize <= MAP_ENTRIES_MAX)) throw new RangeError(`shard size ${shardSize} is not an integer in 1..${MAP_ENTRIES_MAX}`);
}

export class LargeMap<K, V> implements Iterable<[K, V]> {
  private readonly shards: Map<K, V>[] = [new Map()];

  /** `shardSize`: entries a shard holds (tests lower it). */
  constructor(
    entries?: Iterable<readonly [K, V]>,
    private readonly shardSize = MAP_ENTRIES_MAX,
  ) {
    checkShardSize(shardSize);
    if (entries) for (const [k, v] of entries) this.set(k, v);
  }

  get size(): number {
    let n = 0;
    for (const s of this.shards) n += s.size;
    return n;
  }

  get(key: K): V | undefined {
    const shards = this.shards;
    for (let i = 0; i < shards.length; i++) {
      const v = shards[i].get(key);
      if (v !== undefined || (shards.length > 1 && shards[i].has(key))) return v;
    }
    return undefined;
  }

  has(key: K): boolean {
    for (const s of this.shards) if (s.has(key)) return true;
    return false;
  }

  set(key: K, value: V): this {
    const shards = this.shards;
    const last = shards[shards.length - 1];
    // One shard with room: a plain Map's set (an update or an insertion).
    if (shards.length === 1 && last.size < this.shardSize) {
      last.set(key, value);
      return this;
    }
    for (const s of shards) {
      if (s.has(key)) {
        s.set(key, value);
        return this;
      }
    }
    if (last.size < this.shardSize) last.set(key, value);
    else shards.push(new Map([[key, value]]));
    return this;
  }

  delete(key: K): boolean {
    for (const s of this.shards) if (s.delete(key)) return true;
    return false;
  }

  *keys(): IterableIterator<K> {
    for (const s of this.shards) yield* s.keys();
  }

  *values(): IterableIterator<V> {
    for (const s of this.shards) yield* s.values();
  }

  *entries(): IterableIterator<[K, V]> {
    for (const s of this.shards) yield* s.entries();
  }

  [Symbol.iterator](): IterableIterator<[K, V]> {
    return this.entries();
  }
}

export class LargeSet<T> implements Iterable<T> {
  private readonly shards: Set<T>[] = [new Set()];

  constructor(
    values?: Iterable<T>,
    private readonly shardSize = MAP_ENTRIES_MAX,
  ) {
    checkShardSize(shardSize);
    if (values) for (const v of values) this.add(v);
  }

  get size(): number {
    let n = 0;
    for (const s of this.shards) n += s.size;
    return n;
  }

  has(value: T): boolean {
    for (const s of this.shards) if (s.has(value)) return true;
    return false;
  }

  add(value: T): this {
    const shards = this.shards;
    const last = shards[shards.length - 1];
    if (shards.length === 1 && last.size < this.shardSize) last.add(value);
    else if (!this.has(value)) {
      if (last.size < this.shardSize) last.add(value);
      else shards.push(new Set([value]));
    }
    return this;
  }

  delete(value: T): boolean {
    for (const s of this.shards) if (s.delete(value)) return true;
    return false;
  }

  *values(): IterableIterator<T> {
    for (const s of this.shards) yield* s.values();
  }

  [Symbol.iterator](): IterableIterator<T> {
    return this.values();
  }
}
