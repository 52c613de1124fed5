/**
 * Candidate pairs by term id: local row ids of the kNN stage mapped to term ids, each pair oriented
 * (a < b by term id) and sorted by (a, b), de-duplicated: the order the store appends them in.
 */
import { sortAndDedupePairs, type CandidatePairs } from './knn.js';
import { adviseHugePages } from '../util/native-addon.js';

/** Pairs of term ids, a < b, sorted by (a, b), with their cosines. */
export interface TermPairs {
  a: ArrayLike<number>;
  b: ArrayLike<number>;
  cosine: Float32Array;
  length: number;
}

/**
 * Maps kNN pairs (local ids) to term ids by `termIds`. Local ids are ranked by term id, so that
 * ordering by rank is ordering by term id; pairs are then oriented and sorted with the same
 * linear sort as the ANN stage.
 */
export function termPairs(termIds: ArrayLike<number>, pairs: CandidatePairs): TermPairs {
  const n = termIds.length;
  const m = pairs.a.length;
  if (pairs.b.length !== m || pairs.cosine.length !== m) throw new RangeError('pairs arrays differ in length');
  for (let i = 0; i < n; i++) {
    if (!Number.isSafeInteger(termIds[i])) throw new RangeError(`termIds[${i}] is not an integer (${termIds[i]})`);
  }
  let monotonic = true;
  for (let i = 1; i < n && monotonic; i++) if (termIds[i] <= termIds[i - 1]) monotonic = false;
  if (monotonic && m > 0 && isSortedUnique(pairs, n)) {
    // Rows are ranked by term id already and the pairs sorted: map in place of a second sort
    // (at a million rows the copy and sort cost 2.4 GB of the candidates stage's peak).
    const a = new Int32Array(m);
    const b = new Int32Array(m);
    adviseHugePages(a);
    adviseHugePages(b);
    const fits = termIds[n - 1] < 2 ** 31;
    for (let i = 0; i < m && fits; i++) {
      a[i] = termIds[pairs.a[i]];
      b[i] = termIds[pairs.b[i]];
    }
    if (fits) return { a, b, cosine: pairs.cosine, length: m };
  }
  let rank: Uint32Array | null = null;
  let byRank: Uint32Array | null = null;
  if (!monotonic) {
    byRank = Uint32Array.from({ length: n }, (_, i) => i).sort((x, y) => termIds[x] - termIds[y]);
    rank = new Uint32Array(n);
    for (let r = 0; r < n; r++) rank[byRank[r]] = r;
  }
  const a = new Uint32Array(m);
  const b = new Uint32Array(m);
  const c = new Float32Array(m);
  for (let i = 0; i < m; i++) {
    const la = pairs.a[i];
    const lb = pairs.b[i];
    if (la >= n || lb >= n) throw new RangeError(`pair ${i} (${la}, ${lb}) refers to a row without a term id (${n} term ids)`);
    const ra = rank ? rank[la] : la;
    const rb = rank ? rank[lb] : lb;
    if (ra === rb || termIds[la] === termIds[lb]) throw new RangeError(`pair ${i} joins term ${termIds[la]} to itself`);
    a[i] = ra < rb ? ra : rb;
    b[i] = ra < rb ? rb : ra;
    c[i] = pairs.cosine[i];
  }
  const sorted = sortAndDedupePairs(a, b, c, m, n);
  const termOf = (r: number): number => termIds[byRank ? byRank[r] : r];
  const k = sorted.a.length;
  return { a: Float64Array.from(sorted.a, termOf), b: Float64Array.from(sorted.b, termOf), cosine: sorted.cosine, length: k };
}

/** Whether the pairs are oriented (a < b), within 0..n-1, strictly ascending by (a, b). */
export function isSortedUnique(pairs: CandidatePairs, n: number): boolean {
  const { a, b } = pairs;
  for (let i = 0; i < a.length; i++) {
    if (!(a[i] < b[i] && b[i] < n)) return false;
    if (i > 0 && (a[i] < a[i - 1] || (a[i] === a[i - 1] && b[i] <= b[i - 1]))) return false;
  }
  return true;
}
