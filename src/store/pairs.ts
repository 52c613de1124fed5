/**
 * Pair lookups the relations stage and its evaluation need beyond the labelled pairs: KeNet's
 * derivation links between literals, term ids by normalised form, and candidate membership.
 */
import type { Db } from './db.js';

/**
 * Literal pairs (a < b, normalised forms) of synsets joined by DERIVATION_RELATED, as stored.
 * A held-out build stores only the synsets it may see (every literal a train-split word), so
 * these pairs are what the build may learn from.
 */
export function readDerivationPairs(db: Db): [string, string][] {
  return db
    .prepare(
      `SELECT DISTINCT min(ma.norm, mb.norm), max(ma.norm, mb.norm)
       FROM synset_relations r
       JOIN synset_members ma ON ma.synset_id = r.synset_id
       JOIN synset_members mb ON mb.synset_id = r.target_id
       WHERE r.type = 'DERIVATION_RELATED' AND ma.norm <> mb.norm
       ORDER BY 1, 2`,
    )
    .raw()
    .all() as [string, string][];
}

/** Term id of a normalised form, or undefined. */
export function termIdLookup(db: Db): (norm: string) => number | undefined {
  const stmt = db.prepare('SELECT id FROM terms WHERE norm = ?').pluck();
  return (norm) => stmt.get(norm) as number | undefined;
}

/** Whether two term ids (any order) are a candidate pair. */
export function candidateLookup(db: Db): (a: number, b: number) => boolean {
  const stmt = db.prepare('SELECT 1 FROM candidate_edges WHERE a = ? AND b = ?').pluck();
  return (a, b) => stmt.get(Math.min(a, b), Math.max(a, b)) !== undefined;
}

export interface ModelEdge {
  a: string;
  b: string;
  pSynonym: number;
  pAntonym: number;
  pCohyponym: number;
  cosine: number | null;
}

/** Every synonym edge the discriminator kept on its own (`origin = 'model'`, gated), in (a, b) id order. */
export function readGatedModelEdges(db: Db): ModelEdge[] {
  return db
    .prepare(
      `SELECT ta.norm AS a, tb.norm AS b, p.p_synonym AS pSynonym, p.p_antonym AS pAntonym, p.p_cohyponym AS pCohyponym, c.cosine AS cosine
       FROM relation_predictions p
       JOIN terms ta ON ta.id = p.a JOIN terms tb ON tb.id = p.b
       LEFT JOIN candidate_edges c ON c.a = p.a AND c.b = p.b
       WHERE p.origin = 'model' AND p.gated = 1 ORDER BY p.a, p.b`,
    )
    .all() as ModelEdge[];
}
