/**
 * Scores the candidate stage of a held-out build: recall of held-out (test-test) gold synonym pairs
 * among each term's top-k candidates, and what the candidate pairs between test words are
 * (gold synonyms, antonyms, co-hyponyms or unlabelled): antonym intrusion before any filtering.
 */
import { doneStats, readCandidateNeighbours, readTermIds, type Db } from '../store/index.js';
import type { Gold } from './gold.js';

export interface CandidateScores {
  pairs: number;
  /** Candidate pairs with both words in the test split (the composition's denominator). */
  testPairs: number;
  goldSynonymPairs: number;
  recallAt: Record<string, number>;
  composition: { synonym: number; antonym: number; cohyponym: number; unlabelled: number };
  annRecall: number | null;
}

/** `testWords` are the words of `split` (the test split for a reported figure, dev while choosing defaults). */
export function evaluateCandidates(db: Db, gold: Gold, testWords: ReadonlySet<string>, split: 'test' | 'dev' = 'test', ks: readonly number[] = [10, 50, 100]): CandidateScores {
  const idOf = new Map<string, number>();
  const wordOf = new Map<number, string>();
  for (const [id, norm] of readTermIds(db)) {
    if (!testWords.has(norm)) continue;
    idOf.set(norm, id);
    wordOf.set(id, norm);
  }
  // Each term's candidates, strongest first: the rank of b in a's list is its position.
  const lists = readCandidateNeighbours(db);
  const rank = (x: number, y: number): number => {
    const i = lists.of(x).neighbours.indexOf(y);
    return i === -1 ? Infinity : i + 1;
  };

  const labelOf = new Map<string, string>();
  for (const p of gold.pairs) if (p.split === split) labelOf.set(`${p.a}\u0000${p.b}`, p.label);
  const composition = { synonym: 0, antonym: 0, cohyponym: 0, unlabelled: 0 };
  let testPairs = 0;
  for (const [x, wx] of wordOf) {
    for (const y of lists.of(x).neighbours) {
      const wy = wordOf.get(y);
      if (wy === undefined || y < x) continue; // each test-test pair once
      testPairs++;
      const label = labelOf.get(wx < wy ? `${wx}\u0000${wy}` : `${wy}\u0000${wx}`);
      if (label === 'synonym') composition.synonym++;
      else if (label === 'antonym') composition.antonym++;
      else if (label === 'co-hyponym') composition.cohyponym++;
      else composition.unlabelled++;
    }
  }

  const synonyms = gold.pairs.filter((p) => p.label === 'synonym' && p.split === split && idOf.has(p.a) && idOf.has(p.b));
  const bestRank = synonyms.map((p) => {
    const a = idOf.get(p.a) as number;
    const b = idOf.get(p.b) as number;
    return Math.min(rank(a, b), rank(b, a));
  });
  const recallAt: Record<string, number> = {};
  for (const k of ks) recallAt[String(k)] = synonyms.length === 0 ? 0 : bestRank.filter((r) => r <= k).length / synonyms.length;

  const share = (n: number): number => (testPairs === 0 ? 0 : n / testPairs);
  const recorded = doneStats(db, 'candidates')?.annRecall;
  const annRecall = typeof recorded === 'number' ? recorded : null;
  return {
    pairs: lists.neighbours.length / 2,
    testPairs,
    goldSynonymPairs: synonyms.length,
    recallAt,
    composition: { synonym: share(composition.synonym), antonym: share(composition.antonym), cohyponym: share(composition.cohyponym), unlabelled: share(composition.unlabelled) },
    annRecall,
  };
}
