/** A growable Int32 list (amortised doubling), for hot paths that must not allocate per item. */
export class GrowableInt32 {
  data: Int32Array;
  length = 0;

  constructor(capacity = 1024) {
    this.data = new Int32Array(Math.max(4, capacity));
  }

  push(x: number): number {
    if (this.length === this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length] = x;
    return this.length++;
  }

  /** Makes room for `capacity` entries in all (doubling, as push does), for code that writes `data` directly. */
  reserve(capacity: number): void {
    if (capacity <= this.data.length) return;
    const next = new Int32Array(Math.max(capacity, this.data.length * 2));
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }

  /** The filled part as a view (no copy). */
  view(): Int32Array {
    return this.data.subarray(0, this.length);
  }
}

/** Float32 counterpart of GrowableInt32. */
export class GrowableFloat32 {
  data: Float32Array;
  length = 0;

  constructor(capacity = 1024) {
    this.data = new Float32Array(Math.max(4, capacity));
  }

  push(x: number): number {
    if (this.length === this.data.length) {
      const next = new Float32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length] = x;
    return this.length++;
  }

  view(): Float32Array {
    return this.data.subarray(0, this.length);
  }
}
