/**
 * Training data of the discriminator, from what the build stored (a TrainingSource: the pipeline
 * reads it from the store): the labelled pairs the build may learn from (`gold_relations`: in a held-out build only train-split KeNet knowledge, plus the
 * user's own pairs) and `unrelated` examples (candidate pairs that no labelled pair relates: the
 * bulk of what the scorer sees).
 *
 * Calibration needs words the model never trained on, so the known words are split once more,
 * by a seeded hash of the word (80 / 20): the model trains on pairs inside the first part and is
 * calibrated on the candidate pairs inside the second, in their natural proportions.
 */
import type { RelationLabel } from '../types.js';
import { GrowableInt32 } from '../util/growable.js';
import { LargeSet } from '../util/large-map.js';
import { hash32, hash32Units, mulberry32 } from '../util/random.js';
import { forEachUnrelated, GROUP, groupCandidates, PAIR_KEY_BASE, PairIndex, pairRecords } from './candidate-groups.js';
import { NEGATING_CLASSES } from './derivation.js';
import { extractFeatures, isWordExtension, type FeatureLayout } from './features.js';
import { KeyGroups } from './key-groups.js';
import { ANTONYM, COHYPONYM, DERIVED, UNRELATED } from './model.js';
import { SIG, SIG_FIELDS, wordKey } from './morphology.js';
import { KNOWN_RELATION, rowOfTerm, termText, type TermTable, type WordPairs } from './term-table.js';
import type { LabelledMatrix } from './train.js';

export { PAIR_KEY_BASE } from './candidate-groups.js';

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

/** A stored labelled pair with its words' term ids (null for a word outside the term list). */
export type LabelledRow = readonly [a: string, b: string, idA: number | null, idB: number | null, label: RelationLabel];

