/**
 * A small Turkish database built through the store's own writers (ingest, relation batches,
 * cannot-links, clustering, build record), the shape a real build leaves behind, for the serving
 * tests: synonyms kept, an antonym, a co-hyponym, a pruned verdict, a gated edge clustered
 * elsewhere, other senses (one too weak to expand through) with their sense numbers, circumflex spellings, and terms with characters every export
 * format must escape.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finishBuild, ingestTerms, NO_SENSE, openDb, startBuild, writeCannotLinks, writeClustering, writeRelationBatch, type Db } from '../src/store/index.js';

/** Clusters in id order (id = index + 1): representative first, then the other primary members with their support. */
export const CLUSTERS: [string, number][][] = [
  [['beyaz', 1], ['ak', 0.9]],
  [['siyah', 1], ['kara', 0.8]],
  [['toprak', 1], ['yer', 0.7]],
  [['kitap', 1], ['eser', 0.85], ['yapıt', 0.8]],
  [['kâr', 1], ['kazanç', 0.9]],
  [['kar', 1]],
  [['zarar', 1], ['ziyan', 0.75]],
  [['defter', 1], ['not defteri', 0.6]],
  [['dergi', 1], ['mecmua', 0.9]],
  [['cilt', 1], ['deri', 0.7]],
  [['kâğıt', 1], ['evrak', 0.65]],
  [['#etiket', 1], ['a,b', 0.9], ['c=>d', 0.8], ['ar&ge <"x">', 0.7], ['ctl\u0001x', 0.6], ['ters\\bölü', 0.5]],
];

/** Sense numbers of primary memberships (the lexicon's; others have none): kara's primary is its sense 1 (black). */
export const PRIMARY_SENSE: Record<string, number> = { kara: 1, siyah: 1 };

/**
 * Other senses, as [term, cluster id, support, sense]: kara also means land (sense 3, toprak's
 * cluster, support 0.6) and, weakly, loss (sense 5, zarar's cluster, support 0.3: too weak to
 * expand through).
 */
export const ALTERNATIVES: [string, number, number, number][] = [
  ['kara', 3, 0.6, 3],
  ['kara', 7, 0.3, 5],
];

type Verdict = [string, string, number, number, number, 0 | 1 | 2, 0 | 1, 'model' | 'seed'];
/** a, b, P(synonym), P(antonym), P(co-hyponym), label (0 synonym, 1 antonym, 2 co-hyponym), gated, origin. */
export const VERDICTS: Verdict[] = [
  ['beyaz', 'ak', 0.95, 0.02, 0.03, 0, 1, 'seed'],
  ['siyah', 'kara', 0.9, 0.05, 0.05, 0, 1, 'model'],
  ['beyaz', 'siyah', 0.05, 0.85, 0.1, 1, 0, 'model'],
  ['kitap', 'eser', 0.88, 0.02, 0.1, 0, 1, 'model'],
  ['kitap', 'yapıt', 0.8, 0.02, 0.18, 0, 1, 'model'],
  ['eser', 'yapıt', 0.82, 0.03, 0.15, 0, 1, 'model'],
  ['kitap', 'defter', 0.2, 0.05, 0.75, 2, 0, 'model'],
  ['kitap', 'dergi', 0.62, 0.03, 0.35, 0, 0, 'model'],
  ['kitap', 'cilt', 0.71, 0.04, 0.25, 0, 1, 'model'],
  ['kâr', 'kazanç', 0.9, 0.02, 0.08, 0, 1, 'model'],
  ['kâr', 'zarar', 0.04, 0.9, 0.06, 1, 0, 'seed'],
  ['toprak', 'yer', 0.75, 0.05, 0.2, 0, 1, 'model'],
  ['kara', 'toprak', 0.72, 0.03, 0.25, 0, 1, 'model'],
  ['zarar', 'ziyan', 0.8, 0.05, 0.15, 0, 1, 'model'],
  ['kâğıt', 'evrak', 0.74, 0.02, 0.24, 0, 1, 'model'],
  ['#etiket', 'a,b', 0.9, 0.05, 0.05, 0, 1, 'model'],
];

