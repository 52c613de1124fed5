/**
 * The synonym file Solr, Elasticsearch and OpenSearch load (Lucene's Solr format): one line of
 * equivalent synonyms `a, b, c` per cluster of two or more members, `#` comment lines first for
 * provenance. Lucene splits on unescaped `,` and `=>` and drops a backslash before any character,
 * so those are escaped; a leading `#` would make a comment line and is escaped too.
 */
import type { Db } from '../store/index.js';
import { clustersOf } from './export-clusters.js';
import type { TextSink } from './export-sink.js';
import type { Provenance } from './export-provenance.js';

export function solrEscape(term: string): string {
  return term.replace(/[\\,]|=>/g, (m) => `\\${m}`).replace(/^#/, '\\#');
}

export async function exportSolr(db: Db, algorithm: string | null, sink: TextSink, provenance: Provenance): Promise<number> {
  await sink.write(`# synograph synonyms (Solr/Elasticsearch/OpenSearch format): one line of equivalent terms per cluster\n`);
  for (const [k, v] of Object.entries(provenance)) await sink.write(`# ${k}: ${String(v ?? '-').replace(/[\r\n]+/g, ' ')}\n`);
  let n = 0;
  for (const page of clustersOf(db, algorithm)) {
    for (const c of page) {
      if (c.members.length < 2) continue;
      await sink.write(c.members.map((m) => solrEscape(m.term)).join(', ') + '\n');
      n++;
    }
  }
  return n;
}