/** What the discriminator's training data is drawn from: what the build stored, read on demand. */
export interface TrainingSource {
  /** Labelled pairs with their words' term ids, in (a, b, source) order: a pair's first source first. */
  labelledRows(): Iterable<LabelledRow>;
  /** KeNet's derivation links between words (a < b), once each, in a stable order. */
  derivationPairs(): Iterable<readonly [string, string]>;
  /** Known relations of single words, without derivation links (the mined pairs' knowledge). */
  wordPairs(): WordPairs;
  /**
   * Every candidate pair as a pair key (`a * PAIR_KEY_BASE + b`) in (a, b) order, in pages:
   * tens of millions in a large build, never one object or one native call per pair.
   */
  candidateKeys(): Iterable<ArrayLike<number>>;
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
export function labelledPairs(labelledRows: Iterable<LabelledRow>, table: TermTable, extra: ReadonlyMap<string, number> = new Map()): PairList {
  const rows: [number, number, number][] = [];
  const seen = new Set<string>();
  for (const [wa, wb, ia, ib, label] of labelledRows) {
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

/** Which words a build may learn from: in a held-out build only train-split words (EVALUATION.md); absent, every word. */
export type MayLearnFrom = (norm: string) => boolean;

/**
 * The row of each of `words` that the table holds (terms and extra words; the last row where a
 * text repeats). Rows are hashed from their code units and made strings only on a hash of a wanted
 * word: a map of every row's text took 9.7 s of the relations preparation at 4.4M terms, for the
 * 42.5k words of KeNet's 218.6k derivation pairs.
 */
function rowsOfWords(table: TermTable, words: Iterable<string>): Map<string, number> {
  const wanted = new Set(words);
  const hashes = new Set<number>();
  for (const w of wanted) hashes.add(hash32(w));
  const rows = new Map<string, number>();
  for (let r = 0; r < table.rows; r++) {
    if (!hashes.has(hash32Units(table.text, table.textStart[r], table.textStart[r + 1]))) continue;
    const text = termText(table, r);
    if (wanted.has(text)) rows.set(text, r);
  }
  return rows;
}

/**
 * KeNet's DERIVATION_RELATED literal pairs between table rows, labelled DERIVED: related words
 * that are never synonyms (`albenisiz` / `albenisizlik`). A held-out build stores only visible
 * synsets, so these are pairs of train-split words; `mayLearnFrom` checks it again.
 */
export function derivationTrainingPairs(derivationPairs: Iterable<readonly [string, string]>, table: TermTable, mayLearnFrom?: MayLearnFrom): PairList {
  const pairs = [...derivationPairs];
  const rowOf = rowsOfWords(table, pairs.flat());
  const rows: [number, number, number][] = [];
  for (const [a, b] of pairs) {
    const ra = rowOf.get(a);
    const rb = rowOf.get(b);
    if (ra === undefined || rb === undefined || ra === rb) continue;
    if (mayLearnFrom && !(mayLearnFrom(a) && mayLearnFrom(b))) continue;
    rows.push([Math.min(ra, rb), Math.max(ra, rb), DERIVED]);
  }
  return pairList(rows);
}

/**
 * The derivation links whose two terms share a root (derivation.ts), relabelled COHYPONYM (neither
 * synonym nor antonym) to enter as seeds: the lexicon says the two are derived from each other, and
 * the analysis agrees. The model trains on them as DERIVED but cannot always follow: translations
 * give `rus` and `rusça` (`Russian`) one sense in four languages, so that 11 of the full build's
 * 212 model edges at the first cut of issue 18 were such links, all wrong (`fransız` /
 * `fransızca`, `fotoğraf` / `fotoğrafçılık`). Links of two roots are left to the model: KeNet links
 * synonyms such as `güç` / `kuvvet` and `hızlı` / `çabuk` that way too.
 */
export function knownDerivations(table: TermTable, linked: PairList): PairList {
  const sig = table.signature;
  const rows: Rows = [];
  for (let i = 0; i < linked.n; i++) {
    const a = linked.a[i];
    const b = linked.b[i];
    if (table.termId[a] < 0 || table.termId[b] < 0) continue;
    if (sig[a * SIG_FIELDS + SIG.rootKey] === sig[b * SIG_FIELDS + SIG.rootKey]) rows.push([a, b, COHYPONYM]);
  }
  return pairList(rows);
}

/**
 * Most rows of one root or number frame that are paired (a root such as `su` has hundreds of
 * derivations). Dev macro-F1 with 12 / 24 / 48: 0.400 / 0.397 / 0.398, flat.
 */
const MINED_GROUP = 24;

type Rows = [number, number, number][];

/** Rows grouped by a signature field (0 values left out). */
function groupBy(table: TermTable, rows: readonly number[], field: number): KeyGroups {
  return new KeyGroups(rows, (r) => table.signature[r * SIG_FIELDS + field], true);
}

/** Labels every pair of each group (a seeded sample of MINED_GROUP of a bigger one); a negative label skips the pair. */
function pairGroups(groups: KeyGroups, seed: number, label: (x: number, y: number) => number, out: Rows): void {
  for (const [key, members] of groups) {
    if (members.length < 2) continue;
    const kept = sample(members, MINED_GROUP, seed ^ key);
    for (let i = 0; i < kept.length; i++)
      for (let j = i + 1; j < kept.length; j++) {
        const y = label(kept[i], kept[j]);
        if (y >= 0) out.push([kept[i], kept[j], y]);
      }
  }
}

/**
 * Pairs the surface forms label by themselves (derivation.ts), among words the build may learn
 * from, each group capped at MINED_GROUP rows:
 * - two terms of one root with other suffix classes are a derivation (`şımarık` / `şımarıklık`),
 *   or an antonym when the difference includes privation or negation (`ödün` / `ödünsüz`,
 *   `gelmek` / `gelmemek`);
 * - two terms that differ only in the number they spell are siblings (`yedinci` / `yirminci`);
 * - two derived terms whose roots the knowledge relates (`wordPairs`) are opposites when one root
 *   is privative or negated and the roots are synonyms (`hoşgörü` / `müsamahasızlık`), or when
 *   the roots are antonyms and derived alike (`iyilik` / `kötülük`);
 * - a term and the same term with one more word are related, not synonyms (`hediye` /
 *   `hediye çeki`): labelled unrelated.
 */
export function minedPairs(table: TermTable, seed: number, mayLearnFrom?: MayLearnFrom, wordPairs: WordPairs = []): PairList {
  const sig = table.signature;
  const learnable: number[] = [];
  for (let r = 0; r < table.rows; r++) if (!mayLearnFrom || mayLearnFrom(termText(table, r))) learnable.push(r);
  const chain = (r: number): number => sig[r * SIG_FIELDS + SIG.chain];
  const rows: Rows = [];
  pairGroups(groupBy(table, learnable, SIG.rootKey), seed, (x, y) => {
    const diff = chain(x) ^ chain(y);
    if (diff === 0) return -1; // same classes: spelling or phrasing variants, not mined
    return diff & NEGATING_CLASSES ? ANTONYM : DERIVED;
  }, rows);
  const numbered = learnable.filter((r) => sig[r * SIG_FIELDS + SIG.numValue] !== 0);
  pairGroups(groupBy(table, numbered, SIG.numFrame), seed, (x, y) => (sig[x * SIG_FIELDS + SIG.numValue] === sig[y * SIG_FIELDS + SIG.numValue] ? -1 : COHYPONYM), rows);

  const byRootWord = groupBy(table, learnable, SIG.rootWord);
  for (const [wx, wy, known] of wordPairs) {
    if (known !== KNOWN_RELATION.synonym && known !== KNOWN_RELATION.antonym) continue;
    const x = wordKey(wx);
    const y = wordKey(wy);
    const ra = byRootWord.get(x);
    const rb = byRootWord.get(y);
    if (!ra || !rb || x === y) continue;
    for (const a of sample(ra, MINED_GROUP, seed ^ x))
      for (const b of sample(rb, MINED_GROUP, seed ^ y)) {
        if ((chain(a) | chain(b)) === 0) continue; // two bare words: the knowledge itself
        const negated = ((chain(a) ^ chain(b)) & NEGATING_CLASSES) !== 0;
        if ((known === KNOWN_RELATION.synonym) === negated) rows.push([Math.min(a, b), Math.max(a, b), ANTONYM]);
      }
  }

  // One word added: the longer term's frame (all words but its first or last) is the shorter term.
  // Labelled unrelated, not derived: as a fifth-class derivation they took synonym mass from every
  // phrase and halved dev synonym recall at the gate (0.200 -> 0.101, dev macro-F1 0.412 -> 0.366).
  // The last row of each norm, as a map set row by row would keep.
  const byNorm = new KeyGroups(learnable, (r) => sig[r * SIG_FIELDS + SIG.norm]);
  for (const r of learnable) {
    if (sig[r * SIG_FIELDS + SIG.words] < 2) continue;
    for (const frame of [SIG.prefixFrame, SIG.suffixFrame]) {
      const same = byNorm.get(sig[r * SIG_FIELDS + frame]);
      const shorter = same?.[same.length - 1];
      if (shorter !== undefined && isWordExtension(sig, shorter * SIG_FIELDS, r * SIG_FIELDS)) rows.push([Math.min(r, shorter), Math.max(r, shorter), UNRELATED]);
    }
  }
  return pairList(rows);
}

/**
 * Concatenates pair lists, the first list holding a pair keeping it (labelled knowledge before
 * KeNet derivations before mined pairs).
 */
export function mergePairs(lists: readonly PairList[]): PairList {
  const seen = new LargeSet<number>();
  const rows: [number, number, number][] = [];
  for (const list of lists)
    for (let i = 0; i < list.n; i++) {
      const a = Math.min(list.a[i], list.b[i]);
      const b = Math.max(list.a[i], list.b[i]);
      const key = a * PAIR_KEY_BASE + b;
      if (seen.has(key)) continue;
      seen.add(key);
      rows.push([a, b, list.y[i]]);
    }
  return pairList(rows);
}

/** Side of the inner split per row: 0 trains, 1 calibrates. */
export function innerSide(table: TermTable, seed: number, validationShare = 0.2): Uint8Array {
  const side = new Uint8Array(table.rows);
  for (let r = 0; r < table.rows; r++) side[r] = hash32Units(table.text, table.textStart[r], table.textStart[r + 1], seed ^ INNER_SPLIT_SALT) / 2 ** 32 < validationShare ? 1 : 0;
  return side;
}

/**
 * Candidate pairs that no labelled pair relates, presumed unrelated, as table rows; and which
 * labelled pairs are candidates too. One pass over the candidate pairs' keys. Most candidates are
 * unrelated: in a held-out build 99.7% of candidate pairs between test words are in no gold
 * relation. They include pairs of words the knowledge says nothing about, which matters: those
 * words' vectors sit elsewhere in the space (the embedder saw less about them), and a model that
 * never saw such pairs extrapolates there (measured: P(synonym) >= 0.7 on 69% of them without).
 */
export function unrelatedCandidates(candidateKeyPages: Iterable<ArrayLike<number>>, table: TermTable, labelled: PairList): PairList & { labelledInCandidates: Uint8Array } {
  const a = new GrowableInt32(1 << 16);
  const b = new GrowableInt32(1 << 16);
  const records = pairRecords(table, labelled);
  const index = PairIndex.of(table.rows, labelled);
  const labelledInCandidates = new Uint8Array(labelled.n);
  for (const keys of candidateKeyPages)
    forEachUnrelated(keys, records, index, labelledInCandidates, (ra, rb) => {
      a.push(ra);
      b.push(rb);
    });
  return { a: a.view(), b: b.view(), y: new Uint8Array(a.length).fill(UNRELATED), n: a.length, labelledInCandidates };
}

/** Shares of training pairs whose evidence is hidden (see featurize); seeded. */
export interface Dropout {
  dictionary?: number;
  evidence?: number;
  seed?: number;
}

/**
 * Feature matrix of selected pairs, with two kinds of seeded dropout on training pairs:
 * - `dictionary` hides the dictionary evidence of that share: the words a build scores often have
 *   no definition (in a held-out build, none of the held-out words has), while every word the
 *   knowledge describes has one, so without it the model would learn that "no definition" means
 *   "unrelated";
 * - `evidence` scores that share as pairs with a word the model has no evidence for (no cosine,
 *   product or region; `noEvidence` set), as features.ts does for such words: the knowledge's
 *   words are nearly all known to the embedder, so without it the few unknown ones would be scored
 *   by weights never fitted to them (at a1e1b51 the 31 unknown KeNet terms were synonyms of each
 *   other at 0.7-0.98).
 */
export function featurize(layout: FeatureLayout, table: TermTable, pairs: PairList, pick?: Int32Array, dropout: Dropout = {}): LabelledMatrix {
  const n = pick ? pick.length : pairs.n;
  const width = layout.width;
  const x = new Float32Array(n * width);
  const y = new Uint8Array(n);
  const dictionaryColumns = layout.groups.flatMap((g, f) => (g === 'dictionary' ? [f] : []));
  const embeddingColumns = layout.groups.flatMap((g, f) => (g === 'product' || g === 'region' || layout.names[f] === 'cosine' ? [f] : []));
  const noEvidence = layout.names.indexOf('noEvidence');
  const random = mulberry32((dropout.seed ?? 0) ^ 0xd1c7);
  const dictionary = dropout.dictionary ?? 0;
  const evidence = dropout.evidence ?? 0;
  for (let k = 0; k < n; k++) {
    const i = pick ? pick[k] : k;
    const at = k * width;
    extractFeatures(layout, table, pairs.a[i], pairs.b[i], x, at);
    if (dictionary > 0 && random() < dictionary) for (const f of dictionaryColumns) x[at + f] = 0;
    if (evidence > 0 && noEvidence >= 0 && random() < evidence) {
      for (const f of embeddingColumns) x[at + f] = 0;
      x[at + noEvidence] = 1;
    }
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
export function sample(items: readonly number[] | Int32Array, max: number, seed: number): number[] {
  if (items.length <= max) return [...items];
  return samplePositions(items.length, max, seed)
    .map((p) => items[p])
    .sort((x, y) => x - y);
}

/**
 * The positions `sample` draws from a list of `n` items, ascending: Fisher-Yates over the first
 * `max` places, the displaced positions kept in a map, so that a draw from tens of millions of
 * candidate pairs needs neither the list nor a copy of it.
 */
export function samplePositions(n: number, max: number, seed: number): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  const random = mulberry32(seed);
  const displaced = new Map<number, number>();
  const out = new Array<number>(max);
  for (let i = 0; i < max; i++) {
    const j = i + Math.floor(random() * (n - i));
    const atI = displaced.get(i) ?? i;
    out[i] = displaced.get(j) ?? j;
    displaced.set(j, atI);
  }
  return out.sort((x, y) => x - y);
}

export interface TrainingSplit {
  /** The build's knowledge (labelled pairs): also the seeds. */
  knowledge: PairList;
  /** KeNet's derivation links between terms of one root (knownDerivations), labelled COHYPONYM: seeds too. */
  derivations: PairList;
  /** Everything trained on: the knowledge, KeNet derivations and mined pairs. */
  labelled: PairList;
  /** The unrelated candidates drawn for training and calibration, in candidate order (not all of them). */
  unrelated: PairList;
  train: { labelled: number[]; unrelated: number[] };
  /** Calibration pairs: candidate pairs inside the validation words, labelled or not (unrelated ones sampled, with their weight). */
  validation: { labelled: number[]; unrelated: number[]; unrelatedWeight: number };
}

/** Most training pairs per class (all of a rarer class are kept): bounds training time on a full build. */
const TRAIN_PER_CLASS = 40_000;
/** Most unrelated calibration pairs (weighted to stand for all of them). */
const VALIDATION_UNRELATED = 20_000;

/**
 * A seeded sample of at most `cap` indices per label, in their original order. With `priority`,
 * higher-priority indices are kept first and the sample is drawn from the level that overflows.
 */
export function capPerClass(indices: readonly number[], labels: Uint8Array, cap: number, seed: number, priority?: Uint8Array): number[] {
  const byClass = new Map<number, number[]>();
  for (const i of indices) {
    const list = byClass.get(labels[i]);
    if (list) list.push(i);
    else byClass.set(labels[i], [i]);
  }
  const kept: number[] = [];
  for (const [label, list] of byClass) {
    if (!priority) {
      kept.push(...sample(list, cap, seed + label));
      continue;
    }
    let room = cap;
    for (let level = 255; level >= 0 && room > 0; level--) {
      const at = list.filter((i) => priority[i] === level);
      if (at.length === 0) continue;
      const taken = sample(at, room, seed + label + 31 * level);
      kept.push(...taken);
      room -= taken.length;
    }
  }
  return kept.sort((x, y) => x - y);
}

/**
 * Which labelled pairs to train on first when a class is capped: those that are candidates (what
 * the scorer sees), then those of one root (the derivations the shared-root cues confuse with
 * synonyms), then the rest. Without it the 40,000 derivations of a full build are a sample of
 * KeNet's 218,563 links, nearly all between words too far apart to be candidates.
 */
export function trainingPriority(table: TermTable, pairs: PairList, inCandidates: Uint8Array): Uint8Array {
  const sig = table.signature;
  const out = new Uint8Array(pairs.n);
  for (let i = 0; i < pairs.n; i++) {
    if (inCandidates[i]) out[i] = 2;
    else if (sig[pairs.a[i] * SIG_FIELDS + SIG.rootKey] === sig[pairs.b[i] * SIG_FIELDS + SIG.rootKey]) out[i] = 1;
  }
  return out;
}

/** Share of the unrelated training pairs kept for pairs that share surface material (see sampleUnrelated). */
// Dev split (held-out build, seed 42): a share of 0 / 0.25 / 0.5 gave macro-F1 0.363 / 0.395 / 0.399.
const HARD_UNRELATED_SHARE = 0.5;

/**
 * A seeded sample of `budget` unrelated candidates, up to HARD_UNRELATED_SHARE of them pairs that
 * share surface material but no knowledge relates (`fikir` / `fikri`, `vergi almak` / `vergi
 * kaçırmak`): a uniform sample holds too few of them to outweigh the many inflected variants and
 * one-word paraphrases KeNet does list as synonyms, and they are the unrelated pairs the shared-root
 * and frame cues would otherwise keep.
 */
function sampleUnrelated(source: TrainingSource, table: TermTable, labelled: PairList, side: Uint8Array, budget: number, seed: number, helper?: boolean): UnrelatedSample {
  // Each candidate's group, two bits a pair: the draw needs the counts, so it comes after this pass,
  // and the second pass reads the codes instead of grouping every pair again. On the 1M-term list
  // (61.7M pairs, 15 MB of codes) the training plan took 47.9 s, now 26.1 s.
  const { codes, counts, labelledInCandidates } = groupCandidates(source.candidateKeys(), table, labelled, side, helper);
  const hard = samplePositions(counts[0], Math.round(budget * HARD_UNRELATED_SHARE), seed + 3);
  // Calibration sees at most VALIDATION_UNRELATED of them, each standing for its share of the rest.
  const taken = [hard, samplePositions(counts[1], budget - hard.length, seed), samplePositions(counts[2], VALIDATION_UNRELATED, seed + 7)];
  // The second pass keeps the drawn pairs: the candidates are read twice, never held (61.7M pairs at
  // 1M terms). The k-th pair of a group is drawn when k is the next of that group's taken positions.
  const seen = [0, 0, 0];
  const next = [0, 0, 0];
  const rows: Rows = [];
  const train: number[] = [];
  const validation: number[] = [];
  let ordinal = -1;
  for (const keys of source.candidateKeys())
    for (let k = 0; k < keys.length; k++) {
      const g = codes.get(++ordinal);
      if (g === GROUP.none || taken[g][next[g]] !== seen[g]++) continue;
      next[g]++;
      const key = keys[k];
      const hi = Math.floor(key / PAIR_KEY_BASE);
      const x = rowOfTerm(table, hi);
      const y = rowOfTerm(table, key - hi * PAIR_KEY_BASE);
      (g === GROUP.calibration ? validation : train).push(rows.length);
      rows.push(x < y ? [x, y, UNRELATED] : [y, x, UNRELATED]);
    }
  return { pairs: pairList(rows), train, validation, validationWeight: taken[2].length === 0 ? 1 : counts[2] / taken[2].length, labelledInCandidates };
}

/** The unrelated candidates a model trains and calibrates on: only the drawn pairs, indexed. */
interface UnrelatedSample {
  pairs: PairList;
  train: number[];
  validation: number[];
  /** How many calibration pairs each drawn one stands for. */
  validationWeight: number;
  labelledInCandidates: Uint8Array;
}

/**
 * The training plan: train on labelled pairs of the training words plus at most
 * `unrelatedRatio` times as many unrelated candidates; calibrate on the validation words'
 * candidate pairs in their natural mix.
 */
export interface TrainingData {
  /** Train on KeNet's derivation links and on pairs mined from surface forms (issue 18). */
  derivations?: boolean;
  /** Class of derivation pairs: their own (DERIVED) or merged into UNRELATED. */
  derivedClass?: boolean;
  mayLearnFrom?: MayLearnFrom;
  /** Group the candidate pairs with a helper thread (default: past 4M pairs); the same plan either way. */
  candidateHelper?: boolean;
}

export function planTraining(source: TrainingSource, table: TermTable, seed: number, unrelatedRatio = 1, extra: ReadonlyMap<string, number> = new Map(), data: TrainingData = {}): TrainingSplit {
  const knowledge = labelledPairs(source.labelledRows(), table, extra);
  let labelled = knowledge;
  const linked = derivationTrainingPairs(source.derivationPairs(), table, data.mayLearnFrom);
  if (data.derivations !== false) {
    labelled = mergePairs([knowledge, linked, minedPairs(table, seed, data.mayLearnFrom, source.wordPairs())]);
    if (data.derivedClass === false) for (let i = 0; i < labelled.n; i++) if (labelled.y[i] === DERIVED) labelled.y[i] = UNRELATED;
  }
  const side = innerSide(table, seed);
  const trainLabelled = onSide(labelled, side, 0);
  const unrelatedBudget = Math.max(1000, Math.round(Math.min(trainLabelled.length, 2 * TRAIN_PER_CLASS) * unrelatedRatio));
  const unrelated = sampleUnrelated(source, table, labelled, side, unrelatedBudget, seed, data.candidateHelper);
  const valLabelled = onSide(labelled, side, 1).filter((i) => unrelated.labelledInCandidates[i] === 1);
  return {
    knowledge,
    derivations: knownDerivations(table, linked),
    labelled,
    unrelated: unrelated.pairs,
    train: { labelled: capPerClass(trainLabelled, labelled.y, TRAIN_PER_CLASS, seed, trainingPriority(table, labelled, unrelated.labelledInCandidates)), unrelated: unrelated.train },
    validation: { labelled: valLabelled, unrelated: unrelated.validation, unrelatedWeight: unrelated.validationWeight },
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
