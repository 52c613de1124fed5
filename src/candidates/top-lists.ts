/** The scan's per-query top-k lists (ivf.ts), also the grouped probes' merge where the addon was not built (partition.ts). */
/**
 * Each query's best `k` rows so far, as a binary min-heap per query (the worst kept at the root),
 * ordered by score then row id (a higher id is worse), so the final set is the unique top-k
 * whatever order rows arrive in.
 */
export class TopLists {
  readonly s: Float32Array;
  readonly r: Int32Array;
  readonly n: Int32Array;
  constructor(
    readonly queries: number,
    readonly k: number,
  ) {
    this.s = new Float32Array(queries * k);
    this.r = new Int32Array(queries * k);
    this.n = new Int32Array(queries);
  }

  /** Scores at or below this cannot enter query q's list (the floor until it is full). */
  bar(q: number, floor: number): number {
    return this.n[q] < this.k ? floor : Math.max(floor, this.s[q * this.k]);
  }

  /** a is worse than b. */
  private static worse(sa: number, ra: number, sb: number, rb: number): boolean {
    return sa < sb || (sa === sb && ra > rb);
  }

  offer(q: number, row: number, score: number): void {
    const { k, s, r } = this;
    const base = q * k;
    const len = this.n[q];
    if (len < k) {
      // Sift up from the new leaf.
      let i = len;
      this.n[q] = len + 1;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (!TopLists.worse(score, row, s[base + parent], r[base + parent])) break;
        s[base + i] = s[base + parent];
        r[base + i] = r[base + parent];
        i = parent;
      }
      s[base + i] = score;
      r[base + i] = row;
      return;
    }
    if (!TopLists.worse(s[base], r[base], score, row)) return;
    // Replace the root and sift down.
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= len) break;
      let child = left;
      if (left + 1 < len && TopLists.worse(s[base + left + 1], r[base + left + 1], s[base + left], r[base + left])) child = left + 1;
      if (!TopLists.worse(s[base + child], r[base + child], score, row)) break;
      s[base + i] = s[base + child];
      r[base + i] = r[base + child];
      i = child;
    }
    s[base + i] = score;
    r[base + i] = row;
  }

  /** Query q's list best first into `rows` and `scores` (k each; an unfilled tail is -1 and -Infinity). */
  sorted(q: number, rows: Int32Array, scores: Float32Array): void {
    const { k } = this;
    const len = this.n[q];
    const order = Array.from({ length: len }, (_, i) => q * k + i);
    order.sort((x, y) => (TopLists.worse(this.s[x], this.r[x], this.s[y], this.r[y]) ? 1 : TopLists.worse(this.s[y], this.r[y], this.s[x], this.r[x]) ? -1 : 0));
    for (let i = 0; i < k; i++) {
      rows[i] = i < len ? this.r[order[i]] : -1;
      scores[i] = i < len ? this.s[order[i]] : -Infinity;
    }
  }
}
