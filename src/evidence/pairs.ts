/**
 * Evidence pairs in typed columns: a pair is 13 bytes and its detail is written only when it is
 * read (`detail`), one at a time. Each pair was an object with its detail string, copied under an
 * `"a,b"` key into a Map and again by term id; with the string-keyed phrase groups (now
 * groups.ts) the stage took 5.0 GB alone on the 2.7M terms of a 3M-line bench:e2e list, 3.4 GB now.
 */
import { groupBy } from '../util/group-by.js';
import { EVIDENCE_KINDS, FORBIDDING, type Evidence, type EvidenceKind } from './types.js';

const KIND_CODE = new Map(EVIDENCE_KINDS.map((k, i) => [k, i]));

/** Which evidence wins for one pair: a forbidding rule over any other, spellings over composition, siblings last. */
const RANK = Uint8Array.from(EVIDENCE_KINDS, (k) => (FORBIDDING.has(k) ? 0 : k === 'sibling' ? 2 : 1));

/** A rule's detail for a pair it found (a and b as it gave them), from the number it stored with it. */
export type DetailOf = (a: number, b: number, ref: number) => string;

export class EvidencePairs {
  a = new Int32Array(1024);
  b = new Int32Array(1024);
  kind = new Uint8Array(1024);
  /** >= 0: a number for `composedDetail`; < 0: -1 - the index of a written detail. */
  ref = new Int32Array(1024);
  length = 0;
  /** Writes the detail of a pair added with `add` (findCompositional sets it). */
  composedDetail: DetailOf = () => '';
  private readonly notes: string[] = [];

  /** Adds a pair whose detail the composed rules write from `ref` when it is read. */
  add(a: number, b: number, kind: EvidenceKind, ref: number): void {
    if (this.length === this.a.length) this.grow();
    const i = this.length++;
    this.a[i] = a;
    this.b[i] = b;
    this.kind[i] = KIND_CODE.get(kind)!;
    this.ref[i] = ref;
  }

  /** Adds a pair with its detail written out (the few pairs of spellings, acronyms and closed families). */
  addEvidence(e: Evidence): void {
    this.notes.push(e.detail);
    this.add(e.a, e.b, e.kind, -this.notes.length);
  }

  kindOf(i: number): EvidenceKind {
    return EVIDENCE_KINDS[this.kind[i]];
  }

  detail(i: number): string {
    const ref = this.ref[i];
    return ref < 0 ? this.notes[-1 - ref] : this.composedDetail(this.a[i], this.b[i], ref);
  }

  /** Pair i with a < b, as the rest of the pipeline keys it. */
  evidence(i: number): Evidence {
    const [a, b] = this.a[i] < this.b[i] ? [this.a[i], this.b[i]] : [this.b[i], this.a[i]];
    return { a, b, kind: this.kindOf(i), detail: this.detail(i) };
  }

  private grow(): void {
    const size = this.a.length * 2;
    const grown = <T extends Int32Array | Uint8Array>(x: T, make: (n: number) => T): T => {
      const y = make(size);
      y.set(x);
      return y;
    };
    this.a = grown(this.a, (n) => new Int32Array(n));
    this.b = grown(this.b, (n) => new Int32Array(n));
    this.kind = grown(this.kind, (n) => new Uint8Array(n));
    this.ref = grown(this.ref, (n) => new Int32Array(n));
  }
}

/** The winning pairs in (smaller, larger) term order, and for each the first pair added between its two terms. */
export interface Winners {
  index: Int32Array;
  first: Int32Array;
  /** The winners whose smaller term is t are index[offsets[t] .. offsets[t + 1]). */
  offsets: Int32Array;
}

/**
 * The pair that wins for each unordered pair of terms, in (smaller, larger) term order: the
 * lowest rank, and of equal ranks the one added first (what a Map filled in order kept). A
 * counting sort by the smaller term, then each term's short run sorted natively by
 * (larger term, rank, position): no comparator call per pair.
 */
export function winners(pairs: EvidencePairs, terms: number): Winners {
  const n = pairs.length;
  const smaller = new Int32Array(n);
  for (let i = 0; i < n; i++) smaller[i] = Math.min(pairs.a[i], pairs.b[i]);
  const { offsets: start, items: order } = groupBy(smaller, 1, 0, n, terms);
  let longest = 0;
  for (let t = 0; t < terms; t++) longest = Math.max(longest, start[t + 1] - start[t]);
  // A run's sort key: (larger term, rank, position in the run), exact in a double.
  const local = 2 ** Math.ceil(Math.log2(longest + 1));
  if (terms * 4 * local > Number.MAX_SAFE_INTEGER) throw new RangeError(`${terms} terms with up to ${longest} evidence pairs each do not fit a sort key`);
  const scratch = new Float64Array(longest);
  const out = new Int32Array(n);
  const first = new Int32Array(n);
  const offsets = new Int32Array(terms + 1);
  let kept = 0;
  for (let t = 0; t < terms; t++) {
    offsets[t] = kept;
    const from = start[t];
    const len = start[t + 1] - from;
    if (len === 0) continue;
    for (let k = 0; k < len; k++) {
      const i = order[from + k];
      scratch[k] = (Math.max(pairs.a[i], pairs.b[i]) * 4 + RANK[pairs.kind[i]]) * local + k;
    }
    const run = scratch.subarray(0, len).sort();
    let last = -1;
    for (let k = 0; k < len; k++) {
      const other = Math.floor(run[k] / (4 * local));
      const i = order[from + (run[k] % local)];
      if (other === last) {
        first[kept - 1] = Math.min(first[kept - 1], i);
        continue;
      }
      last = other;
      out[kept] = i;
      first[kept++] = i;
    }
  }
  offsets[terms] = kept;
  return { index: out.slice(0, kept), first: first.slice(0, kept), offsets };
}

/** The evidence of a list: one pair per two terms, in (a, b) order, a < b, read one at a time. */
export class EvidenceList implements Iterable<Evidence> {
  constructor(
    private readonly pairs: EvidencePairs,
    private readonly order: Int32Array,
  ) {}

  get length(): number {
    return this.order.length;
  }

  kind(k: number): EvidenceKind {
    return this.pairs.kindOf(this.order[k]);
  }

  at(k: number): Evidence {
    return this.pairs.evidence(this.order[k]);
  }

  *[Symbol.iterator](): Iterator<Evidence> {
    for (let k = 0; k < this.order.length; k++) yield this.at(k);
  }
}
