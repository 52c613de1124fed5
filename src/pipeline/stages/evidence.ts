/**
 * The evidence stage's adapter: reads the terms, the lexicon and the candidate pairs from the
 * store, runs the pure rules of src/evidence and stores what they found (replacing the previous
 * evidence), in one transaction.
 */
import { findEvidence, wordKnowledge, type EvidenceKind } from '../../evidence/index.js';
import { Lemmatizer } from '../../lexicon/lemmatize.js';
import { readCandidateAdjacency, readLexiconWords, readTermSpellings, writeEvidence, type Db, type EvidenceRow } from '../../store/index.js';
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
  // Only the pairs between terms of large pattern groups are read (compose.ts asks for no others).
  const pairedWithin = (members: Uint8Array): ((i: number) => Int32Array) => {
    const keep = new Uint8Array(indexOf.length);
    members.forEach((m, i) => (keep[ids[i]] = m));
    const candidates = readCandidateAdjacency(db, keep);
    // Term ids to term indices once, in place: a term of a large group is asked for once per group.
    const adjacent = candidates.neighbours;
    for (let k = 0; k < adjacent.length; k++) adjacent[k] = indexOf[adjacent[k]];
    return (i) => candidates.of(ids[i]);
  };
  const report = findEvidence({ terms: norms, originals, words: wordKnowledge(readLexiconWords(db), new Lemmatizer()), pairedWithin });
  // Rows are made one at a time: a 100k-line domain list has 1.2M pairs, nearly all siblings.
  const rows = function* (): Generator<EvidenceRow> {
    for (const e of report.evidence) yield { a: ids[e.a], b: ids[e.b], kind: e.kind, detail: e.detail };
  };
  const pairs = db.transaction(() => writeEvidence(db, rows()))();
  return { terms: norms.length, pairs, byKind: report.byKind, families: report.families, termsInFamilies: report.termsInFamilies, acronyms: report.acronyms, seconds: (performance.now() - started) / 1000 };
}

export const evidenceStage: StageDefinition<EvidenceStageReport> = {
  name: 'evidence',
  reads: ['lexicon', 'terms', 'candidates'],
  fingerprint: ({ upstream, termsGeneration }) => [EVIDENCE_STAGE_VERSION, upstream('lexicon'), upstream('terms'), termsGeneration(), upstream('candidates')],
  run: async ({ db }) => runEvidenceStage(db),
};
