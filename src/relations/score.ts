/**
 * Scoring pairs of table rows with a relation model. For the pair layout the linear softmax is
 * fused with feature extraction: the product part (dims features) is accumulated straight into
 * the four logits in one pass over the two vectors, the mean part is projected per term once,
 * and only the few dozen cues go through a scratch row. That is the hot loop of the 1M pairs/s target.
 */
import { CUE_COUNT, extractFeatures, pairCues, UNARY_COUNT, unarySums } from './features.js';
import { CLASS_COUNT, layoutOf, scoreRow, softmax4, type RelationModel } from './model.js';
import type { TermTable } from './term-table.js';

/**
 * The mean-vector part of the logits is linear in each word separately, so it is projected once
 * per term (4 numbers) instead of once per pair: 0.5 * v . W_mean[:, c]. Shared memory, so the
 * scoring workers read one copy.
 */
export function termProjections(model: RelationModel, table: TermTable): Float32Array {
  const D = table.dims;
  const out = new Float32Array(new SharedArrayBuffer(Math.max(1, table.rows) * CLASS_COUNT * 4));
  if (model.kind !== 'pair') return out;
  const meanAt = (CUE_COUNT + D) * 4;
  const w = model.weights;
  for (let r = 0; r < table.rows; r++) {
    let p0 = 0;
    let p1 = 0;
    let p2 = 0;
    let p3 = 0;
    for (let d = 0, k = meanAt; d < D; d++, k += 4) {
      const v = 0.5 * table.vectors[r * D + d];
      p0 += v * w[k];
      p1 += v * w[k + 1];
      p2 += v * w[k + 2];
      p3 += v * w[k + 3];
    }
    out[r * 4] = p0;
    out[r * 4 + 1] = p1;
    out[r * 4 + 2] = p2;
    out[r * 4 + 3] = p3;
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

  /** Four class probabilities per pair of rows into out[4i .. 4i+3]. */
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
    const vec = t.vectors;
    const w = this.model.weights;
    const bias = this.model.bias;
    const x = this.scratch;
    const prodAt = CUE_COUNT * 4;
    const unaryAt = CUE_COUNT + 2 * D;
    const proj = this.projections;
    // A model trained without the product block (the default) needs only the cosine from the vectors.
    const withProduct = !this.model.disabledGroups.includes('product');
    for (let i = 0; i < n; i++) {
      const ra = a[i];
      const rb = b[i];
      const va = ra * D;
      const vb = rb * D;
      let l0 = bias[0] + proj[ra * 4] + proj[rb * 4];
      let l1 = bias[1] + proj[ra * 4 + 1] + proj[rb * 4 + 1];
      let l2 = bias[2] + proj[ra * 4 + 2] + proj[rb * 4 + 2];
      let l3 = bias[3] + proj[ra * 4 + 3] + proj[rb * 4 + 3];
      let dot = 0;
      if (withProduct) {
        for (let d = 0, k = 0; d < D; d++, k += 4) {
          const pr = vec[va + d] * vec[vb + d];
          dot += pr;
          l0 += pr * w[prodAt + k];
          l1 += pr * w[prodAt + k + 1];
          l2 += pr * w[prodAt + k + 2];
          l3 += pr * w[prodAt + k + 3];
        }
      } else for (let d = 0; d < D; d++) dot += vec[va + d] * vec[vb + d];
      pairCues(t, ra, rb, dot, x, 0);
      unarySums(t, ra, rb, x, CUE_COUNT);
      for (let f = 0; f < CUE_COUNT + UNARY_COUNT; f++) {
        const v = x[f];
        if (v === 0) continue;
        const k = (f < CUE_COUNT ? f : unaryAt + f - CUE_COUNT) * 4;
        l0 += v * w[k];
        l1 += v * w[k + 1];
        l2 += v * w[k + 2];
        l3 += v * w[k + 3];
      }
      softmax4(l0, l1, l2, l3, out, i * CLASS_COUNT);
    }
  }
}
