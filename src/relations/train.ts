/**
 * Training the relation model with TensorFlow.js (tfjs-core's autograd and Adam, on the wasm
 * backend): a class-weighted multinomial logistic regression, then vector scaling (a temperature
 * and one bias per class) fitted on validation words the model never trained on, so that
 * probabilities are calibrated on unseen words, the situation every scored pair is in.
 *
 * Deterministic: zero initialisation (the loss is convex, so nothing is lost), a seeded
 * permutation per epoch, single-threaded wasm kernels.
 *
 * Converged, not stopped mid-walk: the learning rate falls linearly to zero over the run, so the
 * model is the loss's minimum rather than wherever Adam's last minibatches left it. With a constant
 * rate (0.02, 10 epochs) the weights of rare knowledge features swung by several logits with the
 * minibatch order alone, and a full build's gated model edges with them (185 / 446 / 228 for three
 * shuffle seeds); decayed from 0.01 over 20 epochs: 130 / 127 / 129, and held-out test macro-F1
 * 0.452 -> 0.465 (0.462 with another shuffle seed; issue 14 notes).
 */
import type * as TF from '@tensorflow/tfjs-core';
import { mulberry32 } from '../util/random.js';
import type { FeatureLayout } from './features.js';
import { CLASS_COUNT, RELATION_MODEL_VERSION, type RelationModel } from './model.js';
import { SynographError } from '../errors.js';

export interface LabelledMatrix {
  /** n x width, row-major. */
  x: Float32Array;
  /** Class per row, 0..3 (MODEL_CLASSES). */
  y: Uint8Array;
  n: number;
  /** Row weights (a subsample standing for more rows); 1 when absent. */
  weight?: Float32Array;
}

export interface TrainOptions {
  seed: number;
  epochs?: number;
  batchSize?: number;
  /** The starting rate; it falls linearly to zero over the run (see the header). */
  learningRate?: number;
  l2?: number;
  /** Feature groups to switch off (ablation). */
  disabledGroups?: readonly string[];
  /** Calibration steps (full-batch Adam on 5 parameters). */
  calibrationSteps?: number;
}

export interface TrainReport {
  examples: number;
  validation: number;
  classCounts: number[];
  classWeights: number[];
  epochs: number;
  finalLoss: number;
  validationNllBefore: number;
  validationNllAfter: number;
  temperature: number;
  classBias: number[];
  seconds: number;
}

/**
 * 1: a constant learning rate; 2: a rate falling to zero over the run (see the header). Part of
 * the relations stage's fingerprint: a resumed build retrains.
 */
export const TRAINING_VERSION = 2;

let tfReady: Promise<typeof TF> | null = null;

/** tfjs on the wasm backend, loaded once and only where training happens (scoring never needs it). */
export function tensorflow(): Promise<typeof TF> {
  tfReady ??= (async () => {
    const tf = await import('@tensorflow/tfjs-core');
    // The gradients live in tfjs-layers' bundle (core's node build registers none).
    await import('@tensorflow/tfjs-layers');
    await import('@tensorflow/tfjs-backend-wasm');
    await tf.setBackend('wasm');
    await tf.ready();
    return tf;
  })();
  return tfReady;
}

function featureStats(layout: FeatureLayout, m: LabelledMatrix, disabled: ReadonlySet<string>): { mean: Float64Array; inv: Float64Array } {
  const w = layout.width;
  const mean = new Float64Array(w);
  const sq = new Float64Array(w);
  for (let i = 0; i < m.n; i++) {
    const row = i * w;
    for (let f = 0; f < w; f++) {
      const v = m.x[row + f];
      mean[f] += v;
      sq[f] += v * v;
    }
  }
  const inv = new Float64Array(w);
  for (let f = 0; f < w; f++) {
    mean[f] /= Math.max(1, m.n);
    const variance = sq[f] / Math.max(1, m.n) - mean[f] * mean[f];
    inv[f] = disabled.has(layout.groups[f]) || variance < 1e-12 ? 0 : 1 / Math.sqrt(variance);
  }
  return { mean, inv };
}

