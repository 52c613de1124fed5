/**
 * Scoring pairs of table rows with a relation model. For the pair layout the linear softmax is
 * fused with feature extraction: the product part (dims features) is accumulated straight into
 * the logits in one pass over the two vectors, the parts that are sums of the two words' own
 * features (mean vector, unary cues) are projected per term once, and only the comparison cues go
 * through a scratch row. That is the hot loop of the 1M pairs/s target.
 */
import { CUE_COUNT, extractFeatures, hasEvidence, pairCues, UNARY_COUNT, unaryCues } from './features.js';
import { CLASS_COUNT, layoutOf, scoreRow, softmax5, type RelationModel } from './model.js';
import type { TermTable } from './term-table.js';
import { compiledLogits, relationsAddon } from './compiled-scorer.js';
import type { Engine } from '../util/native-addon.js';
import { SynographError } from '../errors.js';

/**
 * The mean-vector and unary parts of the logits are linear in each word separately, so they are
 * projected once per term instead of once per pair: per row, CLASS_COUNT numbers 0.5 * v . W_mean[:, c]
 * (left out for a word without evidence), then CLASS_COUNT numbers u . W_unary[:, c] (the word's own
 * cues, summed over the pair). Shared memory, so the scoring workers read one copy.
 */
export function termProjections(model: RelationModel, table: TermTable): Float32Array {
  const D = table.dims;
  const C = CLASS_COUNT;
  const out = new Float32Array(new SharedArrayBuffer(Math.max(1, table.rows) * 2 * C * 4));
  if (model.kind !== 'pair') return out;
  const meanAt = (CUE_COUNT + D) * C;
  const unaryAt = (CUE_COUNT + 2 * D) * C;
  const w = model.weights;
  const u = new Float32Array(UNARY_COUNT);
  for (let r = 0; r < table.rows; r++) {
    unaryCues(table, r, u, 0);
    for (let c = 0; c < C; c++) {
      let p = 0;
      for (let d = 0, k = meanAt + c; d < D; d++, k += C) p += 0.5 * table.vectors[r * D + d] * w[k];
      out[r * 2 * C + c] = p;
      let q = 0;
      for (let k = 0; k < UNARY_COUNT; k++) q += u[k] * w[unaryAt + k * C + c];
      out[r * 2 * C + C + c] = q;
    }
  }
  return out;
}

/** Who scores candidate pairs with a pair model by default: compiled where the addon was built (the same probabilities). */
export function defaultScoringEngine(): Engine {
  return relationsAddon() ? 'native' : 'js';
}

export class PairScorer {
  private readonly width: number;
  private readonly scratch: Float32Array;
  private readonly layout;
  private readonly projections: Float32Array;
  /** The compiled pair loop (a pair model and the addon), or null for the JS one. */
  private readonly compiled: ((a: Int32Array, b: Int32Array, n: number, logits: Float64Array) => void) | null;
  private logits = new Float64Array(0);

  constructor(
    readonly model: RelationModel,
    readonly table: TermTable,
    projections?: Float32Array,
    engine: Engine = defaultScoringEngine(),
  ) {
    if (model.dims !== table.dims) throw new SynographError('store', `relation model expects ${model.dims}-dimensional embeddings, the database has ${table.dims}`);
    this.layout = layoutOf(model);
    this.width = this.layout.width;
    this.scratch = new Float32Array(this.width);
    this.projections = projections ?? termProjections(model, table);
    this.compiled = model.kind === 'pair' && engine === 'native' ? compiledLogits(model, table, this.projections, !model.disabledGroups.includes('product')) : null;
  }

  /** CLASS_COUNT class probabilities per pair of rows into out[C i .. C i + C). */
  scoreRows(a: Int32Array, b: Int32Array, n: number, out: Float32Array): void {
    if (this.compiled) {
      // Logits compiled, the softmax here: Math.exp is V8's, so the probabilities are the JS loop's.
      if (this.logits.length < n * CLASS_COUNT) this.logits = new Float64Array(n * CLASS_COUNT);
      const l = this.logits;
      this.compiled(a, b, n, l);
      for (let i = 0, k = 0; i < n; i++, k += CLASS_COUNT) softmax5(l[k], l[k + 1], l[k + 2], l[k + 3], l[k + 4], out, k);
      return;
    }
    if (this.model.kind === 'pair') {
      this.scorePairRows(a, b, n, out);
      return;
    }
    for (let i = 0; i < n; i++) {
      extractFeatures(this.layout, this.table, a[i], b[i], this.scratch, 0);
      scoreRow(this.model, this.width, this.scratch, 0, out, i * CLASS_COUNT);
    }
  }

  private scorePairRows(a: Int32Array, b: Int32Array, n: number, out: Float32Array): void {
    const t = this.table;
    const D = t.dims;
    const C = CLASS_COUNT;
    const P = 2 * C;
    const vec = t.vectors;
    const w = this.model.weights;
    const bias = this.model.bias;
    const x = this.scratch;
    const prodAt = CUE_COUNT * C;
    const proj = this.projections;
    // A model trained without the product block (the default) needs only the cosine from the vectors.
    const withProduct = !this.model.disabledGroups.includes('product');
    for (let i = 0; i < n; i++) {
      const ra = a[i];
      const rb = b[i];
      const va = ra * D;
      const vb = rb * D;
      const pa = ra * P;
      const pb = rb * P;
      let l0 = bias[0] + proj[pa + C] + proj[pb + C];
      let l1 = bias[1] + proj[pa + C + 1] + proj[pb + C + 1];
      let l2 = bias[2] + proj[pa + C + 2] + proj[pb + C + 2];
      let l3 = bias[3] + proj[pa + C + 3] + proj[pb + C + 3];
      let l4 = bias[4] + proj[pa + C + 4] + proj[pb + C + 4];
      let dot = 0;
      // Without evidence for both words the vectors are spelling only: no cosine, product or region (features.ts).
      const evidence = hasEvidence(t, ra, rb);
      if (evidence) {
        l0 += proj[pa] + proj[pb];
        l1 += proj[pa + 1] + proj[pb + 1];
        l2 += proj[pa + 2] + proj[pb + 2];
        l3 += proj[pa + 3] + proj[pb + 3];
        l4 += proj[pa + 4] + proj[pb + 4];
        if (withProduct) {
          for (let d = 0, k = prodAt; d < D; d++, k += C) {
            const pr = vec[va + d] * vec[vb + d];
            dot += pr;
            l0 += pr * w[k];
            l1 += pr * w[k + 1];
            l2 += pr * w[k + 2];
            l3 += pr * w[k + 3];
            l4 += pr * w[k + 4];
          }
        } else for (let d = 0; d < D; d++) dot += vec[va + d] * vec[vb + d];
      }
      pairCues(t, ra, rb, dot, evidence, x, 0);
      for (let f = 0, k = 0; f < CUE_COUNT; f++, k += C) {
        const v = x[f];
        if (v === 0) continue;
        l0 += v * w[k];
        l1 += v * w[k + 1];
        l2 += v * w[k + 2];
        l3 += v * w[k + 3];
        l4 += v * w[k + 4];
      }
      softmax5(l0, l1, l2, l3, l4, out, i * C);
    }
  }
}
