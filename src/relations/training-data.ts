/**
 * Training data of the discriminator, read from the store: the labelled pairs the build may
 * learn from (`gold_relations`: in a held-out build only train-split KeNet knowledge, plus the
 * user's own pairs) and `unrelated` examples (candidate pairs that no labelled pair relates: the
 * bulk of what the scorer sees).
 *
 * Calibration needs words the model never trained on, so the known words are split once more,
 * by a seeded hash of the word (80 / 20): the model trains on pairs inside the first part and is
 * calibrated on the candidate pairs inside the second, in their natural proportions.
 */
import type { Db } from '../store/db.js';
import { GrowableInt32 } from '../util/growable.js';
import { hashUnit, mulberry32 } from '../util/random.js';
import { extractFeatures, type FeatureLayout } from './features.js';
import { UNRELATED } from './model.js';
import { rowOfTerm, termText, type TermTable } from './term-table.js';
import type { LabelledMatrix } from './train.js';

const LABEL_CLASS: Record<string, number> = { synonym: 0, antonym: 1, 'co-hyponym': 2 };
const INNER_SPLIT_SALT = 0x7a11;

export interface PairList {
  a: Int32Array;
  b: Int32Array;
  y: Uint8Array;
  n: number;
}

function pairList(rows: [number, number, number][]): PairList {
  const n = rows.length;
  const out = { a: new Int32Array(n), b: new Int32Array(n), y: new Uint8Array(n), n };
  rows.forEach(([a, b, y], i) => {
    out.a[i] = a;
    out.b[i] = b;
    out.y[i] = y;
  });
  return out;
}

/** Words of labelled pairs that are not in the term list (they need vectors to train on). */
export function wordsOutsideTerms(db: Db): string[] {
  return db
    .prepare(
      `SELECT w FROM (SELECT a AS w FROM gold_relations UNION SELECT b FROM gold_relations)
       WHERE NOT EXISTS (SELECT 1 FROM terms t WHERE t.norm = w) ORDER BY w`,
    )
    .pluck()
    .all() as string[];
}

/** Row of each extra (non-term) word in the table: rows after the terms, in `norms` order. */
export function extraRows(table: TermTable, norms: readonly string[]): Map<string, number> {
  const first = table.rows - norms.length;
  return new Map(norms.map((w, i) => [w, first + i]));
}

/**
 * Labelled pairs whose two words have table rows (terms or extra words), in a stable order. Every
 * stored pair is usable: a held-out build stores only what it may see (pairs of visible synsets,
 * all between training words), a full build everything KeNet knows.
 */
export function labelledPairs(db: Db, table: TermTable, extra: ReadonlyMap<string, number> = new Map()): PairList {
  const rows: [number, number, number][] = [];
  const seen = new Set<string>();
  const select = db.prepare(
    `SELECT g.a, g.b, ta.id, tb.id, g.label FROM gold_relations g LEFT JOIN terms ta ON ta.norm = g.a LEFT JOIN terms tb ON tb.norm = g.b
     ORDER BY g.a, g.b, g.source_id`,
  );
  for (const [wa, wb, ia, ib, label] of select.raw().iterate() as IterableIterator<[string, string, number | null, number | null, string]>) {
    const ra = ia === null ? (extra.get(wa) ?? -1) : rowOfTerm(table, ia);
    const rb = ib === null ? (extra.get(wb) ?? -1) : rowOfTerm(table, ib);
    if (ra < 0 || rb < 0 || ra === rb) continue;
    const key = ra < rb ? `${ra},${rb}` : `${rb},${ra}`;
    if (seen.has(key)) continue; // the first source's label wins (KeNet before user pairs: lower source id)
    seen.add(key);
    rows.push([Math.min(ra, rb), Math.max(ra, rb), LABEL_CLASS[label]]);
  }
  return pairList(rows);
}

/** Side of the inner split per row: 0 trains, 1 calibrates. */
export function innerSide(table: TermTable, seed: number, validationShare = 0.2): Uint8Array {
  const side = new Uint8Array(table.rows);
  for (let r = 0; r < table.rows; r++) side[r] = hashUnit(termText(table, r), seed ^ INNER_SPLIT_SALT) < validationShare ? 1 : 0;
  return side;
}

/** Pair key of two term ids in one double: exact while ids stay under 2^26 (67M terms). */
export const PAIR_KEY_BASE = 0x4000000;

/**
 * Candidate pairs that no labelled pair relates, presumed unrelated, as table rows; and which
 * labelled pairs are candidates too. One pass over `candidate_edges`. Most candidates are
 * unrelated: in a held-out build 99.7% of candidate pairs between test words are in no gold
 * relation. They include pairs of words the knowledge says nothing about, which matters: those
 * words' vectors sit elsewhere in the space (the embedder saw less about them), and a model that
 * never saw such pairs extrapolates there (measured: P(synonym) >= 0.7 on 69% of them without).
 */
export function unrelatedCandidates(db: Db, table: TermTable, labelled: PairList): PairList & { labelledInCandidates: Uint8Array } {
  const labelledIndex = new Map<number, number>();
  for (let i = 0; i < labelled.n; i++) labelledIndex.set(labelled.a[i] * PAIR_KEY_BASE + labelled.b[i], i);
  const labelledInCandidates = new Uint8Array(labelled.n);
  const a = new GrowableInt32(1 << 16);
  const b = new GrowableInt32(1 << 16);
  const select = db.prepare(`SELECT a * ${PAIR_KEY_BASE} + b FROM candidate_edges`).pluck();
  for (const key of select.iterate() as IterableIterator<number>) {
    const hi = Math.floor(key / PAIR_KEY_BASE);
    let ra = rowOfTerm(table, hi);
    let rb = rowOfTerm(table, key - hi * PAIR_KEY_BASE);
    if (ra < 0 || rb < 0) continue;
    if (ra > rb) [ra, rb] = [rb, ra];
    const known = labelledIndex.get(ra * PAIR_KEY_BASE + rb);
    if (known !== undefined) {
      labelledInCandidates[known] = 1;
      continue;
    }
    a.push(ra);
    b.push(rb);
  }
  return { a: a.view(), b: b.view(), y: new Uint8Array(a.length).fill(UNRELATED), n: a.length, labelledInCandidates };
}

