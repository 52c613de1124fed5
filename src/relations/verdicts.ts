/**
 * Verdicts as typed batches ready to store: the seeds (known pairs and the list's own surface
 * evidence, with certainty) and the model's gated labels of a page of candidate pairs. Term ids,
 * never objects per pair: a build labels tens of millions of candidates.
 */
import { EVIDENCE_KINDS, FORBIDDING, LABEL_OF_KIND, type EvidenceKind } from '../evidence/types.js';
import type { RelationLabel } from '../types.js';
import { gatedLabel } from './gate.js';
import { CLASS_COUNT } from './model.js';
import { rowOfTerm, type TermTable } from './term-table.js';
import { PAIR_KEY_BASE, type PairList } from './training-data.js';

/** Pairs of term ids with [p_synonym, p_antonym, p_cohyponym] each, the label code and whether it is a kept edge. */
export interface VerdictBatch {
  a: Int32Array;
  b: Int32Array;
  probs: Float32Array;
  label: Uint8Array;
  gated: Uint8Array;
  length: number;
}

export interface LabelCounts {
  synonym: number;
  antonym: number;
  cohyponym: number;
}

/** A batch of verdicts and the cannot-links it implies (term ids). */
export interface Verdicts {
  batch: VerdictBatch;
  cannotLinks: { a: Int32Array; b: Int32Array };
  counts: LabelCounts;
}

/** Table rows of candidate pairs; `n` of the arrays' entries are pairs of two embedded terms. */
export interface RowPage {
  a: Int32Array;
  b: Int32Array;
  n: number;
}

/** Stored surface-evidence pairs (term ids) and their kinds (indices into EVIDENCE_KINDS; others count as siblings). */
export interface EvidencePairs {
  a: Int32Array;
  b: Int32Array;
  kind: Uint8Array;
}

const LABEL_CODE: Record<RelationLabel, number> = { synonym: 0, antonym: 1, 'co-hyponym': 2 };

/** The key of an unordered pair of term ids. */
function unorderedKey(x: number, y: number): number {
  return Math.min(x, y) * PAIR_KEY_BASE + Math.max(x, y);
}

/** Unordered term-id pair keys of the labelled pairs between two terms (words outside the list have no id). */
export function knownPairKeys(table: TermTable, labelled: PairList): Set<number> {
  const known = new Set<number>();
  for (let i = 0; i < labelled.n; i++) {
    const x = table.termId[labelled.a[i]];
    const y = table.termId[labelled.b[i]];
    if (x >= 0 && y >= 0) known.add(unorderedKey(x, y));
  }
  return known;
}

/**
 * Known pairs enter as seeds: synonyms as kept edges, antonyms as cannot-links, co-hyponyms as
 * stored non-edges; pairs whose term-id key is in `except` are left to another seed.
 */
export function seedVerdicts(table: TermTable, all: PairList, except?: ReadonlySet<number>): Verdicts {
  const counts = { synonym: 0, antonym: 0, cohyponym: 0 };
  // Only pairs of two terms: words outside the term list trained the model but are not clustered.
  const keep: number[] = [];
  for (let i = 0; i < all.n; i++) {
    const x = table.termId[all.a[i]];
    const y = table.termId[all.b[i]];
    if (x >= 0 && y >= 0 && !except?.has(unorderedKey(x, y))) keep.push(i);
  }
  // In (a, b) term-id order, the primary key's order: inserts append instead of splitting pages.
  const lo = (i: number): number => Math.min(table.termId[all.a[i]], table.termId[all.b[i]]);
  const hi = (i: number): number => Math.max(table.termId[all.a[i]], table.termId[all.b[i]]);
  keep.sort((x, y) => lo(x) - lo(y) || hi(x) - hi(y));
  const labelled = { a: Int32Array.from(keep, (i) => all.a[i]), b: Int32Array.from(keep, (i) => all.b[i]), y: Uint8Array.from(keep, (i) => all.y[i]), n: keep.length };
  const a = new Int32Array(labelled.n);
  const b = new Int32Array(labelled.n);
  const probs = new Float32Array(labelled.n * 3);
  const label = new Uint8Array(labelled.n);
  const gated = new Uint8Array(labelled.n);
  const antA: number[] = [];
  const antB: number[] = [];
  for (let i = 0; i < labelled.n; i++) {
    const y = labelled.y[i];
    a[i] = table.termId[labelled.a[i]];
    b[i] = table.termId[labelled.b[i]];
    probs[3 * i + y] = 1;
    label[i] = y;
    gated[i] = y === 0 ? 1 : 0;
    if (y === 0) counts.synonym++;
    else if (y === 1) {
      counts.antonym++;
      antA.push(a[i]);
      antB.push(b[i]);
    } else counts.cohyponym++;
  }
  return { batch: { a, b, probs, label, gated, length: labelled.n }, cannotLinks: { a: Int32Array.from(antA), b: Int32Array.from(antB) }, counts };
}

