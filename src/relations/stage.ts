/**
 * The relations stage: train the discriminator on what the build may know, then label every
 * candidate pair, streamed from `candidate_edges` to `relation_predictions` through scoring
 * workers, and store the seeds (known synonyms as confident edges, known antonyms as
 * cannot-links). Everything is written in one transaction: an interrupted stage leaves the
 * previous verdicts in place.
 */
import type { Db } from '../store/db.js';
import { inTransaction } from '../store/ingest.js';
import { saveArtifact } from '../store/artifacts.js';
import { clearRelations, verdictFloor, withoutReverseIndex, writeCannotLinks, writeRelationBatch } from '../store/relations.js';
import { readEvidence } from '../store/evidence.js';
import { FORBIDDING, LABEL_OF_KIND, type EvidenceKind } from '../evidence/types.js';
import type { RelationLabel } from '../types.js';
import { createCrossEncoder } from './cross-encoder.js';
import { featureLayout, type FeatureGroup, type FeatureKind } from './features.js';
import { DEFAULT_GATE, gatedLabel } from './gate.js';
import { CLASS_COUNT, modelArtifact, UNRELATED, type RelationModel } from './model.js';
import { createScoringPool } from './pool.js';
import { termText, loadTermTable, rowOfTerm, type TermTable, type TermTableOptions } from './term-table.js';
import { Lemmatizer } from '../lexicon/lemmatize.js';
import { trainRelationModel, type TrainReport } from './train.js';
import { extraRows, featurize, PAIR_KEY_BASE, planTraining, stack, wordsOutsideTerms, type MayLearnFrom, type PairList, type TrainingData } from './training-data.js';

export const RELATIONS_ARTIFACT = 'relations';
/**
 * Feature groups the default model leaves out, by measurement on a held-out build. The elementwise
 * product lowered lexical-split macro-F1 from 0.452 to 0.433 (issue 4 notes). The region (the
 * pair's mean vector) memorises where KeNet's synonyms sit rather than how two words relate: on
 * the dev split it adds nothing (macro-F1 0.402 with it, 0.399 without) but costs synonym precision
 * (0.769 against 0.870) and keeps more derivations as synonyms (1.9% against 1.5%); on a full build
 * it carried most of the model's wrong edges (issue 18). Without them scoring needs only the cosine.
 */
export const DEFAULT_DISABLED_GROUPS: readonly FeatureGroup[] = ['product', 'region'];
/** Share of training pairs whose dictionary evidence is hidden (see featurize). */
const DICTIONARY_DROPOUT = 0.5;
/** Share of training pairs scored as if a word had no evidence (see featurize). Dev macro-F1 with 0 / 0.1 / 0.2: 0.404 / 0.414 / 0.418. */
const EVIDENCE_DROPOUT = 0.2;
/** The dropout of the build's training pairs (seeded by the caller). */
export const TRAINING_DROPOUT = { dictionary: DICTIONARY_DROPOUT, evidence: EVIDENCE_DROPOUT } as const;
const BATCH = 32_768;

export interface RelationsStageOptions {
  seed: number;
  /** P(synonym) needed for a synonym edge, and P(antonym) for a cannot-link. */
  gate?: number;
  threads?: number;
  /** Score with an external ONNX cross-encoder instead of the builtin feature model. */
  crossEncoder?: { modelDir: string; labels?: Record<string, RelationLabel> };
  /** Words the build may learn from beyond its labelled pairs (a held-out build: train-split words only). */
  mayLearnFrom?: MayLearnFrom;
  /** Vectors from the build's embedder for words outside the term list (labelled pairs mention them). */
  embedOutside?: (words: string[]) => Promise<Float32Array>;
  onProgress?: (done: number) => void;
}

