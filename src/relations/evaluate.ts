/**
 * The discriminator's report on a held-out build (docs/evaluation.md, "Classifier"): the stored model
 * labels the gold pairs whose two words are held-out test words (a lexical split: the model never
 * saw either word), with the paper's gate applied; beside it, the same model family trained on a
 * random pair split (labelled as such), and on single-word features (the memorisation check).
 */
import { classifierReport, type ClassifierReport } from '../eval/metrics.js';
import type { GoldPair } from '../eval/gold.js';
import { float32Of, loadArtifact } from '../store/artifacts.js';
import type { Db } from '../store/db.js';
import type { RelationLabel } from '../types.js';
import { hashUnit } from '../util/random.js';
import { featureLayout, type FeatureGroup } from './features.js';
import { DEFAULT_GATE, gatedLabel, LABEL_OF_CODE, relatedOnly } from './gate.js';
import { modelFromArtifact, type RelationModel } from './model.js';
import { PairScorer } from './score.js';
import { RELATIONS_ARTIFACT, trainBuildModel } from './stage.js';
import { loadTermTable, rowOfTerm, type TermTable } from './term-table.js';
import { trainRelationModel } from './train.js';
import { featurize, labelledPairs, sample, stack, unrelatedCandidates, type PairList } from './training-data.js';

const CODE: Record<RelationLabel, number> = { synonym: 0, antonym: 1, 'co-hyponym': 2 };

export interface RelationVerdicts {
  gated: ClassifierReport;
  argmax: ClassifierReport;
}

/** Labels pairs known to be related (renormalised over the three relations), gated and by argmax. */
export function judgePairs(model: RelationModel, table: TermTable, pairs: PairList, gate = DEFAULT_GATE): RelationVerdicts {
  const scorer = new PairScorer(model, table);
  const p4 = new Float32Array(pairs.n * 4);
  scorer.scoreRows(pairs.a, pairs.b, pairs.n, p4);
  const p3 = new Float32Array(3);
  const gold: RelationLabel[] = [];
  const gated: RelationLabel[] = [];
  const argmax: RelationLabel[] = [];
  for (let i = 0; i < pairs.n; i++) {
    relatedOnly(p4, 4 * i, p3, 0);
    gold.push(LABEL_OF_CODE[pairs.y[i]]);
    gated.push(LABEL_OF_CODE[gatedLabel(p3, 0, gate)]);
    argmax.push(LABEL_OF_CODE[gatedLabel(p3, 0, 0)]);
  }
  return { gated: classifierReport(gold, gated), argmax: classifierReport(gold, argmax) };
}

