/**
 * Pair lookups the relations stage and its evaluation need beyond the labelled pairs: KeNet's
 * derivation links between literals, term ids by normalised form, and candidate membership.
 */
import type { RelationLabel } from '../types.js';
import type { Db } from './db.js';
import { candidatePairLookup } from './candidates.js';

/**
 * Literal pairs (a < b, normalised forms) of synsets joined by DERIVATION_RELATED, as stored, once
 * each, in a stable order. A held-out build stores only the synsets it may see (every literal a
 * train-split word), so these are pairs the build may learn from. `singleWords` keeps the pairs of
 * two single words only. Assembled here rather than by a DISTINCT join: 218,563 pairs in a full
 * build, and SQLite's sort of them took 0.8 s of the relations stage.
 */
export function readDerivationPairs(db: Db, { singleWords = false }: { singleWords?: boolean } = {}): [string, string][] {
  const members = new Map<string, string[]>();
  for (const [synset, norm] of db.prepare('SELECT synset_id, norm FROM synset_members ORDER BY synset_id, norm').raw().iterate() as IterableIterator<[string, string]>) {
    if (singleWords && norm.includes(' ')) continue;
    const list = members.get(synset);
    if (list) list.push(norm);
    else members.set(synset, [norm]);
  }
  const seen = new Set<string>();
  const out: [string, string][] = [];
  for (const [from, to] of db.prepare("SELECT synset_id, target_id FROM synset_relations WHERE type = 'DERIVATION_RELATED' ORDER BY synset_id, target_id").raw().iterate() as IterableIterator<[string, string]>) {
    const xs = members.get(from);
    const ys = members.get(to);
    if (!xs || !ys) continue;
    for (const x of xs)
      for (const y of ys) {
        if (x === y) continue;
        const [a, b] = x < y ? [x, y] : [y, x];
        const key = `${a}\u0000${b}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push([a, b]);
      }
  }
  return out;
}

/** Term id of a normalised form, or undefined. */
export function termIdLookup(db: Db): (norm: string) => number | undefined {
  const stmt = db.prepare('SELECT id FROM terms WHERE norm = ?').pluck();
  return (norm) => stmt.get(norm) as number | undefined;
}

/** Whether two term ids (any order) are a candidate pair. */
export function candidateLookup(db: Db): (a: number, b: number) => boolean {
  const find = candidatePairLookup(db);
  return (a, b) => find(Math.min(a, b), Math.max(a, b)) !== null;
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
  const edges = db
    .prepare(
      `SELECT p.a AS ia, p.b AS ib, ta.norm AS a, tb.norm AS b, p.p_synonym AS pSynonym, p.p_antonym AS pAntonym, p.p_cohyponym AS pCohyponym
       FROM relation_predictions p
       JOIN terms ta ON ta.id = p.a JOIN terms tb ON tb.id = p.b
       WHERE p.origin = 'model' AND p.gated = 1 ORDER BY p.a, p.b`,
    )
    .all() as (Omit<ModelEdge, 'cosine'> & { ia: number; ib: number })[];
  // In (a, b) order, so the lookup reads each candidate block once.
  const find = candidatePairLookup(db);
  return edges.map(({ ia, ib, ...edge }) => {
    const at = find(ia, ib);
    return { ...edge, cosine: at === null ? null : at.block.cosine[at.at] };
  });
}

/**
 * Labelled pairs of two single words (`gold_relations`: the build's knowledge), in primary-key
 * order (a pair's first source first): what two phrases differing in one word are checked against (`gebe kalmak` /
 * `hamile kalmak` differ in `gebe` / `hamile`, known synonyms).
 */
export function readLabelledWordPairs(db: Db): [string, string, RelationLabel][] {
  return db
    .prepare("SELECT a, b, label FROM gold_relations WHERE instr(a, ' ') = 0 AND instr(b, ' ') = 0 ORDER BY a, b, source_id")
    .raw()
    .all() as [string, string, RelationLabel][];
}
