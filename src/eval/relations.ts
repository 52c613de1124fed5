/**
 * The discriminator's report on a held-out build (docs/evaluation.md, "Classifier"): the stored model
 * labels the gold pairs whose two words are held-out test words (a lexical split: the model never
 * saw either word), with the paper's gate applied; beside it, the same model family trained on a
 * random pair split (labelled as such), and on single-word features (the memorisation check).
 */
import { classifierReport, type ClassifierReport } from './metrics.js';
import type { GoldPair } from './gold.js';
import type { DerivationPair } from './derivations.js';
import { candidateLookup, float32Of, loadArtifact, termIdLookup, type Db } from '../store/index.js';
import type { RelationLabel } from '../types.js';
import { hashUnit } from '../util/random.js';
import { FEATURE_GROUPS, featureLayout } from '../relations/features.js';
import { DEFAULT_GATE, gatedLabel, LABEL_OF_CODE, relatedOnly } from '../relations/gate.js';
import { CLASS_COUNT, modelFromArtifact, UNRELATED, type RelationModel } from '../relations/model.js';
import { PairScorer } from '../relations/score.js';
import { DEFAULT_DISABLED_GROUPS, RELATIONS_ARTIFACT, TRAINING_DROPOUT, trainBuildModel } from '../relations/build-model.js';
import { rowOfTerm, type TermTable } from '../relations/term-table.js';
import { trainRelationModel } from '../relations/train.js';
import { featurize, labelledPairs, sample, stack, unrelatedCandidates, type MayLearnFrom, type PairList, type TrainingSource } from '../relations/training-data.js';
import { loadTermTable, storedTrainingSource } from '../pipeline/index.js';

const CODE: Record<RelationLabel, number> = { synonym: 0, antonym: 1, 'co-hyponym': 2 };

/** The held-out words a report is computed on: dev chooses defaults, test is read once per reported figure. */
export type HeldOutSplit = 'dev' | 'test';

export interface RelationVerdicts {
  gated: ClassifierReport;
  argmax: ClassifierReport;
}

/** Labels pairs known to be related (renormalised over the three relations), gated and by argmax. */
export function judgePairs(model: RelationModel, table: TermTable, pairs: PairList, gate = DEFAULT_GATE): RelationVerdicts {
  const scorer = new PairScorer(model, table);
  const probs = new Float32Array(pairs.n * CLASS_COUNT);
  scorer.scoreRows(pairs.a, pairs.b, pairs.n, probs);
  const p3 = new Float32Array(3);
  const gold: RelationLabel[] = [];
  const gated: RelationLabel[] = [];
  const argmax: RelationLabel[] = [];
  for (let i = 0; i < pairs.n; i++) {
    relatedOnly(probs, CLASS_COUNT * i, p3, 0, CLASS_COUNT, UNRELATED);
    gold.push(LABEL_OF_CODE[pairs.y[i]]);
    gated.push(LABEL_OF_CODE[gatedLabel(p3, 0, gate)]);
    argmax.push(LABEL_OF_CODE[gatedLabel(p3, 0, 0)]);
  }
  return { gated: classifierReport(gold, gated), argmax: classifierReport(gold, argmax) };
}

/** Gold pairs of one split whose two words have embeddings, as table rows. */
export function goldPairRows(db: Db, table: TermTable, pairs: readonly GoldPair[], split: HeldOutSplit): PairList {
  const idOf = termIdLookup(db);
  const rows: [number, number, number][] = [];
  for (const p of pairs) {
    if (p.split !== split) continue;
    const ra = rowOfTerm(table, idOf(p.a) ?? -1);
    const rb = rowOfTerm(table, idOf(p.b) ?? -1);
    if (ra >= 0 && rb >= 0) rows.push([ra, rb, CODE[p.label]]);
  }
  const out = { a: new Int32Array(rows.length), b: new Int32Array(rows.length), y: new Uint8Array(rows.length), n: rows.length };
  rows.forEach(([a, b, y], i) => {
    out.a[i] = a;
    out.b[i] = b;
    out.y[i] = y;
  });
  return out;
}

function subset(pairs: PairList, keep: (i: number) => boolean): PairList {
  const idx: number[] = [];
  for (let i = 0; i < pairs.n; i++) if (keep(i)) idx.push(i);
  return { a: Int32Array.from(idx, (i) => pairs.a[i]), b: Int32Array.from(idx, (i) => pairs.b[i]), y: Uint8Array.from(idx, (i) => pairs.y[i]), n: idx.length };
}

/**
 * The random-split figure the paper reports: the build's labelled pairs (and unrelated candidates)
 * split 80 / 20 by a seeded hash of the pair, so the two sides share words. Not comparable with
 * the lexical figure; reported beside it to show how much the split flatters.
 */
