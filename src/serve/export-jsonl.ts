/**
 * JSONL for RAG ingestion: one cluster a line, `{"id", "representative", "members": [terms], ...}`.
 * `members` is a list of strings, the shape `synograph eval --clusters` reads; supports ride along.
 */
import type { Db } from '../store/index.js';
import { clustersOf } from './export-clusters.js';
import type { TextSink } from './export-sink.js';

export async function exportJsonl(db: Db, algorithm: string | null, sink: TextSink): Promise<number> {
  let n = 0;
  for (const page of clustersOf(db, algorithm)) {
    for (const c of page) {
      const record = { id: c.id, representative: c.representative, members: c.members.map((m) => m.term), support: c.members.map((m) => m.support), size: c.size, algorithm: c.algorithm, minPSynonym: c.minPSynonym, meanPSynonym: c.meanPSynonym };
      await sink.write(JSON.stringify(record) + '\n');
      n++;
    }
  }
  return n;
}
