/** A bounded map for the serving caches: least recently used evicted, hits and misses counted. */
export class Lru<K, V> {
  private readonly map = new Map<K, V>();
  hits = 0;
  misses = 0;

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.map.size;
  }

  /** The cached value (refreshed as the most recent), or undefined. */
  get(key: K): V | undefined {
    const value = this.map.get(key);
    if (value === undefined) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    // A Map iterates in insertion order: re-inserting makes the entry the newest.
    this.map.delete(key);
    this.map.set(key, value);
    return value;
  }

  set(key: K, value: V): void {
    if (this.map.size >= this.capacity && !this.map.has(key)) this.map.delete(this.map.keys().next().value as K);
    this.map.set(key, value);
  }
}
