/** CSV of every membership (RFC 4180: CRLF, quoted fields): term, cluster_id, representative, support, is_primary, sense. */
import type { Db } from '../store/index.js';
import { round6 } from './reader.js';
import { EXPORT_PAGE, type TextSink } from './export-sink.js';

export function csvField(value: string | number | null): string {
  if (value === null) return '';
  const s = String(value);
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export async function exportCsv(db: Db, algorithm: string | null, sink: TextSink): Promise<number> {
  await sink.write('term,cluster_id,representative,support,is_primary,sense\r\n');
  if (algorithm === null) return 0;
  const page = db.prepare(
    `SELECT m.cluster_id AS clusterId, m.term_id AS termId, t.norm AS term, r.norm AS representative, m.support, m.is_primary AS isPrimary, m.sense
     FROM memberships m JOIN clusters c ON c.id = m.cluster_id JOIN terms t ON t.id = m.term_id LEFT JOIN terms r ON r.id = c.representative
     WHERE c.algorithm = ? AND (m.cluster_id, m.term_id) > (?, ?) ORDER BY m.cluster_id, m.term_id LIMIT ?`,
  );
  let after: [number, number] = [0, 0];
  let n = 0;
  for (;;) {
    const rows = page.all(algorithm, after[0], after[1], EXPORT_PAGE) as { clusterId: number; termId: number; term: string; representative: string | null; support: number; isPrimary: number; sense: number | null }[];
    if (rows.length === 0) return n;
    for (const r of rows) await sink.write(`${csvField(r.term)},${r.clusterId},${csvField(r.representative)},${round6(r.support)},${r.isPrimary},${csvField(r.sense)}\r\n`);
    n += rows.length;
    const last = rows[rows.length - 1];
    after = [last.clusterId, last.termId];
  }
}
