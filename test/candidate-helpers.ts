/** Candidate pairs for tests that build a world by hand. */
import type { CandidateRows } from '../src/store/candidates.js';

/** Pairs given as "a,b" keys (a < b), sorted into the (a, b) order the store takes, all at one cosine. */
export function candidateRows(keys: Iterable<string>, cosine: number): CandidateRows {
  const pairs = [...keys].map((k) => k.split(',').map(Number) as [number, number]).sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  return { a: pairs.map((p) => p[0]), b: pairs.map((p) => p[1]), cosine: pairs.map(() => cosine), length: pairs.length };
}