export interface RelationsStageReport {
  backend: 'builtin' | 'cross-encoder';
  gate: number;
  training: TrainReport | null;
  /** Words of labelled pairs outside the term list, embedded to train on. */
  wordsOutsideTerms: number;
  seeds: { synonym: number; antonym: number; cohyponym: number };
  /** Seeds from the list's own surface evidence (evidence stage); cannotLinks: the forbidding ones. */
  evidenceSeeds: { synonym: number; antonym: number; cohyponym: number; cannotLinks: number };
  candidates: number;
  scored: number;
  labels: { synonym: number; antonym: number; cohyponym: number };
  synonymEdges: number;
  cannotLinks: number;
  /** Model verdicts stored, and the floor under which the rest were only counted (0: all stored). */
  storedVerdicts: number;
  verdictFloor: number;
  scoringSeconds: number;
  pairsPerSecond: number;
}

/** Trains the builtin model on the build's knowledge (train words), calibrated on the validation words. */
export async function trainBuildModel(
  db: Db,
  table: TermTable,
  seed: number,
  { kind = 'pair', disabledGroups = DEFAULT_DISABLED_GROUPS, extra = new Map(), data = {} }: { kind?: FeatureKind; disabledGroups?: readonly string[]; extra?: ReadonlyMap<string, number>; data?: TrainingData } = {},
): Promise<{ model: RelationModel; report: TrainReport; labelled: PairList }> {
  const layout = featureLayout(kind, table.dims);
  const plan = planTraining(db, table, seed, 1, extra, data);
  const pick = (xs: number[]): Int32Array => Int32Array.from(xs);
  const train = stack(
    [
      featurize(layout, table, plan.labelled, pick(plan.train.labelled), { ...TRAINING_DROPOUT, seed }),
      featurize(layout, table, plan.unrelated, pick(plan.train.unrelated), { ...TRAINING_DROPOUT, seed: seed + 1 }),
    ],
    layout.width,
  );
  const validation = stack(
    // Calibration pairs keep their definitions: hiding them here too raised the temperature (3.0 -> 4.9)
    // and cost 0.045 held-out macro-F1 (measured, issue 4 notes).
    [featurize(layout, table, plan.labelled, pick(plan.validation.labelled)), featurize(layout, table, plan.unrelated, pick(plan.validation.unrelated))],
    layout.width,
  );
  validation.weight = new Float32Array(validation.n).fill(1).fill(plan.validation.unrelatedWeight, plan.validation.labelled.length);
  const { model, report } = await trainRelationModel(layout, train, validation, { seed, disabledGroups });
  return { model, report, labelled: plan.knowledge };
}

/** Known pairs enter as seeds: synonyms as kept edges, antonyms as cannot-links, co-hyponyms as stored non-edges. */
function writeSeeds(db: Db, table: TermTable, all: PairList): RelationsStageReport['seeds'] {
  const counts = { synonym: 0, antonym: 0, cohyponym: 0 };
  // Only pairs of two terms: words outside the term list trained the model but are not clustered.
  const keep: number[] = [];
  for (let i = 0; i < all.n; i++) if (table.termId[all.a[i]] >= 0 && table.termId[all.b[i]] >= 0) keep.push(i);
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
  writeRelationBatch(db, { a, b, probs, label, gated, origin: 'seed', length: labelled.n });
  writeCannotLinks(db, Int32Array.from(antA), Int32Array.from(antB), 'seed');
  return counts;
}

/**
 * The list's own surface evidence (the evidence stage) enters as seeds too: spellings, acronyms
 * and compositional synonyms as kept edges, numbers, negations and antonym words as cannot-links,
 * siblings as stored non-edges. Written before the lexicon's seeds, which replace them where both
 * speak of one pair (curated knowledge wins), and before the model, which never replaces a seed.
 */
