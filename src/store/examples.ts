/** What `build` prints at the end: counts of the stored clustering, and what the store knows of a few terms. */
import type { Db } from './db.js';
import { readTermCandidates } from './candidates.js';

export interface DatabaseCounts {
  /** Clusters of two or more terms, and the terms in them. */
  clusters: number;
  clustered: number;
  /** Terms in more than one cluster (one per sense). */
  polysemous: number;
  largest: number;
  keptEdges: number;
  cannotLinks: number;
}

export function databaseCounts(db: Db): DatabaseCounts {
  const count = (sql: string): number => db.prepare(sql).pluck().get() as number;
  return {
    clusters: count('SELECT count(*) FROM clusters WHERE size >= 2'),
    clustered: count('SELECT count(DISTINCT m.term_id) FROM memberships m JOIN clusters c ON c.id = m.cluster_id WHERE c.size >= 2'),
    polysemous: count('SELECT count(*) FROM (SELECT term_id FROM memberships GROUP BY term_id HAVING count(*) >= 2)'),
    largest: count('SELECT coalesce(max(size), 0) FROM clusters'),
    keptEdges: count('SELECT count(*) FROM relation_predictions WHERE gated = 1'),
    cannotLinks: count('SELECT count(*) FROM cannot_links'),
  };
}

export interface TermExample {
  term: string | null;
  lemma: string | null;
  synsets: { id: string; members: string[]; definition: string | null }[];
  /** Nearest candidate neighbours by cosine (empty before the candidates stage). */
  neighbours: { term: string; cosine: number }[];
}

/**
 * A term's `k` strongest candidates by cosine (ties by name). It reads every stored pair (a term is
 * the `b` of pairs in any block): a fraction of a second at a million terms, for the few examples
 * a build prints.
 */
function nearestCandidates(db: Db, norm: string, k: number): { term: string; cosine: number }[] {
  const id = db.prepare('SELECT id FROM terms WHERE norm = ?').pluck().get(norm) as number | undefined;
  if (id === undefined) return [];
  const found = readTermCandidates(db, id);
  const nameOf = db.prepare('SELECT norm FROM terms WHERE id = ?').pluck();
  return found.neighbours
    .map((other, i) => ({ term: nameOf.get(other) as string, cosine: found.cosines[i] }))
    .sort((x, y) => y.cosine - x.cosine || (x.term < y.term ? -1 : x.term > y.term ? 1 : 0))
    .slice(0, k);
}

/** A stored term by its normalised form or its lemma, with its synsets and nearest candidates. */
export function readTermExample(db: Db, norm: string, lemma: string): TermExample {
  const byNorm = db.prepare('SELECT norm, lemma FROM terms WHERE norm = ? OR folded = ? ORDER BY norm = ? DESC LIMIT 1');
  const byLemma = db.prepare('SELECT norm, lemma FROM terms WHERE lemma = ? ORDER BY length(norm) LIMIT 1');
  const row = (byNorm.get(norm, norm, norm) ?? byNorm.get(lemma, lemma, lemma) ?? byLemma.get(lemma)) as { norm: string; lemma: string | null } | undefined;
  const term = row?.norm ?? null;
  if (term === null) return { term, lemma: null, synsets: [], neighbours: [] };
  const synsets = (
    db
      .prepare(
        `SELECT m.synset_id AS id, (SELECT group_concat(norm, '|') FROM synset_members WHERE synset_id = m.synset_id) AS members,
                (SELECT text FROM definitions WHERE synset_id = m.synset_id AND kind = 'definition' LIMIT 1) AS definition
         FROM synset_members m WHERE m.norm = ? ORDER BY m.synset_id LIMIT 5`,
      )
      .all(term) as { id: string; members: string; definition: string | null }[]
  ).map((s) => ({ id: s.id, members: s.members.split('|'), definition: s.definition }));
  const neighbours = nearestCandidates(db, term, 8);
  return { term, lemma: row?.lemma ?? null, synsets, neighbours };
}