export async function randomSplitReport(source: TrainingSource, table: TermTable, seed: number): Promise<RelationVerdicts & { trainPairs: number; testPairs: number }> {
  const layout = featureLayout('pair', table.dims);
  const labelled = labelledPairs(source.labelledRows(), table);
  const unrelated = unrelatedCandidates(source.candidateKeys(), table, labelled);
  const side = (pairs: PairList, i: number): number => {
    const u = hashUnit(`${pairs.a[i]},${pairs.b[i]}`, seed ^ 0x4a4d);
    return u < 0.2 ? 2 : u < 0.3 ? 1 : 0; // 2: test, 1: calibration, 0: train
  };
  const pick = (pairs: PairList, want: number): number[] => {
    const out: number[] = [];
    for (let i = 0; i < pairs.n; i++) if (side(pairs, i) === want) out.push(i);
    return out;
  };
  const trainLabelled = pick(labelled, 0);
  const train = stack(
    [
      featurize(layout, table, labelled, Int32Array.from(trainLabelled), { ...TRAINING_DROPOUT, seed }),
      featurize(layout, table, unrelated, Int32Array.from(sample(pick(unrelated, 0), trainLabelled.length, seed)), { ...TRAINING_DROPOUT, seed: seed + 1 }),
    ],
    layout.width,
  );
  const calibration = stack([featurize(layout, table, labelled, Int32Array.from(pick(labelled, 1))), featurize(layout, table, unrelated, Int32Array.from(sample(pick(unrelated, 1), 50_000, seed)))], layout.width);
  const { model } = await trainRelationModel(layout, train, calibration, { seed });
  const test = subset(labelled, (i) => side(labelled, i) === 2);
  return { ...judgePairs(model, table, test), trainPairs: trainLabelled.length, testPairs: test.n };
}

/** What the gated model makes of held-out derivation pairs (related words, never synonyms). */
export interface DerivationConfusion {
  /** Derivation pairs of two words of the split, both embedded. */
  pairs: number;
  /**
   * Gated as the relations stage gates a candidate pair, on the model's own probabilities: kept
   * as a synonym edge (P(synonym) >= gate), an antonym cannot-link, or neither.
   */
  gated: { synonym: number; antonym: number; none: number; synonymShare: number };
  /**
   * Gated as the confusion matrix reads gold pairs: probabilities renormalised over the three
   * relations (the pair is known to be related), so a model that is merely unsure whether the
   * words are related cannot hide a synonym-over-co-hyponym preference behind P(unrelated).
   */
  asRelation: { synonym: number; antonym: number; cohyponym: number; synonymShare: number };
  /** The same for the pairs that are candidates (the ones a build actually scores). */
  candidates: { pairs: number; gatedSynonym: number; asRelationSynonym: number };
}

/**
 * Scores held-out derivation pairs with the stored model, both as the relations stage scores a
 * candidate pair and as the confusion matrix scores a related pair, and counts the synonym verdicts.
 */
export function derivationConfusion(db: Db, model: RelationModel, table: TermTable, derivations: readonly DerivationPair[], split: HeldOutSplit, gate: number): DerivationConfusion {
  const idOf = termIdLookup(db);
  const isCandidate = candidateLookup(db);
  const a: number[] = [];
  const b: number[] = [];
  const candidate: boolean[] = [];
  for (const p of derivations) {
    if (p.split !== split) continue;
    const ia = idOf(p.a);
    const ib = idOf(p.b);
    const ra = rowOfTerm(table, ia ?? -1);
    const rb = rowOfTerm(table, ib ?? -1);
    if (ra < 0 || rb < 0) continue;
    a.push(ra);
    b.push(rb);
    candidate.push(isCandidate(ia as number, ib as number));
  }
  const n = a.length;
  const probs = new Float32Array(n * CLASS_COUNT);
  new PairScorer(model, table).scoreRows(Int32Array.from(a), Int32Array.from(b), n, probs);
  const out: DerivationConfusion = {
    pairs: n,
    gated: { synonym: 0, antonym: 0, none: 0, synonymShare: 0 },
    asRelation: { synonym: 0, antonym: 0, cohyponym: 0, synonymShare: 0 },
    candidates: { pairs: 0, gatedSynonym: 0, asRelationSynonym: 0 },
  };
  const p3 = new Float32Array(3);
  for (let i = 0; i < n; i++) {
    const raw = gatedLabel(probs, CLASS_COUNT * i, gate);
    if (raw === 0) out.gated.synonym++;
    else if (raw === 1) out.gated.antonym++;
    else out.gated.none++;
    relatedOnly(probs, CLASS_COUNT * i, p3, 0, CLASS_COUNT, UNRELATED);
    const related = gatedLabel(p3, 0, gate);
    if (related === 0) out.asRelation.synonym++;
    else if (related === 1) out.asRelation.antonym++;
    else out.asRelation.cohyponym++;
    if (candidate[i]) {
      out.candidates.pairs++;
      if (raw === 0) out.candidates.gatedSynonym++;
      if (related === 0) out.candidates.asRelationSynonym++;
    }
  }
  out.gated.synonymShare = n === 0 ? 0 : out.gated.synonym / n;
  out.asRelation.synonymShare = n === 0 ? 0 : out.asRelation.synonym / n;
  return out;
}

