/**
 * The synonym file Solr, Elasticsearch and OpenSearch load (Lucene's Solr format): one line of
 * equivalent synonyms `a, b, c` per cluster of two or more members that are there through their
 * primary sense, `#` comment lines first for provenance. A member there through another of its
 * senses (`kara` in the ill-fated cluster) is named in a comment above the line, not put in it:
 * an equivalence line is symmetric, so it would expand every query for `kara` (black) too. Lucene splits on unescaped `,` and `=>` and drops a backslash before any character,
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
      const primary = c.members.filter((m) => m.primary);
      if (primary.length < 2) continue;
      const others = c.members.filter((m) => !m.primary);
      if (others.length > 0) await sink.write(`# also through another sense: ${others.map((m) => `${m.term.replace(/[\r\n]+/g, ' ')}${m.sense === null ? '' : ` (${m.sense})`}`).join(', ')}\n`);
      await sink.write(primary.map((m) => solrEscape(m.term)).join(', ') + '\n');
      n++;
    }
  }
  return n;
}