/** Cannot-links: beyaz/siyah has a verdict too; ak/kara is known only as a cannot-link. */
export const CANNOT_LINKS: [string, string][] = [
  ['beyaz', 'siyah'],
  ['ak', 'kara'],
  ['kâr', 'zarar'],
];

/** Builds the fixture database in a fresh temporary folder and returns its path (closed). */
export async function buildServeFixture(): Promise<{ dir: string; file: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'synograph-serve-'));
  const file = join(dir, 'serve.db');
  const db = openDb(file);
  try {
    await fillFixture(db);
  } finally {
    db.close();
  }
  return { dir, file };
}

async function fillFixture(db: Db): Promise<void> {
  const terms = [...new Set(CLUSTERS.flat().map(([t]) => t))];
  async function* batches() {
    yield terms.map((term, i) => ({ term, line: i + 1 }));
  }
  await ingestTerms(db, batches(), { name: 'fixture', path: null });
  const buildId = startBuild(db, { mode: 'full', split: { seed: 42, train: 0.6, dev: 0.1 } }, { fixture: true });
  const id = (norm: string): number => {
    const v = db.prepare('SELECT id FROM terms WHERE norm = ?').pluck().get(norm) as number | undefined;
    if (v === undefined) throw new Error(`fixture term ${norm} missing`);
    return v;
  };
  db.transaction(() => {
    for (const origin of ['model', 'seed'] as const) {
      const rows = VERDICTS.filter((v) => v[7] === origin);
      writeRelationBatch(db, {
        a: Int32Array.from(rows, (r) => id(r[0])),
        b: Int32Array.from(rows, (r) => id(r[1])),
        probs: Float32Array.from(rows.flatMap((r) => [r[2], r[3], r[4]])),
        label: Uint8Array.from(rows, (r) => r[5]),
        gated: Uint8Array.from(rows, (r) => r[6]),
        origin,
        length: rows.length,
      });
    }
    writeCannotLinks(db, Int32Array.from(CANNOT_LINKS, (p) => id(p[0])), Int32Array.from(CANNOT_LINKS, (p) => id(p[1])), 'seed');
    const memberTerm: number[] = [];
    const memberCluster: number[] = [];
    const memberSupport: number[] = [];
    const memberPrimary: number[] = [];
    const memberSense: number[] = [];
    CLUSTERS.forEach((members, k) => {
      for (const [t, s] of members) {
        memberTerm.push(id(t));
        memberCluster.push(k);
        memberSupport.push(s);
        memberPrimary.push(1);
        memberSense.push(PRIMARY_SENSE[t] ?? NO_SENSE);
      }
    });
    for (const [t, cluster, support, sense] of ALTERNATIVES) {
      memberTerm.push(id(t));
      memberCluster.push(cluster - 1);
      memberSupport.push(support);
      memberPrimary.push(0);
      memberSense.push(sense);
    }
    writeClustering(db, {
      algorithm: 'synograph',
      representative: Int32Array.from(CLUSTERS, (c) => id(c[0][0])),
      size: Int32Array.from(CLUSTERS, (c) => c.length),
      minPSynonym: Float32Array.from(CLUSTERS, (c) => (c.length > 1 ? 0.7 : NaN)),
      meanPSynonym: Float32Array.from(CLUSTERS, (c) => (c.length > 1 ? 0.85 : NaN)),
      memberTerm: Int32Array.from(memberTerm),
      memberCluster: Int32Array.from(memberCluster),
      memberSupport: Float32Array.from(memberSupport),
      memberPrimary: Uint8Array.from(memberPrimary),
      memberSense: Int32Array.from(memberSense),
    });
  })();
  finishBuild(db, buildId, 'done');
}