/**
 * Feature matrix of selected pairs. `dictionaryDropout` hides the dictionary evidence of that
 * share of the pairs (seeded): the words a build scores often have no definition (in a held-out
 * build, none of the held-out words has), while every word the knowledge describes has one, so
 * without it the model would learn that "no definition" means "unrelated".
 */
export function featurize(layout: FeatureLayout, table: TermTable, pairs: PairList, pick?: Int32Array, dictionaryDropout = 0, seed = 0): LabelledMatrix {
  const n = pick ? pick.length : pairs.n;
  const width = layout.width;
  const x = new Float32Array(n * width);
  const y = new Uint8Array(n);
  const dictionaryColumns = layout.groups.flatMap((g, f) => (g === 'dictionary' ? [f] : []));
  const random = mulberry32(seed ^ 0xd1c7);
  for (let k = 0; k < n; k++) {
    const i = pick ? pick[k] : k;
    extractFeatures(layout, table, pairs.a[i], pairs.b[i], x, k * width);
    if (dictionaryDropout > 0 && random() < dictionaryDropout) for (const f of dictionaryColumns) x[k * width + f] = 0;
    y[k] = pairs.y[i];
  }
  return { x, y, n };
}

/** Indices of pairs whose two words fall on the given side (crossing pairs belong to neither). */
export function onSide(pairs: PairList, side: Uint8Array, want: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < pairs.n; i++) if (side[pairs.a[i]] === want && side[pairs.b[i]] === want) out.push(i);
  return out;
}

/** A seeded sample of at most `max` of `items`, kept in their original order. */
export function sample(items: readonly number[], max: number, seed: number): number[] {
  if (items.length <= max) return [...items];
  const random = mulberry32(seed);
  const copy = [...items];
  for (let i = 0; i < max; i++) {
    const j = i + Math.floor(random() * (copy.length - i));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy.slice(0, max).sort((x, y) => x - y);
}

export interface TrainingSplit {
  labelled: PairList;
  unrelated: PairList;
  train: { labelled: number[]; unrelated: number[] };
  /** Calibration pairs: candidate pairs inside the validation words, labelled or not (unrelated ones sampled, with their weight). */
  validation: { labelled: number[]; unrelated: number[]; unrelatedWeight: number };
}

/** Most training pairs per class (all of a rarer class are kept): bounds training time on a full build. */
const TRAIN_PER_CLASS = 40_000;
/** Most unrelated calibration pairs (weighted to stand for all of them). */
const VALIDATION_UNRELATED = 20_000;

/** A seeded sample of at most `cap` indices per label, in their original order. */
export function capPerClass(indices: readonly number[], labels: Uint8Array, cap: number, seed: number): number[] {
  const byClass = new Map<number, number[]>();
  for (const i of indices) {
    const list = byClass.get(labels[i]);
    if (list) list.push(i);
    else byClass.set(labels[i], [i]);
  }
  const kept: number[] = [];
  for (const [label, list] of byClass) kept.push(...sample(list, cap, seed + label));
  return kept.sort((x, y) => x - y);
}

/**
 * The training plan: train on labelled pairs of the training words plus at most
 * `unrelatedRatio` times as many unrelated candidates; calibrate on the validation words'
 * candidate pairs in their natural mix.
 */
export function planTraining(db: Db, table: TermTable, seed: number, unrelatedRatio = 1, extra: ReadonlyMap<string, number> = new Map()): TrainingSplit {
  const labelled = labelledPairs(db, table, extra);
  const unrelated = unrelatedCandidates(db, table, labelled);
  const side = innerSide(table, seed);
  const trainLabelled = onSide(labelled, side, 0);
  const trainUnrelated = sample(onSide(unrelated, side, 0), Math.max(1000, Math.round(Math.min(trainLabelled.length, 2 * TRAIN_PER_CLASS) * unrelatedRatio)), seed);
  const valLabelled = onSide(labelled, side, 1).filter((i) => unrelated.labelledInCandidates[i] === 1);
  const allValUnrelated = onSide(unrelated, side, 1);
  // Calibration sees at most VALIDATION_UNRELATED of them, each standing for its share of the rest.
  const valUnrelated = sample(allValUnrelated, VALIDATION_UNRELATED, seed + 7);
  return {
    labelled,
    unrelated,
    train: { labelled: capPerClass(trainLabelled, labelled.y, TRAIN_PER_CLASS, seed), unrelated: trainUnrelated },
    validation: { labelled: valLabelled, unrelated: valUnrelated, unrelatedWeight: valUnrelated.length === 0 ? 1 : allValUnrelated.length / valUnrelated.length },
  };
}

/** Concatenates feature matrices of several pair lists. */
export function stack(parts: readonly LabelledMatrix[], width: number): LabelledMatrix {
  const n = parts.reduce((s, p) => s + p.n, 0);
  const x = new Float32Array(n * width);
  const y = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    x.set(p.x, at * width);
    y.set(p.y, at);
    at += p.n;
  }
  return { x, y, n };
}
