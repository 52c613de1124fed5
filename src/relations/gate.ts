/**
 * The paper's gate (Tosun et al. 2026, stage 4): a pair is a synonym edge only if P(synonym) >= gate;
 * a top class of synonym or antonym under the gate is relabelled co-hyponym. We add the
 * constraint side: an antonym verdict at or above the gate becomes a cannot-link.
 */
import { DEFAULT_GATE, type RelationLabel } from '../types.js';

export { DEFAULT_GATE };

/** Label codes (0 synonym, 1 antonym, 2 co-hyponym), the order of RELATION_CODES in the store. */
export type LabelCode = 0 | 1 | 2;
export const LABEL_OF_CODE: readonly RelationLabel[] = ['synonym', 'antonym', 'co-hyponym'];

/**
 * Gated label from the three relation probabilities (p[at..at+2]); unrelated mass, if any,
 * is outside them, so synonym and antonym must clear the gate on the absolute scale.
 */
export function gatedLabel(p: ArrayLike<number>, at: number, gate = DEFAULT_GATE): LabelCode {
  const s = p[at];
  const a = p[at + 1];
  const c = p[at + 2];
  if (s >= a && s >= c) return s >= gate ? 0 : 2;
  if (a >= c) return a >= gate ? 1 : 2;
  return 2;
}

/**
 * The three relation probabilities of a pair known to be related: renormalised over every class
 * but `unrelated` (`classes` of them at p[at..]). Mass on `derived` stays outside the three, as it
 * does when the build gates the pair: such a pair is no synonym and no antonym.
 */
export function relatedOnly(p: ArrayLike<number>, at: number, out: Float32Array, outAt: number, classes = 3, unrelated = 3): void {
  let s = 0;
  for (let c = 0; c < classes; c++) if (c !== unrelated) s += p[at + c];
  const k = s > 0 ? 1 / s : 0;
  out[outAt] = p[at] * k;
  out[outAt + 1] = p[at + 1] * k;
  out[outAt + 2] = p[at + 2] * k;
}
