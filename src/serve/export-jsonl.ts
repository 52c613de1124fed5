/**
 * JSONL for RAG ingestion: one cluster (one sense) a line, `{"id", "representative", "members":
 * [terms], ...}`. `members` is a list of strings, the shape `synograph eval --clusters` reads;
 * supports ride along, and `primary` / `sense` say for each member whether this is its primary
 * cluster or one it belongs to through another of its senses (the lexicon's sense number).
 */
import type { Db } from '../store/index.js';
import { clustersOf } from './export-clusters.js';
import type { TextSink } from './export-sink.js';

export async function exportJsonl(db: Db, algorithm: string | null, sink: TextSink): Promise<number> {
  let n = 0;
  for (const page of clustersOf(db, algorithm)) {
    for (const c of page) {
      const record = { id: c.id, representative: c.representative, members: c.members.map((m) => m.term), support: c.members.map((m) => m.support), primary: c.members.map((m) => m.primary), sense: c.members.map((m) => m.sense), size: c.size, algorithm: c.algorithm, minPSynonym: c.minPSynonym, meanPSynonym: c.meanPSynonym };
      await sink.write(JSON.stringify(record) + '\n');
      n++;
    }
  }
  return n;
}
