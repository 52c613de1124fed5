import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb, ingestTerms, writeEmbeddings, writeRelationBatch, writeCannotLinks, readMemberships, readCluster, type Db } from '../src/store/index.js';
import { runClusterStage, loadTermGraph } from '../src/pipeline/index.js';
import { storedClusters } from '../src/eval/clusters-db.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'synograph-cluster-stage-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Two synonym groups joined by a chain through an antonym: sıcak–ılık–... and soğuk–serin, with
 * a confident (wrong) synonym edge ılık–soğuk and a cannot-link sıcak–soğuk. Plus two unrelated words.
 */
async function graphDb(): Promise<{ db: Db; id: (w: string) => number }> {
  const db = openDb(join(dir, `g${Math.random().toString(36).slice(2)}.db`));
  const words = ['sıcak', 'ılık', 'hararetli', 'soğuk', 'serin', 'ayaz', 'kitap', 'masa'];
  await ingestTerms(
    db,
    (async function* () {
      yield words.map((term, i) => ({ term, line: i + 1 }));
    })(),
    { name: 'words', path: null },
  );
  const id = (w: string): number => db.prepare('SELECT id FROM terms WHERE norm = ?').pluck().get(w) as number;
  const ids = words.map(id);
  const dims = 4;
  const vectors = new Float32Array(words.length * dims);
  words.forEach((w, i) => vectors.set(['sıcak', 'ılık', 'hararetli'].includes(w) ? [1, 0, 0, 0] : ['soğuk', 'serin', 'ayaz'].includes(w) ? [0, 1, 0, 0] : [0, 0, i % 2, 1 - (i % 2)], i * dims));
  writeEmbeddings(db, ids, vectors, dims);
  const edges: [string, string, number][] = [
    ['sıcak', 'ılık', 0.95],
    ['sıcak', 'hararetli', 0.9],
    ['ılık', 'hararetli', 0.85],
    ['soğuk', 'serin', 0.95],
    ['soğuk', 'ayaz', 0.9],
    ['serin', 'ayaz', 0.88],
    ['ılık', 'soğuk', 0.99], // a confident mistake: the chain that would join opposites
    ['sıcak', 'soğuk', 0.8], // an antonym the discriminator got wrong, held apart by the cannot-link
  ];
  db.transaction(() => {
    writeRelationBatch(db, {
      a: Int32Array.from(edges, (e) => id(e[0])),
      b: Int32Array.from(edges, (e) => id(e[1])),
      probs: Float32Array.from(edges.flatMap((e) => [e[2], 0, 1 - e[2]])),
      label: new Uint8Array(edges.length),
      gated: new Uint8Array(edges.length).fill(1),
      origin: 'model',
      length: edges.length,
    });
    // One verdict under the gate inside a would-be cluster: it is stored but is no edge.
    writeRelationBatch(db, { a: Int32Array.of(id('kitap')), b: Int32Array.of(id('masa')), probs: Float32Array.of(0.2, 0, 0.3), label: Uint8Array.of(2), gated: Uint8Array.of(0), origin: 'model', length: 1 });
    writeCannotLinks(db, Int32Array.of(id('sıcak')), Int32Array.of(id('soğuk')), 'seed');
  })();
  return { db, id };
}

describe('cluster stage', () => {
  it('streams the gated graph from the store: only kept edges, cannot-links as constraints', async () => {
    const { db } = await graphDb();
    const g = loadTermGraph(db);
    expect(g.graph.nodeCount).toBe(8);
    expect(g.graph.edgeCount).toBe(8);
    expect(g.graph.cannotLinkCount).toBe(1);
    expect(loadTermGraph(db, { minPSynonym: 0.1 }).graph.edgeCount).toBe(9);
    db.close();
  });

  it('every term gets exactly one primary cluster; antonyms never share one; the stored clustering is what eval reads', async () => {
    const { db, id } = await graphDb();
    const report = runClusterStage(db, { gate: 0.7, seed: 42 });
    expect(report.nodes).toBe(8);
    const primaries = db.prepare('SELECT term_id, count(*) AS n FROM memberships WHERE is_primary = 1 GROUP BY term_id').all() as { term_id: number; n: number }[];
    expect(primaries).toHaveLength(8);
    for (const p of primaries) expect(p.n).toBe(1);
    const clusterOf = (w: string): number => readMemberships(db, id(w)).find((m) => m.primary)!.clusterId;
    expect(clusterOf('sıcak')).not.toBe(clusterOf('soğuk'));
    expect(clusterOf('sıcak')).toBe(clusterOf('hararetli'));
    expect(clusterOf('soğuk')).toBe(clusterOf('serin'));
    expect(clusterOf('soğuk')).toBe(clusterOf('ayaz'));
    expect(clusterOf('kitap')).not.toBe(clusterOf('masa'));
    const hot = readCluster(db, clusterOf('sıcak'))!;
    expect([id('sıcak'), id('ılık'), id('hararetli')]).toContain(hot.representative);
    expect(hot.minPSynonym).toBeGreaterThanOrEqual(0.85);
    const groups = storedClusters(db).clusters.map((c) => [...c.members].sort());
    expect(groups).toContainEqual(['ayaz', 'serin', 'soğuk']);
    expect(groups.every((g) => !(g.includes('sıcak') && g.includes('soğuk')))).toBe(true);
    // Not through any sense either: soğuk's neighbourhood gives it an induced second sense (the
    // wrong edges to ılık and sıcak), and the cannot-link holds between every pair of senses.
    expect(together(db, id('sıcak'), id('soğuk'))).toBe(false);
    db.close();
  });

  it('the paper algorithm, run on the same graph, joins the opposites that the default keeps apart', async () => {
    const { db, id } = await graphDb();
    runClusterStage(db, { gate: 0.7, seed: 42, algorithm: 'paper' });
    // ılık–soğuk (0.99) opens the first cluster in the paper's order; nothing enforces the cannot-link.
    expect(together(db, id('ılık'), id('soğuk'))).toBe(true);
    db.close();
  });
});

/** Whether two terms share a cluster through any of their senses. */
function together(db: Db, a: number, b: number): boolean {
  const of = new Set(readMemberships(db, a).map((m) => m.clusterId));
  return readMemberships(db, b).some((m) => of.has(m.clusterId));
}