function writeEvidenceSeeds(db: Db, known: ReadonlySet<number>): RelationsStageReport['evidenceSeeds'] {
  // A pair the lexicon or the user labels takes that label alone, cannot-links included.
  const rows = readEvidence(db).filter((r) => !known.has(r.a * PAIR_KEY_BASE + r.b));
  const counts = { synonym: 0, antonym: 0, cohyponym: 0, cannotLinks: 0 };
  const n = rows.length;
  const a = Int32Array.from(rows, (r) => r.a);
  const b = Int32Array.from(rows, (r) => r.b);
  const probs = new Float32Array(n * 3);
  const label = new Uint8Array(n);
  const gated = new Uint8Array(n);
  const cannotA: number[] = [];
  const cannotB: number[] = [];
  rows.forEach((r, i) => {
    const kind = r.kind as EvidenceKind;
    const code = LABEL_CODE[LABEL_OF_KIND[kind] ?? 'co-hyponym'];
    probs[3 * i + code] = 1;
    label[i] = code;
    gated[i] = code === 0 ? 1 : 0;
    if (code === 0) counts.synonym++;
    else if (code === 1) counts.antonym++;
    else counts.cohyponym++;
    if (FORBIDDING.has(kind)) {
      cannotA.push(r.a);
      cannotB.push(r.b);
    }
  });
  writeRelationBatch(db, { a, b, probs, label, gated, origin: 'seed', length: n });
  writeCannotLinks(db, Int32Array.from(cannotA), Int32Array.from(cannotB), 'seed');
  counts.cannotLinks = cannotA.length;
  return counts;
}

const LABEL_CODE: Record<RelationLabel, number> = { synonym: 0, antonym: 1, 'co-hyponym': 2 };

/**
 * Candidate pairs in (a, b) order, read in keyset pages (one number per row) so that writes can
 * interleave on the same connection.
 */
function* candidatePages(db: Db, table: TermTable): Generator<{ a: Int32Array; b: Int32Array; n: number }> {
  const page = db.prepare(`SELECT a * ${PAIR_KEY_BASE} + b FROM candidate_edges WHERE (a, b) > (?, ?) ORDER BY a, b LIMIT ?`).pluck();
  let lastA = -1;
  let lastB = -1;
  for (;;) {
    const keys = page.all(lastA, lastB, BATCH) as number[];
    if (keys.length === 0) return;
    const a = new Int32Array(keys.length);
    const b = new Int32Array(keys.length);
    let n = 0;
    for (const key of keys) {
      const x = Math.floor(key / PAIR_KEY_BASE);
      const y = key - x * PAIR_KEY_BASE;
      lastA = x;
      lastB = y;
      const ra = rowOfTerm(table, x);
      const rb = rowOfTerm(table, y);
      if (ra < 0 || rb < 0) continue;
      a[n] = ra;
      b[n] = rb;
      n++;
    }
    yield { a, b, n };
  }
}

