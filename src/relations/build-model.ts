/**
 * The build's discriminator: the builtin feature model trained on what the build may know (train
 * words), calibrated on the validation words, with the feature groups and dropout the default
 * model uses. The relations stage trains it once per build; evaluation retrains variants of it.
 */
import { featureLayout, type FeatureGroup, type FeatureKind } from './features.js';
import type { RelationModel } from './model.js';
import type { TermTable } from './term-table.js';
import { trainRelationModel, type TrainReport } from './train.js';
import { featurize, planTraining, stack, type PairList, type TrainingData, type TrainingSource } from './training-data.js';

/** The name the trained model is stored under with the build. */
export const RELATIONS_ARTIFACT = 'relations';
/**
 * Feature groups the default model leaves out, by measurement on a held-out build. The elementwise
 * product lowered lexical-split macro-F1 from 0.452 to 0.433 (issue 4 notes). The region (the
 * pair's mean vector) memorises where KeNet's synonyms sit rather than how two words relate: on
 * the dev split it adds nothing (macro-F1 0.402 with it, 0.399 without) but costs synonym precision
 * (0.769 against 0.870) and keeps more derivations as synonyms (1.9% against 1.5%); on a full build
 * it carried most of the model's wrong edges (issue 18). Without them scoring needs only the cosine.
 */
export const DEFAULT_DISABLED_GROUPS: readonly FeatureGroup[] = ['product', 'region'];
/** Share of training pairs whose dictionary evidence is hidden (see featurize). */
const DICTIONARY_DROPOUT = 0.5;
/** Share of training pairs scored as if a word had no evidence (see featurize). Dev macro-F1 with 0 / 0.1 / 0.2: 0.404 / 0.414 / 0.418. */
const EVIDENCE_DROPOUT = 0.2;
/** The dropout of the build's training pairs (seeded by the caller). */
export const TRAINING_DROPOUT = { dictionary: DICTIONARY_DROPOUT, evidence: EVIDENCE_DROPOUT } as const;

/** Trains the builtin model on the build's knowledge (train words), calibrated on the validation words. */
export async function trainBuildModel(
  source: TrainingSource,
  table: TermTable,
  seed: number,
  { kind = 'pair', disabledGroups = DEFAULT_DISABLED_GROUPS, extra = new Map(), data = {} }: { kind?: FeatureKind; disabledGroups?: readonly string[]; extra?: ReadonlyMap<string, number>; data?: TrainingData } = {},
): Promise<{ model: RelationModel; report: TrainReport; labelled: PairList; derivations: PairList }> {
  const layout = featureLayout(kind, table.dims);
  const plan = planTraining(source, table, seed, 1, extra, data);
  const pick = (xs: number[]): Int32Array => Int32Array.from(xs);
  const train = stack(
    [
      featurize(layout, table, plan.labelled, pick(plan.train.labelled), { ...TRAINING_DROPOUT, seed }),
      featurize(layout, table, plan.unrelated, pick(plan.train.unrelated), { ...TRAINING_DROPOUT, seed: seed + 1 }),
    ],
    layout.width,
  );
  const validation = stack(
    // Calibration pairs keep their definitions: hiding them here too raised the temperature (3.0 -> 4.9)
    // and cost 0.045 held-out macro-F1 (measured, issue 4 notes).
    [featurize(layout, table, plan.labelled, pick(plan.validation.labelled)), featurize(layout, table, plan.unrelated, pick(plan.validation.unrelated))],
    layout.width,
  );
  validation.weight = new Float32Array(validation.n).fill(1).fill(plan.validation.unrelatedWeight, plan.validation.labelled.length);
  const { model, report } = await trainRelationModel(layout, train, validation, { seed, disabledGroups });
  return { model, report, labelled: plan.knowledge, derivations: plan.derivations };
}
