/**
 * The relations stage's run over the store: train the discriminator on what the build may know,
 * then label every candidate pair, paged from the store through the scoring workers (which give
 * back the verdicts to store) to the store in typed batches, and store the seeds (known synonyms
 * as confident edges, known antonyms as cannot-links). Everything is written in one transaction: an interrupted stage leaves the
 * previous verdicts in place. The algorithms are src/relations'.
 */
import { EVIDENCE_KINDS } from '../../evidence/types.js';
import { Lemmatizer } from '../../lexicon/lemmatize.js';
import {
  createPageScorer,
  DEFAULT_GATE,
  evidenceSeedVerdicts,
  extraRows,
  knownPairKeys,
  modelArtifact,
  RELATIONS_ARTIFACT,
  seedVerdicts,
  trainBuildModel,
  type ExtraWords,
  type LabelCounts,
  type MayLearnFrom,
  type PageVerdicts,
  type TermTable,
  type TrainReport,
  type Verdicts,
  verdictFloor,
} from '../../relations/index.js';
import {
  candidatePairPages,
  clearRelations,
  countCandidates,
  countCannotLinks,
  countGatedVerdicts,
  inTransaction,
  readEvidence,
  readWordsOutsideTerms,
  saveArtifact,
  withoutReverseIndex,
  writeCannotLinks,
  writeRelationBatch,
  type Db,
  type RelationOrigin,
} from '../../store/index.js';
import type { RelationLabel } from '../../types.js';
import { loadTermTable, loadTermTableInWorker } from '../term-table.js';
import { storedTrainingSource } from '../training-source.js';
import { SynographError } from '../../errors.js';

/** Candidate pairs read and scored per page. */
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
  seeds: LabelCounts;
  /** KeNet's derivation links of one root (knownDerivations) stored as non-edges, beside the labelled seeds. */
  derivationSeeds: number;
  /** Seeds from the list's own surface evidence (evidence stage); cannotLinks: the forbidding ones. */
  evidenceSeeds: LabelCounts & { cannotLinks: number };
  candidates: number;
  scored: number;
  labels: LabelCounts;
  synonymEdges: number;
  cannotLinks: number;
  /** Model verdicts stored, and the floor under which the rest were only counted (0: all stored). */
  storedVerdicts: number;
  verdictFloor: number;
  /** The preparation's steps (they may run beside the candidates and evidence stages): the outside words' vectors, the term table, the model's training plan and fit (not the wait for the candidates). */
  preparationSeconds: { outsideWords: number; termTable: number; training: number };
  scoringSeconds: number;
  pairsPerSecond: number;
}

/** Stores a batch of verdicts and its cannot-links; returns the verdicts written. */
function storeVerdicts(db: Db, verdicts: Verdicts, origin: RelationOrigin): number {
  const written = writeRelationBatch(db, { ...verdicts.batch, origin });
  writeCannotLinks(db, verdicts.cannotLinks.a, verdicts.cannotLinks.b, origin);
  return written;
}

/** What the stage does before it reads the evidence: the term table and the trained model. */
export interface RelationsPreparation {
  outside: string[];
  table: TermTable;
  trained: Awaited<ReturnType<typeof trainBuildModel>>;
  seconds: RelationsStageReport['preparationSeconds'];
}

/** When and where prepareRelations works (all optional: at once, on this thread). */
export interface PreparationPlace {
  /** Stops the preparation between its steps (and its term table's worker). */
  signal?: AbortSignal;
  /** Fill the term table on a worker thread (a file database only): this thread stays free meanwhile. */
  tableInWorker?: boolean;
  /** Settles once the candidates are stored: the model's training reads them, the term table does not. */
  candidates?: Promise<void>;
}

/** `work`, or a rejection with the signal's reason once it aborts first. */
function unlessAborted(work: Promise<void>, signal?: AbortSignal): Promise<void> {
  if (!signal) return work;
  return new Promise<void>((resolve, reject) => {
    const stop = (): void => reject(signal.reason);
    if (signal.aborted) return stop();
    signal.addEventListener('abort', stop, { once: true });
    work.then(
      () => {
        signal.removeEventListener('abort', stop);
        resolve();
      },
      (err: unknown) => {
        signal.removeEventListener('abort', stop);
        reject(err);
      },
    );
  });
}

/**
 * The term table and the model, from the terms, embeddings, knowledge and candidates: no evidence
 * is read and nothing is written, so this may run while the stages before the relations stage do
 * (relations.ts): the table beside the candidates stage, the training once the candidates are in.
 */