export interface RelationsEvaluation {
  split: 'lexical';
  /** Which held-out words: `test` for reported figures, `dev` for choosing defaults. */
  heldOut: HeldOutSplit;
  gate: number;
  pairs: number;
  macroF1: number;
  perClass: ClassifierReport['perClass'];
  confusion: ClassifierReport['confusion'];
  synonymAntonymConfusion: ClassifierReport['synonymAntonymConfusion'];
  accuracy: number;
  argmax: { macroF1: number; perClass: ClassifierReport['perClass']; confusion: ClassifierReport['confusion'] };
  randomSplitMacroF1: number | null;
  randomSplit?: { macroF1: number; argmaxMacroF1: number; trainPairs: number; testPairs: number };
  singleWordBaselineMacroF1: number | null;
  singleWordBaseline?: { macroF1: number; argmaxMacroF1: number };
  ablation?: Record<string, { macroF1: number; argmaxMacroF1: number; f1: Record<RelationLabel, number> }>;
  /** Held-out KeNet derivation pairs (both words in the split): how many the gated model keeps. */
  derivations: DerivationConfusion | null;
  training: unknown;
}

export interface RelationsEvaluationOptions {
  seed: number;
  /** Also train the random-split and single-word models (tens of seconds each). Default true. */
  diagnostics?: boolean;
  /** Train one model per switched-off feature group. */
  ablation?: boolean;
  /** Held-out words to score on (default `test`); defaults are chosen on `dev` (EVALUATION.md). */
  split?: HeldOutSplit;
  /** KeNet derivation pairs with their split (`derivationPairs`), for the derivation confusion. */
  derivations?: readonly DerivationPair[];
  /** Words the retrained models may mine training pairs from: the build's train-split words. */
  mayLearnFrom?: MayLearnFrom;
}

/** The `relations` section of `synograph eval --db` (a held-out build with a relations stage). */
export async function evaluateRelations(db: Db, goldPairs: readonly GoldPair[], options: RelationsEvaluationOptions): Promise<RelationsEvaluation | null> {
  const artifact = loadArtifact(db, RELATIONS_ARTIFACT);
  if (!artifact) return null;
  const model = modelFromArtifact(artifact.meta, artifact.parts, float32Of);
  const gate = typeof artifact.meta.gate === 'number' ? artifact.meta.gate : DEFAULT_GATE;
  const table = loadTermTable(db);
  const source = storedTrainingSource(db);
  const heldOut = options.split ?? 'test';
  const pairs = goldPairRows(db, table, goldPairs, heldOut);
  const main = judgePairs(model, table, pairs, gate);
  const out: RelationsEvaluation = {
    split: 'lexical',
    heldOut,
    gate,
    pairs: pairs.n,
    macroF1: main.gated.macroF1,
    perClass: main.gated.perClass,
    confusion: main.gated.confusion,
    synonymAntonymConfusion: main.gated.synonymAntonymConfusion,
    accuracy: main.gated.accuracy,
    argmax: { macroF1: main.argmax.macroF1, perClass: main.argmax.perClass, confusion: main.argmax.confusion },
    randomSplitMacroF1: null,
    singleWordBaselineMacroF1: null,
    derivations: options.derivations ? derivationConfusion(db, model, table, options.derivations, heldOut, gate) : null,
    training: artifact.meta.training ?? null,
  };
  if (options.diagnostics !== false) {
    const random = await randomSplitReport(source, table, options.seed);
    out.randomSplitMacroF1 = random.gated.macroF1;
    out.randomSplit = { macroF1: random.gated.macroF1, argmaxMacroF1: random.argmax.macroF1, trainPairs: random.trainPairs, testPairs: random.testPairs };
    const single = await trainBuildModel(source, table, options.seed, { kind: 'singleWord', data: { mayLearnFrom: options.mayLearnFrom } });
    const singleVerdicts = judgePairs(single.model, table, pairs, gate);
    out.singleWordBaselineMacroF1 = singleVerdicts.gated.macroF1;
    out.singleWordBaseline = { macroF1: singleVerdicts.gated.macroF1, argmaxMacroF1: singleVerdicts.argmax.macroF1 };
  }
  if (options.ablation) {
    out.ablation = {};
    // The default (DEFAULT_DISABLED_GROUPS), then each group toggled: removed when on, put back when off.
    const variants: [string, readonly string[]][] = [['default', DEFAULT_DISABLED_GROUPS]];
    for (const group of FEATURE_GROUPS) {
      const off = DEFAULT_DISABLED_GROUPS.includes(group);
      variants.push([off ? `+${group}` : `-${group}`, off ? DEFAULT_DISABLED_GROUPS.filter((g) => g !== group) : [...DEFAULT_DISABLED_GROUPS, group]]);
    }
    for (const [name, disabled] of variants) {
      const trained = await trainBuildModel(source, table, options.seed, { disabledGroups: disabled, data: { mayLearnFrom: options.mayLearnFrom } });
      const v = judgePairs(trained.model, table, pairs, gate);
      const pc = v.gated.perClass;
      out.ablation[name] = { macroF1: v.gated.macroF1, argmaxMacroF1: v.argmax.macroF1, f1: { synonym: pc.synonym.f1, antonym: pc.antonym.f1, 'co-hyponym': pc.cohyponym.f1 } };
    }
  }
  return out;
}