/** Trains on `train`, calibrates on `validation` (different words), returns the folded model. */
export async function trainRelationModel(layout: FeatureLayout, train: LabelledMatrix, validation: LabelledMatrix, options: TrainOptions): Promise<{ model: RelationModel; report: TrainReport }> {
  const started = performance.now();
  if (train.n === 0) throw new SynographError('input', 'no training pairs: the relations stage needs labelled pairs (KeNet knowledge or --pairs FILE) whose terms are in the term list');
  const tf = await tensorflow();
  const { epochs = 20, batchSize = 1024, learningRate = 0.01, l2 = 1e-5, calibrationSteps = 300 } = options;
  const disabled = new Set(options.disabledGroups ?? []);
  const width = layout.width;

  const { mean, inv } = featureStats(layout, train, disabled);
  const counts = new Array<number>(CLASS_COUNT).fill(0);
  for (let i = 0; i < train.n; i++) counts[train.y[i]]++;
  const present = counts.filter((c) => c > 0).length;
  const classWeights = counts.map((c) => (c === 0 ? 0 : train.n / (present * c)));

  // Only the columns in use go into the tensors: a switched-off group (the default leaves out 256
  // of the pair layout's columns) or a constant column would cost multiply-adds for a zero weight.
  const active = Int32Array.from({ length: width }, (_, f) => f).filter((f) => inv[f] !== 0);
  const used = active.length;
  const W = tf.variable(tf.zeros([used, CLASS_COUNT]));
  const b = tf.variable(tf.zeros([CLASS_COUNT]));
  // Adam whose rate can be lowered between steps (tfjs keeps it protected).
  const optimizer = new (class extends tf.AdamOptimizer {
    set rate(value: number) {
      this.learningRate = value;
    }
  })(learningRate, 0.9, 0.999);
  const random = mulberry32(options.seed);
  const steps = epochs * Math.ceil(train.n / batchSize);
  let step = 0;
  const order = new Int32Array(train.n);
  for (let i = 0; i < train.n; i++) order[i] = i;
  // The standardised active columns, once (~110 MB at 263k examples of ~105 columns): a minibatch
  // is then a copy of whole rows, the same float32 values as standardising each row in each epoch.
  // At 928k terms of the 1M-line bench:e2e list the fit took 22.8 s so, 30.1 s before.
  const standard = new Float32Array(train.n * used);
  for (let row = 0; row < train.n; row++) {
    const src = row * width;
    const dst = row * used;
    for (let j = 0; j < used; j++) {
      const f = active[j];
      standard[dst + j] = (train.x[src + f] - mean[f]) * inv[f];
    }
  }
  const xb = new Float32Array(batchSize * used);
  const yb = new Int32Array(batchSize);
  const wb = new Float32Array(batchSize);
  let finalLoss = NaN;
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let i = train.n - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      const t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    let lossSum = 0;
    let batches = 0;
    for (let start = 0; start < train.n; start += batchSize) {
      optimizer.rate = learningRate * (1 - step++ / steps);
      const size = Math.min(batchSize, train.n - start);
      for (let k = 0; k < size; k++) {
        const row = order[start + k];
        xb.set(standard.subarray(row * used, (row + 1) * used), k * used);
        yb[k] = train.y[row];
        wb[k] = classWeights[train.y[row]];
      }
      const loss = tf.tidy((): TF.Scalar => {
        const x = tf.tensor2d(xb.subarray(0, size * used), [size, used]);
        const labels = tf.oneHot(tf.tensor1d(yb.subarray(0, size), 'int32'), CLASS_COUNT);
        const weights = tf.tensor1d(wb.subarray(0, size));
        const value = optimizer.minimize(() => {
          const logits = tf.add(tf.matMul(x, W), b);
          const ce = tf.losses.softmaxCrossEntropy(labels, logits, weights, undefined, tf.Reduction.SUM_BY_NONZERO_WEIGHTS);
          return tf.add(ce, tf.mul(l2, tf.sum(tf.square(W)))) as TF.Scalar;
        }, true);
        if (!value) throw new Error('optimizer returned no loss');
        return value;
      });
      lossSum += (await loss.data())[0];
      loss.dispose();
      batches++;
    }
    finalLoss = lossSum / Math.max(1, batches);
  }
  const rawW = await W.data();
  const rawB = await b.data();
  W.dispose();
  b.dispose();
  optimizer.dispose();

  // Fold standardisation: x' = (x - mean) * inv  =>  logits = x W'' + b''.
  const folded = new Float32Array(width * CLASS_COUNT);
  const foldedBias = Float64Array.from(rawB);
  for (let j = 0; j < used; j++) {
    const f = active[j];
    for (let c = 0; c < CLASS_COUNT; c++) {
      const w = rawW[j * CLASS_COUNT + c] * inv[f];
      folded[f * CLASS_COUNT + c] = w;
      foldedBias[c] -= w * mean[f];
    }
  }

  const calibration = await calibrate(tf, folded, foldedBias, width, validation, calibrationSteps);
  const weights = new Float32Array(width * CLASS_COUNT);
  for (let k = 0; k < weights.length; k++) weights[k] = folded[k] / calibration.temperature;
  const bias = new Float32Array(CLASS_COUNT);
  for (let c = 0; c < CLASS_COUNT; c++) bias[c] = foldedBias[c] / calibration.temperature + calibration.classBias[c];

  const model: RelationModel = {
    version: RELATION_MODEL_VERSION,
    kind: layout.kind,
    dims: layout.dims,
    weights,
    bias,
    calibration: { temperature: calibration.temperature, classBias: calibration.classBias },
    disabledGroups: [...disabled].sort(),
  };
  return {
    model,
    report: {
      examples: train.n,
      validation: validation.n,
      classCounts: counts,
      classWeights: classWeights.map((w) => Number(w.toFixed(4))),
      epochs,
      finalLoss,
      validationNllBefore: calibration.before,
      validationNllAfter: calibration.after,
      temperature: calibration.temperature,
      classBias: calibration.classBias,
      seconds: (performance.now() - started) / 1000,
    },
  };
}

