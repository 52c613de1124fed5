/**
 * Evaluation metrics over plain data (see docs/evaluation.md).
 *
 * Every function here is pure: terms are already-normalised strings, clusterings are
 * `Cluster[]` (possibly overlapping, e.g. gold synsets), and nothing reads the store.
 * Convention throughout: a ratio whose denominator is 0 is reported as 0 (never NaN), so
 * that empty systems or empty lexicons give well-formed JSON and score nothing.
 */

import type { Cluster, RelationLabel } from '../types.js';

const PAIR_SEP = '\u0000';

/** 0/0 (and x/0) is defined as 0: an empty side scores nothing instead of producing NaN. */
function ratio(num: number, den: number): number {
  return den === 0 ? 0 : num / den;
}

/** Harmonic mean, 0 when both are 0. */
function harmonic(p: number, r: number): number {
  return p + r === 0 ? 0 : (2 * p * r) / (p + r);
}

/** Canonical key of the unordered pair {a, b}: smaller string (plain `<`) first. */
export function pairKey(a: string, b: string): string {
  return a < b ? a + PAIR_SEP + b : b + PAIR_SEP + a;
}

/** Distinct members of a cluster (members should already be unique; this guards against repeats). */
function distinctMembers(cluster: Cluster): string[] {
  return [...new Set(cluster.members)];
}

/** Distinct members of a cluster that are in the lexicon. */
function restrict(cluster: Cluster, lexicon: ReadonlySet<string>): string[] {
  return distinctMembers(cluster).filter((w) => lexicon.has(w));
}

/**
 * Pairs(clustering) restricted to the lexicon: every unordered pair {a, b}, a != b, of words
 * sharing a cluster, both in `lexicon`. Overlapping clusters contribute the union of their pairs.
 * `sizeCap`: a cluster with more than `sizeCap` distinct members, counted BEFORE the lexicon
 * restriction, is dropped entirely (the cap judges the cluster the system produced, not its
 * visible part).
 */
export function clusterPairs(
  clusters: readonly Cluster[],
  lexicon: ReadonlySet<string>,
  sizeCap?: number,
): Set<string> {
  const pairs = new Set<string>();
  for (const cluster of clusters) {
    const members = distinctMembers(cluster);
    if (sizeCap !== undefined && members.length > sizeCap) continue;
    const inLex = members.filter((w) => lexicon.has(w));
    for (let i = 0; i < inLex.length; i++) {
      for (let j = i + 1; j < inLex.length; j++) pairs.add(pairKey(inLex[i], inLex[j]));
    }
  }
  return pairs;
}

export interface PairedScores {
  precision: number;
  recall: number;
  pairedF1: number;
  tp: number;
  fp: number;
  fn: number;
  systemPairs: number;
  goldPairs: number;
}

/**
 * Watset paired scores: S = Pairs(system), G = Pairs(gold), both restricted to the lexicon
 * (and both capped by `sizeCap` when given). TP = |S ∩ G|, FP = |S \ G|, FN = |G \ S|.
 * P = TP / |S|, R = TP / |G|, F1 = harmonic mean; each is 0 when its denominator is 0.
 */
export function pairedScores(
  system: readonly Cluster[],
  gold: readonly Cluster[],
  lexicon: ReadonlySet<string>,
  sizeCap?: number,
): PairedScores {
  const s = clusterPairs(system, lexicon, sizeCap);
  const g = clusterPairs(gold, lexicon, sizeCap);
  let tp = 0;
  for (const key of s) if (g.has(key)) tp++;
  const fp = s.size - tp;
  const fn = g.size - tp;
  const precision = ratio(tp, s.size);
  const recall = ratio(tp, g.size);
  return {
    precision,
    recall,
    pairedF1: harmonic(precision, recall),
    tp,
    fp,
    fn,
    systemPairs: s.size,
    goldPairs: g.size,
  };
}

export interface PurityScores {
  nmPU: number;
  niPU: number;
  f1: number;
}

/** Word -> indices of the clusters holding it, so overlaps cost O(|members|), not O(|clusters|). */
function clusterIndex(clusters: readonly (readonly string[])[]): Map<string, number[]> {
  const index = new Map<string, number[]>();
  clusters.forEach((members, i) => {
    for (const w of new Set(members)) {
      const list = index.get(w);
      if (list) list.push(i);
      else index.set(w, [i]);
    }
  });
  return index;
}

/** Largest overlap of `members` with any indexed cluster (0 when there is none). */
function maxOverlap(members: readonly string[], index: ReadonlyMap<string, readonly number[]>): number {
  const overlap = new Map<number, number>();
  let best = 0;
  for (const w of new Set(members)) {
    for (const i of index.get(w) ?? []) {
      const n = (overlap.get(i) ?? 0) + 1;
      overlap.set(i, n);
      if (n > best) best = n;
    }
  }
  return best;
}

