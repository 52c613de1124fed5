/** `synograph export`: one database to JSONL, a Solr/Elasticsearch synonym file, CSV or GEXF, streamed. */
import type { Writable } from 'node:stream';
import { exportCsv } from './export-csv.js';
import { exportGexfNeighbourhood, exportGexfWhole } from './export-gexf.js';
import { exportJsonl } from './export-jsonl.js';
import { provenanceOf } from './export-provenance.js';
import { TextSink } from './export-sink.js';
import { exportSolr } from './export-solr.js';
import { QueryInputError } from './limits.js';
import type { SynonymService } from './service.js';

export const EXPORT_FORMATS = ['jsonl', 'solr', 'csv', 'gexf'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportOptions {
  format: ExportFormat;
  /** GEXF only: export this term's neighbourhood instead of the whole graph. */
  term?: string;
  depth?: number;
  /** GEXF neighbourhood: node ceiling. */
  maxNodes?: number;
}

export interface ExportReport {
  format: ExportFormat;
  /** Clusters (jsonl), lines (solr), memberships (csv), nodes (gexf). */
  records: number;
  edges?: number;
  truncated?: boolean;
  characters: number;
}

/** Writes the export to `out` (not ended: the caller owns the stream). A GEXF `term` nobody stores is a QueryInputError. */
export async function exportDatabase(service: SynonymService, out: Writable, options: ExportOptions): Promise<ExportReport> {
  const sink = new TextSink(out);
  const { db } = service;
  const algorithm = service.reader.algorithm;
  const provenance = provenanceOf(db, algorithm);
  if (options.term !== undefined && options.format !== 'gexf') throw new QueryInputError('--term and --depth go with --format gexf');
  let report: ExportReport;
  switch (options.format) {
    case 'jsonl':
      report = { format: 'jsonl', records: await exportJsonl(db, algorithm, sink), characters: 0 };
      break;
    case 'solr':
      report = { format: 'solr', records: await exportSolr(db, algorithm, sink, provenance), characters: 0 };
      break;
    case 'csv':
      report = { format: 'csv', records: await exportCsv(db, algorithm, sink), characters: 0 };
      break;
    case 'gexf': {
      if (options.term !== undefined) {
        const r = await exportGexfNeighbourhood(service.graph, options.term, options.depth ?? 1, options.maxNodes ?? 10_000, sink, provenance);
        if (!r) throw new QueryInputError(`no stored term matches "${options.term}"`);
        report = { format: 'gexf', records: r.nodes, edges: r.edges, truncated: r.truncated, characters: 0 };
      } else {
        const r = await exportGexfWhole(db, algorithm, sink, provenance);
        report = { format: 'gexf', records: r.nodes, edges: r.edges, characters: 0 };
      }
      break;
    }
  }
  await sink.flush();
  report.characters = sink.written;
  return report;
}