/**
 * The list's own surface evidence (the evidence stage) enters as seeds too: spellings, acronyms
 * and compositional synonyms as kept edges, numbers, negations and antonym words as cannot-links,
 * siblings as stored non-edges. Stored before the lexicon's seeds, which replace them where both
 * speak of one pair (curated knowledge wins), and before the model, which never replaces a seed.
 * A pair in `known` (labelled by the lexicon or the user) takes that label alone, cannot-links included.
 */
export function evidenceSeedVerdicts(evidence: EvidencePairs, known: ReadonlySet<number>): Verdicts {
  const counts = { synonym: 0, antonym: 0, cohyponym: 0 };
  let n = 0;
  for (let r = 0; r < evidence.a.length; r++) if (!known.has(evidence.a[r] * PAIR_KEY_BASE + evidence.b[r])) n++;
  const a = new Int32Array(n);
  const b = new Int32Array(n);
  const probs = new Float32Array(n * 3);
  const label = new Uint8Array(n);
  const gated = new Uint8Array(n);
  const cannotA: number[] = [];
  const cannotB: number[] = [];
  let i = 0;
  for (let r = 0; r < evidence.a.length; r++) {
    if (known.has(evidence.a[r] * PAIR_KEY_BASE + evidence.b[r])) continue;
    const kind: EvidenceKind | undefined = EVIDENCE_KINDS[evidence.kind[r]];
    const code = LABEL_CODE[kind === undefined ? 'co-hyponym' : LABEL_OF_KIND[kind]];
    a[i] = evidence.a[r];
    b[i] = evidence.b[r];
    probs[3 * i + code] = 1;
    label[i] = code;
    gated[i] = code === 0 ? 1 : 0;
    if (code === 0) counts.synonym++;
    else if (code === 1) counts.antonym++;
    else counts.cohyponym++;
    if (kind !== undefined && FORBIDDING.has(kind)) {
      cannotA.push(a[i]);
      cannotB.push(b[i]);
    }
    i++;
  }
  return { batch: { a, b, probs, label, gated, length: n }, cannotLinks: { a: Int32Array.from(cannotA), b: Int32Array.from(cannotB) }, counts };
}

/** Table rows of a page of candidate pair keys (`a * PAIR_KEY_BASE + b`); pairs with a term without a vector are left out. */
export function candidateRows(table: TermTable, keys: Float64Array): RowPage {
  const a = new Int32Array(keys.length);
  const b = new Int32Array(keys.length);
  let n = 0;
  for (const key of keys) {
    const x = Math.floor(key / PAIR_KEY_BASE);
    const ra = rowOfTerm(table, x);
    const rb = rowOfTerm(table, key - x * PAIR_KEY_BASE);
    if (ra < 0 || rb < 0) continue;
    a[n] = ra;
    b[n] = rb;
    n++;
  }
  return { a, b, n };
}

/** The model's verdicts on a page of candidate rows, from its class probabilities (CLASS_COUNT per pair) and the gate. */
export function modelVerdicts(table: TermTable, page: RowPage, pc: Float32Array, gate: number): Verdicts {
  const { n } = page;
  const counts = { synonym: 0, antonym: 0, cohyponym: 0 };
  const a = new Int32Array(n);
  const b = new Int32Array(n);
  const probs = new Float32Array(n * 3);
  const label = new Uint8Array(n);
  const gated = new Uint8Array(n);
  const antA: number[] = [];
  const antB: number[] = [];
  for (let i = 0; i < n; i++) {
    a[i] = table.termId[page.a[i]];
    b[i] = table.termId[page.b[i]];
    probs[3 * i] = pc[CLASS_COUNT * i];
    probs[3 * i + 1] = pc[CLASS_COUNT * i + 1];
    probs[3 * i + 2] = pc[CLASS_COUNT * i + 2];
    const code = gatedLabel(pc, CLASS_COUNT * i, gate);
    label[i] = code;
    if (code === 0) {
      gated[i] = 1;
      counts.synonym++;
    } else if (code === 1) {
      counts.antonym++;
      antA.push(a[i]);
      antB.push(b[i]);
    } else counts.cohyponym++;
  }
  return { batch: { a, b, probs, label, gated, length: n }, cannotLinks: { a: Int32Array.from(antA), b: Int32Array.from(antB) }, counts };
}
