/**
 * Scores clusterings against KeNet gold on held-out test words (docs/evaluation.md): every system of a
 * run is scored on one shared lexicon, with and without the size cap, plus purity, intrusion,
 * size histogram, coverage and the monosemous / polysemous breakdown.
 */
import type { Cluster } from '../types.js';
import type { Gold } from './gold.js';
import {
  clusterPairs,
  evaluationLexicon,
  intrusion,
  lexiconCoverage,
  purity,
  sizeHistogram,
  type PurityScores,
  type SizeHistogram,
} from './metrics.js';

export const DEFAULT_SIZE_CAP = 150;

export interface SystemUnderTest {
  name: string;
  /** Word level: each word's one primary cluster (clusters of >= 2; a word in none is a singleton). */
  clusters: readonly Cluster[];
  /**
   * Sense level: every cluster a word belongs to through any of its senses (primary included).
   * Absent for a system without senses: its sense level is its word level.
   */
  senses?: readonly Cluster[];
}

export interface F1Scores {
  precision: number;
  recall: number;
  pairedF1: number;
}

type PolysemyScores = { monosemous: F1Scores & { goldPairs: number }; polysemous: F1Scores & { goldPairs: number } };

/** Pairs by the shape of their two terms: two single words, a word and a phrase, two phrases. */
export type PairShape = 'singleSingle' | 'singlePhrase' | 'phrasePhrase';
type ShapeScores = Record<PairShape, F1Scores & { goldPairs: number; systemPairs: number }>;

export interface LevelScores extends F1Scores {
  tp: number;
  fp: number;
  fn: number;
  byPolysemy: PolysemyScores;
  byShape: ShapeScores;
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
  byPolysemy: PolysemyScores;
  /** Word level by pair shape (single words and phrases: a real term list is mostly phrases). */
  byShape: ShapeScores;
  /** Pairs sharing any cluster through any sense (docs/evaluation.md, "Senses"); equal to the word level for a system without senses. */
  senseLevel: LevelScores;
  sizeHistogram: SizeHistogram;
  /** Share of the lexicon in clusters of >= 2 (word level). */
  coverage: number;
  /** Lexicon words in clusters of >= 2, and the lexicon size. */
  coverageDetail: { clustered: number; lexicon: number };
}

export interface EvaluationOptions {
  /** Held-out words a score may count (the test split; the dev split while choosing defaults). */
  testWords: ReadonlySet<string>;
  /** The vocabulary every system clustered (a build's terms); absent: every gold word could have been. */
  vocabulary?: ReadonlySet<string>;
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

function shapeOf(key: string): PairShape {
  const cut = key.indexOf('\u0000');
  const phrases = Number(key.slice(0, cut).includes(' ')) + Number(key.slice(cut + 1).includes(' '));
  return phrases === 0 ? 'singleSingle' : phrases === 1 ? 'singlePhrase' : 'phrasePhrase';
}

function scoreByShape(system: ReadonlySet<string>, gold: ReadonlySet<string>): ShapeScores {
  const t: Record<PairShape, { tp: number; fp: number; fn: number; gold: number; system: number }> = {
    singleSingle: { tp: 0, fp: 0, fn: 0, gold: 0, system: 0 },
    singlePhrase: { tp: 0, fp: 0, fn: 0, gold: 0, system: 0 },
    phrasePhrase: { tp: 0, fp: 0, fn: 0, gold: 0, system: 0 },
  };
  for (const k of system) {
    const b = t[shapeOf(k)];
    b.system++;
    if (gold.has(k)) b.tp++;
    else b.fp++;
  }
  for (const k of gold) {
    const b = t[shapeOf(k)];
    b.gold++;
    if (!system.has(k)) b.fn++;
  }
  const out = {} as ShapeScores;
  for (const shape of ['singleSingle', 'singlePhrase', 'phrasePhrase'] as const) {
    const b = t[shape];
    out[shape] = { ...f1(b.tp, b.fp, b.fn), goldPairs: b.gold, systemPairs: b.system };
  }
  return out;
}

function levelScores(systemPairs: ReadonlySet<string>, goldPairs: ReadonlySet<string>, monosemous: (key: string) => boolean): LevelScores {
  const c = counts(systemPairs, goldPairs);
  return { ...c, ...f1(c.tp, c.fp, c.fn), byPolysemy: scoreByPolysemy(systemPairs, goldPairs, monosemous), byShape: scoreByShape(systemPairs, goldPairs) };
}

/** The system's clusters restricted to the lexicon, with every lexicon word it left alone as a singleton (purity's N_s is then |L|). */
function withSingletons(clusters: readonly Cluster[], lexicon: ReadonlySet<string>): Cluster[] {
  const seen = new Set<string>();
  for (const c of clusters) for (const w of c.members) if (lexicon.has(w)) seen.add(w);
  const out = [...clusters];
  for (const w of lexicon) if (!seen.has(w)) out.push({ id: `singleton:${w}`, members: [w] });
  return out;
}

/**
 * Scores each system on one lexicon L shared by all of them (docs/evaluation.md, "Clusters"):
 * L = held-out words ∩ gold words (∩ the clustered vocabulary), whatever the systems did.
 */
export function evaluateClusterings(
  systems: readonly SystemUnderTest[],
  gold: Gold,
  options: EvaluationOptions,
): { lexiconSize: number; scores: Record<string, ClusteringScores> } {
  const sizeCap = options.sizeCap ?? DEFAULT_SIZE_CAP;
  const goldWords = new Set<string>();
  for (const s of gold.synsets) for (const w of s.members) goldWords.add(w);
  const lexicon = evaluationLexicon(options.testWords, goldWords, options.vocabulary);
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
    const word = levelScores(clusterPairs(system.clusters, lexicon), goldPairSet, monosemous);
    const sense = system.senses ? levelScores(clusterPairs(system.senses, lexicon), goldPairSet, monosemous) : word;
    const cc = counts(clusterPairs(system.clusters, lexicon, sizeCap), goldCapped);
    const capped = f1(cc.tp, cc.fp, cc.fn);
    // Intrusion through any sense: an antonym pair sharing any cluster is an intrusion.
    const ant = intrusion(system.senses ?? system.clusters, antonyms, lexicon);
    const coh = intrusion(system.senses ?? system.clusters, cohyponyms, lexicon);
    const cov = lexiconCoverage(system.clusters, lexicon);
    scores[system.name] = {
      precision: word.precision,
      recall: word.recall,
      pairedF1: word.pairedF1,
      lexiconSize: lexicon.size,
      tp: word.tp,
      fp: word.fp,
      fn: word.fn,
      capped: { precision: capped.precision, recall: capped.recall, pairedF1: capped.pairedF1, sizeCap },
      purity: purity(withSingletons(system.clusters, lexicon), gold.synsets, lexicon),
      antonymIntrusion: ant.rate,
      antonymPairs: ant.pairs,
      cohyponymIntrusion: coh.rate,
      cohyponymPairs: coh.pairs,
      byPolysemy: word.byPolysemy,
      byShape: word.byShape,
      senseLevel: sense,
      sizeHistogram: sizeHistogram(system.clusters),
      coverage: cov.coverage,
      coverageDetail: { clustered: cov.clustered, lexicon: cov.lexicon },
    };
  }
  return { lexiconSize: lexicon.size, scores };
}