/** Vector scaling: logits / T + bias_c, fitted by minimising validation NLL. */
async function calibrate(
  tf: typeof TF,
  weights: Float32Array,
  bias: Float64Array,
  width: number,
  validation: LabelledMatrix,
  steps: number,
): Promise<{ temperature: number; classBias: number[]; before: number; after: number }> {
  if (validation.n === 0) return { temperature: 1, classBias: new Array<number>(CLASS_COUNT).fill(0), before: NaN, after: NaN };
  const logits = new Float32Array(validation.n * CLASS_COUNT);
  for (let i = 0; i < validation.n; i++) {
    const row = i * width;
    for (let c = 0; c < CLASS_COUNT; c++) {
      let s = bias[c];
      for (let f = 0; f < width; f++) s += validation.x[row + f] * weights[f * CLASS_COUNT + c];
      logits[i * CLASS_COUNT + c] = s;
    }
  }
  const z = tf.tensor2d(logits, [validation.n, CLASS_COUNT]);
  const labels = tf.oneHot(tf.tensor1d(Int32Array.from(validation.y), 'int32'), CLASS_COUNT);
  const rowWeights = tf.tensor1d(validation.weight ?? new Float32Array(validation.n).fill(1));
  const logT = tf.variable(tf.scalar(0));
  const cb = tf.variable(tf.zeros([CLASS_COUNT]));
  const loss = (logits: TF.Tensor): TF.Scalar => tf.losses.softmaxCrossEntropy(labels, logits, rowWeights) as TF.Scalar;
  const nll = (): TF.Scalar => loss(tf.add(tf.div(z, tf.exp(logT)), cb));
  const before = (await tf.tidy(() => loss(z)).data())[0];
  const optimizer = tf.train.adam(0.05);
  for (let s = 0; s < steps; s++) tf.tidy(() => void optimizer.minimize(nll));
  const after = (await tf.tidy(nll).data())[0];
  const temperature = Math.exp((await logT.data())[0]);
  const classBias = Array.from(await cb.data());
  tf.dispose([z, labels, rowWeights, logT, cb]);
  optimizer.dispose();
  return { temperature, classBias, before, after };
}