/**
 * Normalised modified purity / normalised inverse purity (Kawahara et al. 2014, as used by Watset).
 *
 * Both clusterings are first restricted to lexicon words (empty clusters vanish). Then:
 *   nmPU = (1 / N_s) * Σ_{c ∈ system, |c| > 1} max_{g ∈ gold} |c ∩ g|
 *   niPU = (1 / N_g) * Σ_{g ∈ gold}            max_{c ∈ system} |g ∩ c|
 *   f1   = 2 · nmPU · niPU / (nmPU + niPU)
 * where N_s = distinct lexicon words in the (restricted) system clustering, singletons included,
 * and N_g = distinct lexicon words in the (restricted) gold. Excluding system singletons from
 * the numerator but not from N_s is what makes the purity "modified": a system cannot score
 * by emitting singletons. "|c| > 1" is judged after the lexicon restriction.
 * With overlapping clusters (gold synsets sharing a word) the sums can count a word more than
 * once, so the scores are not bounded by 1 in that case; this matches the formula as written.
 * A zero N gives 0.
 */
export function purity(
  system: readonly Cluster[],
  gold: readonly Cluster[],
  lexicon: ReadonlySet<string>,
): PurityScores {
  const sys = system.map((c) => restrict(c, lexicon)).filter((m) => m.length > 0);
  const gld = gold.map((c) => restrict(c, lexicon)).filter((m) => m.length > 0);
  const sysIndex = clusterIndex(sys);
  const gldIndex = clusterIndex(gld);
  const nSys = new Set(sys.flat()).size;
  const nGold = new Set(gld.flat()).size;

  let pu = 0;
  for (const c of sys) if (c.length > 1) pu += maxOverlap(c, gldIndex);
  let ipu = 0;
  for (const g of gld) ipu += maxOverlap(g, sysIndex);

  const nmPU = ratio(pu, nSys);
  const niPU = ratio(ipu, nGold);
  return { nmPU, niPU, f1: harmonic(nmPU, niPU) };
}

export interface IntrusionScores {
  /** Distinct pairs (a != b) with both words in the lexicon. */
  pairs: number;
  /** Of those, pairs whose two words share at least one cluster. */
  intruded: number;
  rate: number;
}

/**
 * Intrusion of gold non-synonym pairs (antonyms, co-hyponyms) into the system's clusters.
 * Pairs are de-duplicated as unordered pairs and self-pairs are ignored, so a pair listed
 * twice (or in both orders) counts once.
 */
export function intrusion(
  system: readonly Cluster[],
  pairs: readonly (readonly [string, string])[],
  lexicon: ReadonlySet<string>,
): IntrusionScores {
  // word -> indices of the clusters containing it (a list because clusters may overlap)
  const clustersOf = new Map<string, number[]>();
  system.forEach((cluster, idx) => {
    for (const w of new Set(cluster.members)) {
      const list = clustersOf.get(w);
      if (list) list.push(idx);
      else clustersOf.set(w, [idx]);
    }
  });

  const seen = new Set<string>();
  let intruded = 0;
  for (const [a, b] of pairs) {
    if (a === b || !lexicon.has(a) || !lexicon.has(b)) continue;
    const key = pairKey(a, b);
    if (seen.has(key)) continue;
    seen.add(key);
    const ca = clustersOf.get(a);
    const cb = clustersOf.get(b);
    if (ca && cb && ca.some((i) => cb.includes(i))) intruded++;
  }
  return { pairs: seen.size, intruded, rate: ratio(intruded, seen.size) };
}

export type SizeBucket = '1' | '2' | '3-5' | '6-10' | '11-20' | '21-50' | '51-150' | '>150';
export type SizeHistogram = Record<SizeBucket, number>;

const SIZE_BUCKETS: readonly (readonly [SizeBucket, number])[] = [
  ['1', 1],
  ['2', 2],
  ['3-5', 5],
  ['6-10', 10],
  ['11-20', 20],
  ['21-50', 50],
  ['51-150', 150],
];

function bucketOf(size: number): SizeBucket {
  for (const [name, upper] of SIZE_BUCKETS) if (size <= upper) return name;
  return '>150';
}

/** Count of clusters per size bucket (size = distinct members; empty clusters are not counted). */
export function sizeHistogram(clusters: readonly Cluster[]): SizeHistogram {
  const hist: SizeHistogram = {
    '1': 0,
    '2': 0,
    '3-5': 0,
    '6-10': 0,
    '11-20': 0,
    '21-50': 0,
    '51-150': 0,
    '>150': 0,
  };
  for (const cluster of clusters) {
    const size = new Set(cluster.members).size;
    if (size > 0) hist[bucketOf(size)]++;
  }
  return hist;
}

export interface CoverageReport {
  /** Distinct terms in at least one cluster of >= 2 members. */
  clusteredTerms: number;
  /** Vocabulary size (the denominator). */
  terms: number;
  /** clusteredTerms / terms (0 for an empty vocabulary). */
  coverage: number;
  /** Vocabulary terms left alone: terms - clusteredTerms (whether or not emitted as 1-member clusters). */
  singletons: number;
  /** Number of clusters with >= 2 members. */
  clusters: number;
}