export async function runRelationsStage(db: Db, options: RelationsStageOptions): Promise<RelationsStageReport> {
  const gate = options.gate ?? DEFAULT_GATE;
  const outside = options.embedOutside ? wordsOutsideTerms(db) : [];
  let extra: TermTableOptions['extra'];
  if (outside.length > 0 && options.embedOutside) {
    const lemmatizer = new Lemmatizer();
    extra = { norms: outside, vectors: await options.embedOutside(outside), lemmatize: (w) => lemmatizer.lemmatize(w) };
  }
  const table = loadTermTable(db, { extra });
  if (table.rows === 0) throw new Error('the relations stage needs embeddings: run the embed stage first');
  const candidates = db.prepare('SELECT count(*) FROM candidate_edges').pluck().get() as number;

  // The builtin model is trained in every case: it also supplies the seeds' pair list.
  const trained = await trainBuildModel(db, table, options.seed, { extra: extraRows(table, outside), data: { mayLearnFrom: options.mayLearnFrom } });
  const { meta, parts } = modelArtifact(trained.model);
  saveArtifact(db, RELATIONS_ARTIFACT, 'linear-softmax', { ...meta, training: trained.report, gate }, parts);

  const report: RelationsStageReport = {
    backend: options.crossEncoder ? 'cross-encoder' : 'builtin',
    gate,
    training: trained.report,
    wordsOutsideTerms: outside.length,
    seeds: { synonym: 0, antonym: 0, cohyponym: 0 },
    evidenceSeeds: { synonym: 0, antonym: 0, cohyponym: 0, cannotLinks: 0 },
    candidates,
    scored: 0,
    labels: { synonym: 0, antonym: 0, cohyponym: 0 },
    synonymEdges: 0,
    cannotLinks: 0,
    storedVerdicts: 0,
    verdictFloor: verdictFloor(candidates),
    scoringSeconds: 0,
    pairsPerSecond: 0,
  };

  const crossEncoder = options.crossEncoder ? await createCrossEncoder({ modelDir: options.crossEncoder.modelDir, labels: options.crossEncoder.labels, threads: options.threads }) : null;
  const pool = crossEncoder ? null : createScoringPool(trained.model, table, options.threads);
  const score = async (a: Int32Array, b: Int32Array, n: number): Promise<Float32Array> => {
    if (pool) return pool.score(a, b, n);
    const pairs: [string, string][] = [];
    for (let i = 0; i < n; i++) pairs.push([termText(table, a[i]), termText(table, b[i])]);
    const p3 = await crossEncoder!.score(pairs);
    const pc = new Float32Array(n * CLASS_COUNT);
    for (let i = 0; i < n; i++) {
      pc[CLASS_COUNT * i] = p3[3 * i];
      pc[CLASS_COUNT * i + 1] = p3[3 * i + 1];
      pc[CLASS_COUNT * i + 2] = p3[3 * i + 2];
      pc[CLASS_COUNT * i + UNRELATED] = Math.max(0, 1 - p3[3 * i] - p3[3 * i + 1] - p3[3 * i + 2]);
    }
    return pc;
  };

  const write = (page: { a: Int32Array; b: Int32Array; n: number }, pc: Float32Array): void => {
    const { n } = page;
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
        report.labels.synonym++;
      } else if (code === 1) {
        report.labels.antonym++;
        antA.push(a[i]);
        antB.push(b[i]);
      } else report.labels.cohyponym++;
    }
    report.storedVerdicts += writeRelationBatch(db, { a, b, probs, label, gated, origin: 'model', length: n }, report.verdictFloor);
    writeCannotLinks(db, Int32Array.from(antA), Int32Array.from(antB), 'model');
    report.scored += n;
    options.onProgress?.(report.scored);
  };

  try {
    await inTransaction(db, () => withoutReverseIndex(db, async () => {
      clearRelations(db);
      const labelled = trained.labelled;
      const known = new Set<number>();
      for (let i = 0; i < labelled.n; i++) {
        const x = table.termId[labelled.a[i]];
        const y = table.termId[labelled.b[i]];
        if (x >= 0 && y >= 0) known.add(Math.min(x, y) * PAIR_KEY_BASE + Math.max(x, y));
      }
      report.evidenceSeeds = writeEvidenceSeeds(db, known);
      report.seeds = writeSeeds(db, table, trained.labelled);
      const started = performance.now();
      const inFlight: { page: { a: Int32Array; b: Int32Array; n: number }; result: Promise<Float32Array> }[] = [];
      const depth = 2 * (pool?.threads ?? 1);
      for (const page of candidatePages(db, table)) {
        if (page.n === 0) continue;
        // The pool takes ownership of the arrays it is given, so the writer keeps copies.
        const kept = { a: page.a.slice(0, page.n), b: page.b.slice(0, page.n), n: page.n };
        inFlight.push({ page: kept, result: score(page.a, page.b, page.n) });
        if (inFlight.length >= depth) {
          const done = inFlight.shift()!;
          write(done.page, await done.result);
        }
      }
      for (const done of inFlight) write(done.page, await done.result);
      report.scoringSeconds = (performance.now() - started) / 1000;
    }));
  } finally {
    await pool?.close();
    await crossEncoder?.close();
  }
  report.synonymEdges = db.prepare('SELECT count(*) FROM relation_predictions WHERE gated = 1').pluck().get() as number;
  report.cannotLinks = db.prepare('SELECT count(*) FROM cannot_links').pluck().get() as number;
  report.pairsPerSecond = report.scoringSeconds > 0 ? Math.round(report.scored / report.scoringSeconds) : 0;
  return report;
}
