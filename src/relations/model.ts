/**
 * The relation model as plain data: a calibrated multinomial linear classifier over the pair
 * features, with standardisation and calibration folded into one weight matrix so scoring is a
 * single pass of multiply-adds per class (the 1M pairs/s budget).
 *
 * Classes: synonym, antonym, co-hyponym (the three relations of the contract), `unrelated`,
 * which the model needs because most candidate pairs are none of the three, and `derived`:
 * related words that are not synonyms because one is derived from the other (`albenisiz` /
 * `albenisizlik`, `tezyif` / `tezyif etmek`; issue 18: as a class of their own rather than
 * `unrelated`, 3.9% instead of 16.1% of dev derivation pairs read as synonyms, dev synonym precision
 * 0.752 instead of 0.685, macro-F1 0.434 instead of 0.459). P(synonym) is calibrated over all five,
 * so the 0.70 gate means what it says on candidate pairs. Where only the three relations are
 * possible (labelled pairs), probabilities are renormalised over them.
 */
import type { FeatureKind, FeatureLayout } from './features.js';
import { featureLayout } from './features.js';
import { SynographError } from '../errors.js';

export const MODEL_CLASSES = ['synonym', 'antonym', 'co-hyponym', 'unrelated', 'derived'] as const;
export const CLASS_COUNT = 5;
export const SYNONYM = 0;
export const ANTONYM = 1;
export const COHYPONYM = 2;
export const UNRELATED = 3;
export const DERIVED = 4;
/**
 * 2: five classes and the issue-18 features (a version 1 model cannot score them); 3: the issue-11
 * knowledge features; 4: translatedDerivation, and trained on dictionary-shared pairs as unrelated;
 * 5: the translatedRoots features, and difference cues for roots a dictionary gives one sense.
 */
export const RELATION_MODEL_VERSION = 5;

export interface RelationModel {
  version: number;
  kind: FeatureKind;
  dims: number;
  /** width x CLASS_COUNT, row-major by feature: standardisation and temperature folded in. */
  weights: Float32Array;
  bias: Float32Array;
  /** Calibration fitted on the validation words (recorded for the build report). */
  calibration: { temperature: number; classBias: number[] };
  /** Feature groups switched off (ablation); their columns have zero weight. */
  disabledGroups: string[];
}

export function layoutOf(model: RelationModel): FeatureLayout {
  return featureLayout(model.kind, model.dims);
}

/** Softmax over the class logits of one feature row; writes CLASS_COUNT probabilities. */
export function scoreRow(model: RelationModel, width: number, x: Float32Array, at: number, out: Float32Array, outAt: number): void {
  const w = model.weights;
  let l0 = model.bias[0];
  let l1 = model.bias[1];
  let l2 = model.bias[2];
  let l3 = model.bias[3];
  let l4 = model.bias[4];
  for (let f = 0, k = 0; f < width; f++, k += CLASS_COUNT) {
    const v = x[at + f];
    if (v === 0) continue;
    l0 += v * w[k];
    l1 += v * w[k + 1];
    l2 += v * w[k + 2];
    l3 += v * w[k + 3];
    l4 += v * w[k + 4];
  }
  softmax5(l0, l1, l2, l3, l4, out, outAt);
}

/** Softmax of five logits into out[at .. at + 4], stable for large logits. */
export function softmax5(l0: number, l1: number, l2: number, l3: number, l4: number, out: Float32Array, at: number): void {
  const m = Math.max(l0, l1, l2, l3, l4);
  const e0 = Math.exp(l0 - m);
  const e1 = Math.exp(l1 - m);
  const e2 = Math.exp(l2 - m);
  const e3 = Math.exp(l3 - m);
  const e4 = Math.exp(l4 - m);
  const s = e0 + e1 + e2 + e3 + e4;
  out[at] = e0 / s;
  out[at + 1] = e1 / s;
  out[at + 2] = e2 / s;
  out[at + 3] = e3 / s;
  out[at + 4] = e4 / s;
}

/** Serialisable form for the artifacts table. */
export function modelArtifact(model: RelationModel): { meta: Record<string, unknown>; parts: Record<string, ArrayBufferView> } {
  return {
    meta: { version: model.version, kind: model.kind, dims: model.dims, calibration: model.calibration, disabledGroups: model.disabledGroups, classes: MODEL_CLASSES },
    parts: { weights: model.weights, bias: model.bias },
  };
}

export function modelFromArtifact(meta: Record<string, unknown>, parts: Map<string, Buffer>, float32Of: (b: Buffer) => Float32Array): RelationModel {
  if (meta.version !== RELATION_MODEL_VERSION) throw new SynographError('store', `relation model version ${String(meta.version)} is not supported (expected ${RELATION_MODEL_VERSION}); rebuild the relations stage`);
  const weights = parts.get('weights');
  const bias = parts.get('bias');
  if (!weights || !bias) throw new SynographError('store', 'relation model artifact is incomplete: rebuild the relations stage');
  return {
    version: RELATION_MODEL_VERSION,
    kind: meta.kind as FeatureKind,
    dims: meta.dims as number,
    weights: float32Of(weights),
    bias: float32Of(bias),
    calibration: meta.calibration as RelationModel['calibration'],
    disabledGroups: (meta.disabledGroups as string[]) ?? [],
  };
}