export function coverage(clusters: readonly Cluster[], vocabularySize: number): CoverageReport {
  const clustered = new Set<string>();
  let multi = 0;
  for (const cluster of clusters) {
    const members = distinctMembers(cluster);
    if (members.length < 2) continue;
    multi++;
    for (const w of members) clustered.add(w);
  }
  return {
    clusteredTerms: clustered.size,
    terms: vocabularySize,
    coverage: ratio(clustered.size, vocabularySize),
    singletons: Math.max(0, vocabularySize - clustered.size),
    clusters: multi,
  };
}

/**
 * The one lexicon L of a run (docs/evaluation.md): held-out words that the gold describes, and, when
 * the systems clustered a given vocabulary (a build's term list), that are in it. L never depends
 * on what a system chose to cluster: a word a system left alone is its singleton, so a cautious
 * system pays in recall for what it did not cluster instead of shrinking the lexicon to the few
 * words it was sure of (which let a system that clustered two words score F1 = 1).
 */
export function evaluationLexicon(
  heldOutWords: ReadonlySet<string>,
  goldWords: ReadonlySet<string>,
  vocabulary?: ReadonlySet<string>,
): Set<string> {
  const lexicon = new Set<string>();
  for (const w of heldOutWords) if (goldWords.has(w) && (!vocabulary || vocabulary.has(w))) lexicon.add(w);
  return lexicon;
}

/** Words of `lexicon` that share a cluster of >= 2 distinct lexicon-or-not members with some other word. */
export function lexiconCoverage(clusters: readonly Cluster[], lexicon: ReadonlySet<string>): { clustered: number; lexicon: number; coverage: number } {
  const clustered = new Set<string>();
  for (const cluster of clusters) {
    const members = distinctMembers(cluster);
    if (members.length < 2) continue;
    for (const w of members) if (lexicon.has(w)) clustered.add(w);
  }
  return { clustered: clustered.size, lexicon: lexicon.size, coverage: ratio(clustered.size, lexicon.size) };
}

export interface ClassMetrics {
  precision: number;
  recall: number;
  f1: number;
  /** Number of gold items of this class. */
  support: number;
}

export interface ClassifierReport {
  perClass: { synonym: ClassMetrics; antonym: ClassMetrics; cohyponym: ClassMetrics };
  /** Unweighted mean of per-class F1 over `labels`. */
  macroF1: number;
  accuracy: number;
  /** matrix[i][j] = items with gold labels[i] predicted as labels[j]. */
  confusion: { labels: RelationLabel[]; matrix: number[][] };
  /** The two confusions that matter most for a thesaurus (raw counts). */
  synonymAntonymConfusion: { synonymAsAntonym: number; antonymAsSynonym: number };
}

const DEFAULT_LABELS: readonly RelationLabel[] = ['synonym', 'antonym', 'co-hyponym'];

/**
 * Three-way classifier report. `labels` fixes the confusion-matrix order and the classes
 * averaged by macro-F1; every gold and predicted label must be one of them.
 */
export function classifierReport(
  gold: readonly RelationLabel[],
  predicted: readonly RelationLabel[],
  labels: readonly RelationLabel[] = DEFAULT_LABELS,
): ClassifierReport {
  if (gold.length !== predicted.length) {
    throw new Error(
      `classifierReport: gold has ${gold.length} labels but predicted has ${predicted.length}`,
    );
  }
  const index = new Map<RelationLabel, number>(labels.map((l, i) => [l, i]));
  const matrix = labels.map(() => labels.map(() => 0));
  for (let k = 0; k < gold.length; k++) {
    const gi = index.get(gold[k]);
    const pi = index.get(predicted[k]);
    if (gi === undefined || pi === undefined) {
      throw new Error(
        `classifierReport: item ${k} has label "${gi === undefined ? gold[k] : predicted[k]}" not in [${labels.join(', ')}]`,
      );
    }
    matrix[gi][pi]++;
  }

  const metricsFor = (label: RelationLabel): ClassMetrics => {
    const i = index.get(label);
    if (i === undefined) return { precision: 0, recall: 0, f1: 0, support: 0 };
    const tp = matrix[i][i];
    const support = matrix[i].reduce((s, v) => s + v, 0);
    const predictedCount = matrix.reduce((s, row) => s + row[i], 0);
    const precision = ratio(tp, predictedCount);
    const recall = ratio(tp, support);
    return { precision, recall, f1: harmonic(precision, recall), support };
  };

  const correct = labels.reduce((s, _l, i) => s + matrix[i][i], 0);
  const count = (g: RelationLabel, p: RelationLabel): number => {
    const gi = index.get(g);
    const pi = index.get(p);
    return gi === undefined || pi === undefined ? 0 : matrix[gi][pi];
  };

  return {
    perClass: {
      synonym: metricsFor('synonym'),
      antonym: metricsFor('antonym'),
      cohyponym: metricsFor('co-hyponym'),
    },
    macroF1: ratio(
      labels.reduce((s, l) => s + metricsFor(l).f1, 0),
      labels.length,
    ),
    accuracy: ratio(correct, gold.length),
    confusion: { labels: [...labels], matrix },
    synonymAntonymConfusion: {
      synonymAsAntonym: count('synonym', 'antonym'),
      antonymAsSynonym: count('antonym', 'synonym'),
    },
  };
}
