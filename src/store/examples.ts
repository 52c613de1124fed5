/** What `build` prints at the end: counts of the stored clustering, and what the store knows of a few terms. */
import type { Db } from './db.js';

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
  const neighbours = db
    .prepare(
      `SELECT t.norm AS term, c.cosine AS cosine FROM terms me
       JOIN candidate_edges c ON c.a = me.id OR c.b = me.id
       JOIN terms t ON t.id = CASE WHEN c.a = me.id THEN c.b ELSE c.a END
       WHERE me.norm = ? ORDER BY c.cosine DESC, t.norm LIMIT 8`,
    )
    .all(term) as { term: string; cosine: number }[];
  return { term, lemma: row?.lemma ?? null, synsets, neighbours };
}
