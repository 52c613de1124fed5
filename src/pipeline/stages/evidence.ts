/**
 * The evidence stage's adapter: reads the terms, the lexicon and the candidate pairs from the
 * store, runs the pure rules of src/evidence and stores what they found (replacing the previous
 * evidence), in one transaction.
 */
import { findEvidence, wordKnowledge, type EvidenceKind } from '../../evidence/index.js';
import { Lemmatizer } from '../../lexicon/lemmatize.js';
import { readCandidateAdjacency, readLexiconWords, readTermSpellings, writeEvidence, type Db } from '../../store/index.js';
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

export function runEvidenceStage(db: Db): EvidenceStageReport {
  const started = performance.now();
  const { ids, norms, originals } = readTermSpellings(db);
  const indexOf = new Int32Array(ids.length === 0 ? 1 : ids[ids.length - 1] + 1).fill(-1);
  ids.forEach((id, i) => (indexOf[id] = i));
  const candidates = readCandidateAdjacency(db);
  // Term ids to term indices once, in place (-1: not a stored term), rather than a filtered copy
  // of a row at every call: a term of a large template group is asked for once per group.
  const adjacent = candidates.neighbours;
  let unknown = false;
  for (let k = 0; k < adjacent.length; k++) {
    const id = adjacent[k];
    adjacent[k] = id < indexOf.length ? indexOf[id] : -1;
    if (adjacent[k] < 0) unknown = true;
  }
  const neighbours = (i: number): Int32Array => {
    const row = candidates.of(ids[i]);
    return unknown ? row.filter((j) => j >= 0) : row;
  };
  const report = findEvidence({ terms: norms, originals, words: wordKnowledge(readLexiconWords(db), new Lemmatizer()), neighbours });
  const pairs = db.transaction(() => writeEvidence(db, report.evidence.map((e) => ({ a: ids[e.a], b: ids[e.b], kind: e.kind, detail: e.detail }))))();
  return { terms: norms.length, pairs, byKind: report.byKind, families: report.families, termsInFamilies: report.termsInFamilies, acronyms: report.acronyms, seconds: (performance.now() - started) / 1000 };
}

export const evidenceStage: StageDefinition<EvidenceStageReport> = {
  name: 'evidence',
  reads: ['lexicon', 'terms', 'candidates'],
  fingerprint: ({ upstream, termsGeneration }) => [EVIDENCE_STAGE_VERSION, upstream('lexicon'), upstream('terms'), termsGeneration(), upstream('candidates')],
  run: async ({ db }) => runEvidenceStage(db),
};