export async function prepareRelations(db: Db, options: RelationsStageOptions, place: PreparationPlace = {}): Promise<RelationsPreparation> {
  const { signal } = place;
  let started = performance.now();
  const lap = (): number => {
    const now = performance.now();
    const seconds = (now - started) / 1000;
    started = now;
    return seconds;
  };
  const outside = options.embedOutside ? readWordsOutsideTerms(db) : [];
  let extra: ExtraWords | undefined;
  if (outside.length > 0 && options.embedOutside) {
    const lemmatizer = new Lemmatizer();
    extra = { norms: outside, vectors: await options.embedOutside(outside), lemmatize: (w) => lemmatizer.lemmatize(w) };
  }
  signal?.throwIfAborted();
  const outsideWords = lap();
  const table = place.tableInWorker && !db.memory ? await loadTermTableInWorker(db.name, extra, signal) : loadTermTable(db, { extra });
  if (table.rows === 0) throw new SynographError('store', 'the relations stage needs embeddings: run the embed stage first');
  signal?.throwIfAborted();
  const termTable = lap();
  if (place.candidates) {
    await unlessAborted(place.candidates, signal);
    lap(); // the wait is no step of the preparation
  }
  // The builtin model is trained in every case: it also supplies the seeds' pair list.
  const trained = await trainBuildModel(storedTrainingSource(db), table, options.seed, { extra: extraRows(table, outside), data: { mayLearnFrom: options.mayLearnFrom } });
  return { outside, table, trained, seconds: { outsideWords, termTable, training: lap() } };
}

/** `prepared`: prepareRelations' work, begun earlier (else it is done here). */
export async function runRelationsStage(db: Db, options: RelationsStageOptions, prepared?: Promise<RelationsPreparation>): Promise<RelationsStageReport> {
  const gate = options.gate ?? DEFAULT_GATE;
  const { outside, table, trained, seconds } = await (prepared ?? prepareRelations(db, options));
  const candidates = countCandidates(db);
  const { meta, parts } = modelArtifact(trained.model);
  saveArtifact(db, RELATIONS_ARTIFACT, 'linear-softmax', { ...meta, training: trained.report, gate }, parts);

  const report: RelationsStageReport = {
    backend: options.crossEncoder ? 'cross-encoder' : 'builtin',
    gate,
    training: trained.report,
    wordsOutsideTerms: outside.length,
    seeds: { synonym: 0, antonym: 0, cohyponym: 0 },
    derivationSeeds: 0,
    evidenceSeeds: { synonym: 0, antonym: 0, cohyponym: 0, cannotLinks: 0 },
    candidates,
    scored: 0,
    labels: { synonym: 0, antonym: 0, cohyponym: 0 },
    synonymEdges: 0,
    cannotLinks: 0,
    storedVerdicts: 0,
    verdictFloor: verdictFloor(candidates),
    preparationSeconds: seconds,
    scoringSeconds: 0,
    pairsPerSecond: 0,
  };

  const scorer = await createPageScorer(trained.model, table, { gate, floor: report.verdictFloor, threads: options.threads, crossEncoder: options.crossEncoder });
  const write = ({ verdicts, scored }: PageVerdicts): void => {
    report.labels.synonym += verdicts.counts.synonym;
    report.labels.antonym += verdicts.counts.antonym;
    report.labels.cohyponym += verdicts.counts.cohyponym;
    report.storedVerdicts += storeVerdicts(db, verdicts, 'model');
    report.scored += scored;
    options.onProgress?.(report.scored);
  };

  try {
    await inTransaction(db, () => withoutReverseIndex(db, async () => {
      clearRelations(db);
      const labelledKeys = knownPairKeys(table, trained.labelled);
      // A derivation link never overrides what the knowledge labels a pair.
      const derivations = seedVerdicts(table, trained.derivations, labelledKeys);
      const evidence = evidenceSeedVerdicts(readEvidence(db, EVIDENCE_KINDS), new Set([...labelledKeys, ...knownPairKeys(table, trained.derivations)]));
      storeVerdicts(db, evidence, 'seed');
      report.evidenceSeeds = { ...evidence.counts, cannotLinks: evidence.cannotLinks.a.length };
      const seeds = seedVerdicts(table, trained.labelled);
      storeVerdicts(db, seeds, 'seed');
      report.seeds = seeds.counts;
      storeVerdicts(db, derivations, 'seed');
      report.derivationSeeds = derivations.counts.cohyponym;
      const started = performance.now();
      // Written in page order, so the store gets the same rows whatever finishes first.
      const inFlight: Promise<PageVerdicts>[] = [];
      for (const page of candidatePairPages(db, BATCH)) {
        inFlight.push(scorer.verdicts(page.a, page.b, page.n));
        if (inFlight.length >= scorer.depth) write(await inFlight.shift()!);
      }
      for (const done of inFlight) write(await done);
      report.scoringSeconds = (performance.now() - started) / 1000;
    }));
  } finally {
    await scorer.close();
  }
  report.synonymEdges = countGatedVerdicts(db);
  report.cannotLinks = countCannotLinks(db);
  report.pairsPerSecond = report.scoringSeconds > 0 ? Math.round(report.scored / report.scoringSeconds) : 0;
  return report;
}
