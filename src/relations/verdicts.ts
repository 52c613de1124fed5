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

/**
 * What a build stores of the model's verdicts. Every verdict is stored (its three probabilities,
 * so a user can ask why a pair was dropped) while there are at most STORE_EVERY_VERDICT_UP_TO
 * candidate pairs; beyond, only the verdicts that matter: kept synonym edges, antonyms (the
 * cannot-links) and any verdict with P(synonym) or P(antonym) at or over VERDICT_FLOOR; the rest
 * are counted, not stored. Measured on a generated list (scripts/generate-terms.ts --shape
 * phrases, 20k lines): a verdict costs 70 bytes (60 in the table, 10 in the reverse index), and
 * 148 of 964,389 verdicts had P(synonym) >= 0.1. Storing all 1.3 billion candidate pairs of a
 * paper-sized build would take ~90 GB; their verdicts over the floor take a few hundred MB. The
 * candidate pairs themselves are always stored: they are the relations stage's input, so
 * `train-relations` can rescore them and a killed build resumes from them.
 */
export const STORE_EVERY_VERDICT_UP_TO = 20_000_000;
export const VERDICT_FLOOR = 0.05;

/** The floor a build with this many candidate pairs stores model verdicts at (0: every verdict). */
export function verdictFloor(candidatePairs: number): number {
  return candidatePairs <= STORE_EVERY_VERDICT_UP_TO ? 0 : VERDICT_FLOOR;
}

/** A page of candidate pairs as table rows (`a`, `b`), with the term ids of each pair (`termA`, `termB`). */
export interface CandidatePage extends RowPage {
  termA: Int32Array;
  termB: Int32Array;
}

/** Table rows of the first `n` candidate pairs (term ids); pairs with a term without a vector are left out. */
export function candidateRows(table: TermTable, termA: Int32Array, termB: Int32Array, n: number): CandidatePage {
  const a = new Int32Array(n);
  const b = new Int32Array(n);
  const ta = new Int32Array(n);
  const tb = new Int32Array(n);
  let m = 0;
  for (let i = 0; i < n; i++) {
    const ra = rowOfTerm(table, termA[i]);
    const rb = rowOfTerm(table, termB[i]);
    if (ra < 0 || rb < 0) continue;
    a[m] = ra;
    b[m] = rb;
    ta[m] = termA[i];
    tb[m] = termB[i];
    m++;
  }
  return { a, b, termA: ta, termB: tb, n: m };
}

/**
 * The model's verdicts on a page of candidate pairs, from its class probabilities (CLASS_COUNT per
 * pair) and the gate. Every label is counted; the batch holds the verdicts worth storing at
 * `floor` (see verdictFloor; 0: all of them), in page order.
 */
export function modelVerdicts(page: CandidatePage, pc: Float32Array, gate: number, floor = 0): Verdicts {
  const counts = { synonym: 0, antonym: 0, cohyponym: 0 };
  const keep: number[] = [];
  const code = new Uint8Array(page.n);
  for (let i = 0; i < page.n; i++) {
    const c = gatedLabel(pc, CLASS_COUNT * i, gate);
    code[i] = c;
    if (c === 0) counts.synonym++;
    else if (c === 1) counts.antonym++;
    else counts.cohyponym++;
    if (floor === 0 || c !== 2 || pc[CLASS_COUNT * i] >= floor || pc[CLASS_COUNT * i + 1] >= floor) keep.push(i);
  }
  const n = keep.length;
  const a = new Int32Array(n);
  const b = new Int32Array(n);
  const probs = new Float32Array(n * 3);
  const label = new Uint8Array(n);
  const gated = new Uint8Array(n);
  const antA: number[] = [];
  const antB: number[] = [];
  for (let k = 0; k < n; k++) {
    const i = keep[k];
    a[k] = page.termA[i];
    b[k] = page.termB[i];
    probs[3 * k] = pc[CLASS_COUNT * i];
    probs[3 * k + 1] = pc[CLASS_COUNT * i + 1];
    probs[3 * k + 2] = pc[CLASS_COUNT * i + 2];
    label[k] = code[i];
    if (code[i] === 0) gated[k] = 1;
    else if (code[i] === 1) {
      antA.push(a[k]);
      antB.push(b[k]);
    }
  }
  return { batch: { a, b, probs, label, gated, length: n }, cannotLinks: { a: Int32Array.from(antA), b: Int32Array.from(antB) }, counts };
}
