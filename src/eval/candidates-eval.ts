/**
 * Scores the candidate stage of a held-out build: recall of held-out (test-test) gold synonym pairs
 * among each term's top-k candidates, and what the candidate pairs between test words are
 * (gold synonyms, antonyms, co-hyponyms or unlabelled): antonym intrusion before any filtering.
 */
import type { Db } from '../store/index.js';
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

export function evaluateCandidates(db: Db, gold: Gold, testWords: ReadonlySet<string>, ks: readonly number[] = [10, 50, 100]): CandidateScores {
  const idOf = new Map<string, number>();
  const wordOf = new Map<number, string>();
  for (const [id, norm] of db.prepare('SELECT id, norm FROM terms').raw().iterate() as IterableIterator<[number, string]>) {
    if (!testWords.has(norm)) continue;
    idOf.set(norm, id);
    wordOf.set(id, norm);
  }
  // Each term's candidates ranked by cosine (descending, then id): rank of b in a's list.
  const lists = new Map<number, { other: number; cosine: number }[]>();
  const add = (x: number, y: number, cosine: number): void => {
    if (!wordOf.has(x)) return;
    let list = lists.get(x);
    if (!list) lists.set(x, (list = []));
    list.push({ other: y, cosine });
  };
  let pairs = 0;
  let testPairs = 0;
  const composition = { synonym: 0, antonym: 0, cohyponym: 0, unlabelled: 0 };
  const labelOf = new Map<string, string>();
  for (const p of gold.pairs) if (p.split === 'test') labelOf.set(`${p.a}\u0000${p.b}`, p.label);
  for (const [a, b, cosine] of db.prepare('SELECT a, b, cosine FROM candidate_edges').raw().iterate() as IterableIterator<[number, number, number]>) {
    pairs++;
    add(a, b, cosine);
    add(b, a, cosine);
    const wa = wordOf.get(a);
    const wb = wordOf.get(b);
    if (wa === undefined || wb === undefined) continue;
    testPairs++;
    const label = labelOf.get(wa < wb ? `${wa}\u0000${wb}` : `${wb}\u0000${wa}`);
    if (label === 'synonym') composition.synonym++;
    else if (label === 'antonym') composition.antonym++;
    else if (label === 'co-hyponym') composition.cohyponym++;
    else composition.unlabelled++;
  }
  const rank = new Map<number, Map<number, number>>();
  for (const [x, list] of lists) {
    list.sort((p, q) => q.cosine - p.cosine || p.other - q.other);
    rank.set(x, new Map(list.map((e, i) => [e.other, i + 1])));
  }
  const synonyms = gold.pairs.filter((p) => p.label === 'synonym' && p.split === 'test' && idOf.has(p.a) && idOf.has(p.b));
  const recallAt: Record<string, number> = {};
  for (const k of ks) {
    let hit = 0;
    for (const p of synonyms) {
      const a = idOf.get(p.a) as number;
      const b = idOf.get(p.b) as number;
      const r = Math.min(rank.get(a)?.get(b) ?? Infinity, rank.get(b)?.get(a) ?? Infinity);
      if (r <= k) hit++;
    }
    recallAt[String(k)] = synonyms.length === 0 ? 0 : hit / synonyms.length;
  }
  const share = (n: number): number => (testPairs === 0 ? 0 : n / testPairs);
  const stats = db.prepare("SELECT stats FROM build_stages WHERE stage = 'candidates' AND status = 'done' ORDER BY build_id DESC LIMIT 1").pluck().get() as string | undefined;
  const annRecall = stats ? ((JSON.parse(stats) as { annRecall?: number }).annRecall ?? null) : null;
  return {
    pairs,
    testPairs,
    goldSynonymPairs: synonyms.length,
    recallAt,
    composition: { synonym: share(composition.synonym), antonym: share(composition.antonym), cohyponym: share(composition.cohyponym), unlabelled: share(composition.unlabelled) },
    annRecall,
  };
}
