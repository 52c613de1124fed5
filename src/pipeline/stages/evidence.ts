/**
 * The evidence stage's adapter: reads the terms, the lexicon and the candidate pairs from the
 * store, runs the pure rules of src/evidence and stores what they found (replacing the previous
 * evidence), in one transaction.
 *
 * The rules run in a worker on their own read connection (workers/evidence.ts) when the database
 * is a file: the relations stage's preparation, which reads no evidence, trains its model on this
 * thread meanwhile (relations.ts `early`). An in-memory database is read here.
 */
import { EVIDENCE_KINDS, findEvidence, wordKnowledge, type EvidenceKind } from '../../evidence/index.js';
import { Lemmatizer } from '../../lexicon/lemmatize.js';
import { readCandidateSuccessors, readLexiconWords, readTermSpellings, writeEvidence, type Db, type EvidenceRow } from '../../store/index.js';
import { workerPool } from '../../util/pool.js';
import { workerFile } from '../../util/workers.js';
import type { StageDefinition } from '../stage.js';

/** Changes whenever the rules change what they find for the same inputs. */
export const EVIDENCE_STAGE_VERSION = 6;

export interface EvidenceStageReport {
  terms: number;
  pairs: number;
  byKind: Record<EvidenceKind, number>;
  families: number;
  termsInFamilies: number;
  acronyms: number;
  seconds: number;
}

/**
 * What the rules found, as columns a worker hands back without a copy: term ids, kinds (indices
 * into EVIDENCE_KINDS) and the details as UTF-8, detail k at bytes [ends[k - 1], ends[k]).
 */
export interface FoundEvidence {
  a: Int32Array;
  b: Int32Array;
  kind: Uint8Array;
  details: Uint8Array;
  ends: Float64Array;
  report: Omit<EvidenceStageReport, 'pairs' | 'seconds'>;
}

/** The rules over the stored terms, lexicon and candidate pairs (reads only). */
export function findStoredEvidence(db: Db): FoundEvidence {
  const { ids, norms, originals } = readTermSpellings(db);
  const indexOf = new Int32Array(ids.length === 0 ? 1 : ids[ids.length - 1] + 1).fill(-1);
  ids.forEach((id, i) => (indexOf[id] = i));
  // Only the pairs between terms of large pattern groups are read (compose.ts asks for no others).
  const pairedWithin = (members: Uint8Array): ((i: number) => Int32Array) => {
    const keep = new Uint8Array(indexOf.length);
    members.forEach((m, i) => (keep[ids[i]] = m));
    const candidates = readCandidateSuccessors(db, keep);
    // Term ids to term indices once, in place: a term of a large group is asked for once per group.
    // Indices ascend with ids (readTermSpellings), so a term's successors stay after it.
    const successors = candidates.successors;
    for (let k = 0; k < successors.length; k++) successors[k] = indexOf[successors[k]];
    return (i) => candidates.of(ids[i]);
  };
  const found = findEvidence({ terms: norms, originals, words: wordKnowledge(readLexiconWords(db), new Lemmatizer()), pairedWithin });
  const n = found.evidence.length;
  const a = new Int32Array(n);
  const b = new Int32Array(n);
  const kind = new Uint8Array(n);
  const ends = new Float64Array(n);
  const code = new Map(EVIDENCE_KINDS.map((k, i) => [k, i]));
  // Details are written one at a time (a 100k-line domain list has 1.2M pairs, nearly all siblings).
  const encoder = new TextEncoder();
  // Room for 48 bytes a detail to begin with (at 928k terms of bench:e2e they took 37 on average).
  let details = new Uint8Array(Math.max(1024, n * 48));
  let used = 0;
  for (let k = 0; k < n; k++) {
    const e = found.evidence.at(k);
    a[k] = ids[e.a];
    b[k] = ids[e.b];
    kind[k] = code.get(e.kind)!;
    // A UTF-8 character takes at most three bytes per UTF-16 unit.
    if (used + 3 * e.detail.length > details.length) {
      const grown = new Uint8Array(Math.max(2 * details.length, used + 3 * e.detail.length));
      grown.set(details.subarray(0, used));
      details = grown;
    }
    used += encoder.encodeInto(e.detail, details.subarray(used)).written;
    ends[k] = used;
  }
  const { byKind, families, termsInFamilies, acronyms } = found;
  return { a, b, kind, details: details.subarray(0, used), ends, report: { terms: norms.length, byKind, families, termsInFamilies, acronyms } };
}

/** Replaces the stored evidence with what was found; returns the rows written. */
export function writeFoundEvidence(db: Db, found: FoundEvidence): number {
  const decoder = new TextDecoder();
  const rows = function* (): Generator<EvidenceRow> {
    for (let k = 0; k < found.a.length; k++) {
      const detail = decoder.decode(found.details.subarray(k === 0 ? 0 : found.ends[k - 1], found.ends[k]));
      yield { a: found.a[k], b: found.b[k], kind: EVIDENCE_KINDS[found.kind[k]], detail };
    }
  };
  return db.transaction(() => writeEvidence(db, rows()))();
}

/** The rules in a worker on its own read-only connection to `file`. */
async function findEvidenceInWorker(file: string): Promise<FoundEvidence> {
  const pool = workerPool(workerFile('evidence'), { name: 'evidence', maxThreads: 1, minThreads: 1 });
  try {
    return await pool.run<FoundEvidence>(file);
  } finally {
    await pool.destroy();
  }
}

export async function runEvidenceStage(db: Db, options: { inWorker?: boolean } = {}): Promise<EvidenceStageReport> {
  const started = performance.now();
  const found = options.inWorker && !db.memory ? await findEvidenceInWorker(db.name) : findStoredEvidence(db);
  const pairs = writeFoundEvidence(db, found);
  return { ...found.report, pairs, seconds: (performance.now() - started) / 1000 };
}

/**
 * Bytes a term of the stage at its peak (the rules' worker, and the columns it hands back as they
 * are written): alone it peaked at 9.49 GiB on the 12.6M terms of the 15M-line bench:e2e list,
 * 808 bytes a term.
 */
const EVIDENCE_BYTES_PER_TERM = 810;

export const evidenceStage: StageDefinition<EvidenceStageReport> = {
  name: 'evidence',
  reads: ['lexicon', 'terms', 'candidates'],
  fingerprint: ({ upstream, termsGeneration }) => [EVIDENCE_STAGE_VERSION, upstream('lexicon'), upstream('terms'), termsGeneration(), upstream('candidates')],
  peakBytes: ({ terms }) => terms * EVIDENCE_BYTES_PER_TERM,
  run: async ({ db }) => runEvidenceStage(db, { inWorker: true }),
};
