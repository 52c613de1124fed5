/** CSV of every membership (RFC 4180: CRLF, quoted fields): term, cluster_id, representative, support, is_primary, sense. */
import { membershipPages, type Db } from '../store/index.js';
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
  let n = 0;
  for (const rows of membershipPages(db, algorithm, EXPORT_PAGE)) {
    for (const r of rows) await sink.write(`${csvField(r.term)},${r.clusterId},${csvField(r.representative)},${round6(r.support)},${r.isPrimary},${csvField(r.sense)}\r\n`);
    n += rows.length;
  }
  return n;
}
