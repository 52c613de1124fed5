import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb, ingestTerms, type Db } from '../src/store/index.js';
import { runEvidenceStage } from '../src/pipeline/stages/evidence.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'synograph-evidence-stage-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const LINES = [
  'Türk Ceza Kanunu', 'TCK', 'Avrupa İnsan Hakları Mahkemesi (AİHM)', 'Avrupa İnsan Hakları Mahkemesi', 'AIHM',
  'Birleşmiş Milletler', 'BM', 'BM medeni siyasi haklar sözleşmesi', 'Birleşmiş Milletler medeni ve siyasi haklar sözleşmesi',
  'T.C.M.B.', 'TCMB', 'yasal', 'yasal olmayan', '2918 sayılı kanun', '2919 sayılı kanun', 'idamlık şevahit', 'ıdamlık sevahıt',
];

function storedEvidence(db: Db): unknown[] {
  return db.prepare('SELECT a, b, kind, detail FROM term_evidence ORDER BY a, b').all();
}

describe('the evidence stage', () => {
  it('stores the same evidence whether its rules run in a worker on their own connection or on this thread', async () => {
    const db = openDb(join(dir, 'evidence.db'));
    try {
      await ingestTerms(
        db,
        (async function* () {
          yield LINES.map((term, i) => ({ term, line: i + 1 }));
        })(),
        { name: 'lines', path: null },
      );
      const inWorker = await runEvidenceStage(db, { inWorker: true });
      const fromWorker = storedEvidence(db);
      const here = await runEvidenceStage(db);
      expect(storedEvidence(db)).toEqual(fromWorker);
      expect(inWorker.pairs).toBe(here.pairs);
      expect(inWorker.byKind).toEqual(here.byKind);
      // Details survive the trip as UTF-8 (Turkish letters, quotes).
      expect(fromWorker.length).toBeGreaterThan(5);
      expect(fromWorker.some((r) => /ı|ş|ğ|ü|İ/u.test((r as { detail: string }).detail))).toBe(true);
      expect(inWorker.byKind.acronym).toBeGreaterThan(0);
      expect(inWorker.byKind.number).toBeGreaterThan(0);
    } finally {
      db.close();
    }
  });
});