/** Gold pairs of one split whose two words have embeddings, as table rows. */
export function goldPairRows(db: Db, table: TermTable, pairs: readonly GoldPair[], split: 'test' | 'dev'): PairList {
  const idOf = db.prepare('SELECT id FROM terms WHERE norm = ?').pluck();
  const rows: [number, number, number][] = [];
  for (const p of pairs) {
    if (p.split !== split) continue;
    const ra = rowOfTerm(table, (idOf.get(p.a) as number | undefined) ?? -1);
    const rb = rowOfTerm(table, (idOf.get(p.b) as number | undefined) ?? -1);
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
export async function randomSplitReport(db: Db, table: TermTable, seed: number): Promise<RelationVerdicts & { trainPairs: number; testPairs: number }> {
  const layout = featureLayout('pair', table.dims);
  const labelled = labelledPairs(db, table);
  const unrelated = unrelatedCandidates(db, table, labelled);
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
    [featurize(layout, table, labelled, Int32Array.from(trainLabelled), 0.5, seed), featurize(layout, table, unrelated, Int32Array.from(sample(pick(unrelated, 0), trainLabelled.length, seed)), 0.5, seed + 1)],
    layout.width,
  );
  const calibration = stack([featurize(layout, table, labelled, Int32Array.from(pick(labelled, 1))), featurize(layout, table, unrelated, Int32Array.from(sample(pick(unrelated, 1), 50_000, seed)))], layout.width);
  const { model } = await trainRelationModel(layout, train, calibration, { seed });
  const test = subset(labelled, (i) => side(labelled, i) === 2);
  return { ...judgePairs(model, table, test), trainPairs: trainLabelled.length, testPairs: test.n };
}

export interface RelationsEvaluation {
  split: 'lexical';
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
  ablation?: Record<string, { macroF1: number; argmaxMacroF1: number }>;
  training: unknown;
}

export interface RelationsEvaluationOptions {
  seed: number;
  /** Held-out split scored: `test` for a reported figure, `dev` while choosing defaults. Default test. */
  split?: 'test' | 'dev';
  /** Also train the random-split and single-word models (tens of seconds each). Default true. */
  diagnostics?: boolean;
  /** Train one model per switched-off feature group. */
  ablation?: boolean;
}

/** The `relations` section of `synograph eval --db` (a held-out build with a relations stage). */
export async function evaluateRelations(db: Db, goldPairs: readonly GoldPair[], options: RelationsEvaluationOptions): Promise<RelationsEvaluation | null> {
  const artifact = loadArtifact(db, RELATIONS_ARTIFACT);
  if (!artifact) return null;
  const model = modelFromArtifact(artifact.meta, artifact.parts, float32Of);
  const gate = typeof artifact.meta.gate === 'number' ? artifact.meta.gate : DEFAULT_GATE;
  const table = loadTermTable(db);
  const test = goldPairRows(db, table, goldPairs, options.split ?? 'test');
  const main = judgePairs(model, table, test, gate);
  const out: RelationsEvaluation = {
    split: 'lexical',
    gate,
    pairs: test.n,
    macroF1: main.gated.macroF1,
    perClass: main.gated.perClass,
    confusion: main.gated.confusion,
    synonymAntonymConfusion: main.gated.synonymAntonymConfusion,
    accuracy: main.gated.accuracy,
    argmax: { macroF1: main.argmax.macroF1, perClass: main.argmax.perClass, confusion: main.argmax.confusion },
    randomSplitMacroF1: null,
    singleWordBaselineMacroF1: null,
    training: artifact.meta.training ?? null,
  };
  if (options.diagnostics !== false) {
    const random = await randomSplitReport(db, table, options.seed);
    out.randomSplitMacroF1 = random.gated.macroF1;
    out.randomSplit = { macroF1: random.gated.macroF1, argmaxMacroF1: random.argmax.macroF1, trainPairs: random.trainPairs, testPairs: random.testPairs };
    const single = await trainBuildModel(db, table, options.seed, { kind: 'singleWord' });
    const singleVerdicts = judgePairs(single.model, table, test, gate);
    out.singleWordBaselineMacroF1 = singleVerdicts.gated.macroF1;
    out.singleWordBaseline = { macroF1: singleVerdicts.gated.macroF1, argmaxMacroF1: singleVerdicts.argmax.macroF1 };
  }
  if (options.ablation) {
    out.ablation = {};
    // The default leaves the product block out (DEFAULT_DISABLED_GROUPS); each variant removes one more group, or puts it back.
    const variants: [string, FeatureGroup[]][] = [
      ['default', ['product']],
      ['+product', []],
      ['-cosine', ['product', 'embedding']],
      ['-region', ['product', 'region']],
      ['-morphology', ['product', 'morphology']],
      ['-dictionary', ['product', 'dictionary']],
    ];
    for (const [name, disabled] of variants) {
      const trained = await trainBuildModel(db, table, options.seed, { disabledGroups: disabled });
      const v = judgePairs(trained.model, table, test, gate);
      out.ablation[name] = { macroF1: v.gated.macroF1, argmaxMacroF1: v.argmax.macroF1 };
    }
  }
  return out;
}
