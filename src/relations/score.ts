/**
 * Scoring pairs of table rows with a relation model. For the pair layout the linear softmax is
 * fused with feature extraction: the product part (dims features) is accumulated straight into
 * the four logits in one pass over the two vectors, the mean part is projected per term once,
 * and only the few dozen cues go through a scratch row. That is the hot loop of the 1M pairs/s target.
 */
import { CUE_COUNT, extractFeatures, hasEvidence, pairCues, UNARY_COUNT, unarySums } from './features.js';
import { CLASS_COUNT, layoutOf, scoreRow, softmax5, type RelationModel } from './model.js';
import type { TermTable } from './term-table.js';

/**
 * The mean-vector part of the logits is linear in each word separately, so it is projected once
 * per term (CLASS_COUNT numbers) instead of once per pair: 0.5 * v . W_mean[:, c]. Shared memory,
 * so the scoring workers read one copy.
 */
export function termProjections(model: RelationModel, table: TermTable): Float32Array {
  const D = table.dims;
  const C = CLASS_COUNT;
  const out = new Float32Array(new SharedArrayBuffer(Math.max(1, table.rows) * C * 4));
  if (model.kind !== 'pair') return out;
  const meanAt = (CUE_COUNT + D) * C;
  const w = model.weights;
  for (let r = 0; r < table.rows; r++) {
    for (let c = 0; c < C; c++) {
      let p = 0;
      for (let d = 0, k = meanAt + c; d < D; d++, k += C) p += 0.5 * table.vectors[r * D + d] * w[k];
      out[r * C + c] = p;
    }
  }
  return out;
}

export class PairScorer {
  private readonly width: number;
  private readonly scratch: Float32Array;
  private readonly layout;
  private readonly projections: Float32Array;

  constructor(
    readonly model: RelationModel,
    readonly table: TermTable,
    projections?: Float32Array,
  ) {
    if (model.dims !== table.dims) throw new Error(`relation model expects ${model.dims}-dimensional embeddings, the database has ${table.dims}`);
    this.layout = layoutOf(model);
    this.width = this.layout.width;
    this.scratch = new Float32Array(this.width);
    this.projections = projections ?? termProjections(model, table);
  }

  /** CLASS_COUNT class probabilities per pair of rows into out[C i .. C i + C). */
  scoreRows(a: Int32Array, b: Int32Array, n: number, out: Float32Array): void {
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
    const vec = t.vectors;
    const w = this.model.weights;
    const bias = this.model.bias;
    const x = this.scratch;
    const prodAt = CUE_COUNT * C;
    const unaryAt = CUE_COUNT + 2 * D;
    const proj = this.projections;
    // A model trained without the product block (the default) needs only the cosine from the vectors.
    const withProduct = !this.model.disabledGroups.includes('product');
    for (let i = 0; i < n; i++) {
      const ra = a[i];
      const rb = b[i];
      const va = ra * D;
      const vb = rb * D;
      let l0 = bias[0];
      let l1 = bias[1];
      let l2 = bias[2];
      let l3 = bias[3];
      let l4 = bias[4];
      let dot = 0;
      // Without evidence for both words the vectors are spelling only: no cosine, product or region (features.ts).
      if (hasEvidence(t, ra, rb)) {
        l0 += proj[ra * C] + proj[rb * C];
        l1 += proj[ra * C + 1] + proj[rb * C + 1];
        l2 += proj[ra * C + 2] + proj[rb * C + 2];
        l3 += proj[ra * C + 3] + proj[rb * C + 3];
        l4 += proj[ra * C + 4] + proj[rb * C + 4];
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
      pairCues(t, ra, rb, dot, x, 0);
      unarySums(t, ra, rb, x, CUE_COUNT);
      for (let f = 0; f < CUE_COUNT + UNARY_COUNT; f++) {
        const v = x[f];
        if (v === 0) continue;
        const k = (f < CUE_COUNT ? f : unaryAt + f - CUE_COUNT) * C;
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
