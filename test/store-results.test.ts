import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb, ingestTerms, writeRelationBatch, writeCannotLinks, readRelation, readRelationsOf, readGatedEdges, readCannotLinks, writeClustering, readCluster, readClusterMembers, readMemberships, type Db } from '../src/store/index.js';

let dir: string;
let db: Db;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'synograph-results-'));
  db = openDb(join(dir, 'r.db'));
  async function* one() {
    yield ['ak', 'beyaz', 'kara', 'siyah'].map((term, i) => ({ term, line: i + 1 }));
  }
  await ingestTerms(db, one(), { name: 't', path: null });
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const id = (norm: string): number => db.prepare('SELECT id FROM terms WHERE norm = ?').pluck().get(norm) as number;

describe('relation verdicts', () => {
  it('stores each pair once (a < b) with its probabilities; seeds override model verdicts, never the reverse', () => {
    const [ak, beyaz, kara] = [id('ak'), id('beyaz'), id('kara')];
    db.transaction(() => {
      writeRelationBatch(db, { a: Int32Array.of(beyaz, ak), b: Int32Array.of(ak, kara), probs: Float32Array.of(0.6, 0.1, 0.3, 0.05, 0.9, 0.05), label: Uint8Array.of(2, 1), gated: Uint8Array.of(0, 0), origin: 'model', length: 2 });
      writeRelationBatch(db, { a: Int32Array.of(ak), b: Int32Array.of(beyaz), probs: Float32Array.of(1, 0, 0), label: Uint8Array.of(0), gated: Uint8Array.of(1), origin: 'seed', length: 1 });
      writeRelationBatch(db, { a: Int32Array.of(ak), b: Int32Array.of(beyaz), probs: Float32Array.of(0.2, 0.7, 0.1), label: Uint8Array.of(1), gated: Uint8Array.of(0), origin: 'model', length: 1 });
      writeCannotLinks(db, Int32Array.of(kara), Int32Array.of(ak), 'model');
    })();
    const v = readRelation(db, beyaz, ak)!;
    expect(v).toMatchObject({ a: Math.min(ak, beyaz), b: Math.max(ak, beyaz), label: 'synonym', gated: true, origin: 'seed', pSynonym: 1 });
    expect(readRelation(db, ak, kara)).toMatchObject({ label: 'antonym', gated: false, origin: 'model' });
    expect(readRelation(db, beyaz, kara)).toBeNull();
    expect(readRelationsOf(db, ak).map((r) => r.label)).toEqual(['synonym', 'antonym']);
    const edges = [...readGatedEdges(db, { chunk: 1 })];
    expect(edges).toHaveLength(1);
    expect([edges[0].a[0], edges[0].b[0], edges[0].weight[0]]).toEqual([Math.min(ak, beyaz), Math.max(ak, beyaz), 1]);
    expect(readCannotLinks(db)).toEqual({ a: Int32Array.of(Math.min(ak, kara)), b: Int32Array.of(Math.max(ak, kara)) });
  });
});

describe('clustering', () => {
  it('replaces the stored clustering; a term has one primary cluster and keeps alternative senses', () => {
    const [ak, beyaz, kara, siyah] = [id('ak'), id('beyaz'), id('kara'), id('siyah')];
    const write = (algorithm: string) =>
      db.transaction(() =>
        writeClustering(db, {
          algorithm,
          representative: Int32Array.of(beyaz, siyah),
          size: Int32Array.of(2, 2),
          minPSynonym: Float32Array.of(0.9, NaN),
          meanPSynonym: Float32Array.of(0.95, NaN),
          memberTerm: Int32Array.of(ak, beyaz, kara, siyah, kara),
          memberCluster: Int32Array.of(0, 0, 1, 1, 0),
          memberSupport: Float32Array.of(1, 1, 0.75, 0.75, 0.5),
          memberPrimary: Uint8Array.of(1, 1, 1, 1, 0),
        }),
      )();
    write('paper');
    write('synograph');
    expect(db.prepare('SELECT count(*) FROM clusters').pluck().get()).toBe(2);
    expect(readCluster(db, 1)).toMatchObject({ algorithm: 'synograph', representative: beyaz, size: 2 });
    expect(readCluster(db, 2)).toMatchObject({ minPSynonym: null });
    expect(readClusterMembers(db, 1).map((m) => [m.norm, m.primary])).toEqual([['ak', true], ['beyaz', true], ['kara', false]]);
    expect(readMemberships(db, kara)).toEqual([{ clusterId: 2, support: 0.75, primary: true }, { clusterId: 1, support: 0.5, primary: false }]);
  });
});
