/**
 * Scores clusterings against KeNet gold on held-out test words (EVALUATION.md): every system of a
 * run is scored on one shared lexicon, with and without the size cap, plus purity, intrusion,
 * size histogram, coverage and the monosemous / polysemous breakdown.
 */
import type { Cluster } from '../types.js';
import type { Gold } from './gold.js';
import {
  clusterPairs,
  coverage,
  intrusion,
  purity,
  sharedLexicon,
  sizeHistogram,
  type CoverageReport,
  type PurityScores,
  type SizeHistogram,
} from './metrics.js';

export const DEFAULT_SIZE_CAP = 150;

export interface SystemUnderTest {
  name: string;
  clusters: readonly Cluster[];
}

export interface F1Scores {
  precision: number;
  recall: number;
  pairedF1: number;
}

export interface ClusteringScores extends F1Scores {
  lexiconSize: number;
  tp: number;
  fp: number;
  fn: number;
  capped: F1Scores & { sizeCap: number };
  purity: PurityScores;
  antonymIntrusion: number;
  antonymPairs: number;
  cohyponymIntrusion: number;
  cohyponymPairs: number;
  byPolysemy: { monosemous: F1Scores & { goldPairs: number }; polysemous: F1Scores & { goldPairs: number } };
  sizeHistogram: SizeHistogram;
  coverage: number;
  coverageDetail: CoverageReport;
}

export interface EvaluationOptions {
  /** Words a score may count: the test split. */
  testWords: ReadonlySet<string>;
  sizeCap?: number;
}

function f1(tp: number, fp: number, fn: number): F1Scores {
  const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
  const pairedF1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, pairedF1 };
}

function counts(system: ReadonlySet<string>, gold: ReadonlySet<string>): { tp: number; fp: number; fn: number } {
  let tp = 0;
  for (const k of system) if (gold.has(k)) tp++;
  return { tp, fp: system.size - tp, fn: gold.size - tp };
}

type PolysemyScores = ClusteringScores['byPolysemy'];

/** F1 on pairs of two monosemous words versus pairs with a polysemous word, in one pass per set. */
function scoreByPolysemy(system: ReadonlySet<string>, gold: ReadonlySet<string>, monosemous: (key: string) => boolean): PolysemyScores {
  const t = { mono: { tp: 0, fp: 0, fn: 0, gold: 0 }, poly: { tp: 0, fp: 0, fn: 0, gold: 0 } };
  for (const k of system) {
    const bucket = monosemous(k) ? t.mono : t.poly;
    if (gold.has(k)) bucket.tp++;
    else bucket.fp++;
  }
  for (const k of gold) {
    const bucket = monosemous(k) ? t.mono : t.poly;
    bucket.gold++;
    if (!system.has(k)) bucket.fn++;
  }
  return {
    monosemous: { ...f1(t.mono.tp, t.mono.fp, t.mono.fn), goldPairs: t.mono.gold },
    polysemous: { ...f1(t.poly.tp, t.poly.fp, t.poly.fn), goldPairs: t.poly.gold },
  };
}

/** Scores each system on one lexicon shared by all of them. */
export function evaluateClusterings(
  systems: readonly SystemUnderTest[],
  gold: Gold,
  options: EvaluationOptions,
): { lexiconSize: number; scores: Record<string, ClusteringScores> } {
  const sizeCap = options.sizeCap ?? DEFAULT_SIZE_CAP;
  const goldWords = new Set<string>();
  for (const s of gold.synsets) for (const w of s.members) goldWords.add(w);
  // EVALUATION.md: L = held-out test words ∩ words(gold pairs) ∩ words(pairs of every system).
  const lexicon = sharedLexicon(options.testWords, goldWords, systems.map((s) => s.clusters), 2);
  const antonyms = gold.pairs.filter((p) => p.label === 'antonym').map((p) => [p.a, p.b] as const);
  const cohyponyms = gold.pairs.filter((p) => p.label === 'co-hyponym').map((p) => [p.a, p.b] as const);
  // Pair sets are built once per system and reused by every pair-based score below.
  const goldPairSet = clusterPairs(gold.synsets, lexicon);
  const goldCapped = clusterPairs(gold.synsets, lexicon, sizeCap);
  const monosemous = (key: string): boolean => {
    const cut = key.indexOf('\u0000');
    return !gold.polysemous.has(key.slice(0, cut)) && !gold.polysemous.has(key.slice(cut + 1));
  };

  const scores: Record<string, ClusteringScores> = {};
  for (const system of systems) {
    const systemPairSet = clusterPairs(system.clusters, lexicon);
    const c = counts(systemPairSet, goldPairSet);
    const paired = { ...c, ...f1(c.tp, c.fp, c.fn) };
    const cc = counts(clusterPairs(system.clusters, lexicon, sizeCap), goldCapped);
    const capped = f1(cc.tp, cc.fp, cc.fn);
    const ant = intrusion(system.clusters, antonyms, lexicon);
    const coh = intrusion(system.clusters, cohyponyms, lexicon);
    const systemWords = new Set<string>();
    for (const c of system.clusters) for (const w of c.members) systemWords.add(w);
    const cov = coverage(system.clusters, systemWords.size);
    scores[system.name] = {
      precision: paired.precision,
      recall: paired.recall,
      pairedF1: paired.pairedF1,
      lexiconSize: lexicon.size,
      tp: paired.tp,
      fp: paired.fp,
      fn: paired.fn,
      capped: { precision: capped.precision, recall: capped.recall, pairedF1: capped.pairedF1, sizeCap },
      purity: purity(system.clusters, gold.synsets, lexicon),
      antonymIntrusion: ant.rate,
      antonymPairs: ant.pairs,
      cohyponymIntrusion: coh.rate,
      cohyponymPairs: coh.pairs,
      byPolysemy: scoreByPolysemy(systemPairSet, goldPairSet, monosemous),
      sizeHistogram: sizeHistogram(system.clusters),
      coverage: cov.coverage,
      coverageDetail: cov,
    };
  }
  return { lexiconSize: lexicon.size, scores };
}
