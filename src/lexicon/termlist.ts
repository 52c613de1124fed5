/**
 * Readers for user term lists, streaming with bounded memory:
 * - plain text: one term a line;
 * - TSV with a header: `term` required, `id` and `definition` optional;
 * - JSONL: one object a line, `{"term": ..., "id"?: ..., "definition"?: ...}`.
 * Record-level problems are counted warnings naming file and line; file-level problems throw.
 */
import { extname } from 'node:path';
import { InputError, type WarningLog } from './diagnostics.js';
import { readLineBatches, type LineReaderOptions } from './lines.js';

export type TermListFormat = 'txt' | 'tsv' | 'jsonl';

export interface TermRecord {
  /** The term as written (not yet normalised). */
  term: string;
  /** The user's own identifier, kept for round-tripping results to their system. */
  externalId?: string;
  definition?: string;
  line: number;
}

/** C0 and C1 controls (tab included: no field of a term list holds one inside a term). */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/u;
/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/** Format characters that render as nothing (zero-width space and joiners, word joiner, BOM). */
const INVISIBLE = /[\u200b-\u200d\u2060\ufeff\u00ad]/gu;

/** Longest accepted term, in UTF-16 code units; longer ones are skipped with a warning. */
export const MAX_TERM_LENGTH = 512;

export function detectFormat(file: string): TermListFormat {
  const ext = extname(file).toLowerCase();
  if (ext === '.tsv' || ext === '.tab') return 'tsv';
  if (ext === '.jsonl' || ext === '.ndjson') return 'jsonl';
  return 'txt';
}

export interface TermListOptions extends LineReaderOptions {
  format?: TermListFormat;
}

type LineParser = (text: string, lineNo: number) => TermRecord | null;

/** Record batches (one per chunk of the file): the hot path of ingest stays synchronous per record. */
export async function* readTermBatches(file: string, options: TermListOptions): AsyncGenerator<TermRecord[]> {
  const format = options.format ?? detectFormat(file);
  const warn = options.warnings;
  const accept = (rec: TermRecord): TermRecord | null => {
    const trimmed = rec.term.trim();
    // Invisible format characters (zero-width space, joiner, BOM) alone are no term.
    if (trimmed.replace(INVISIBLE, '').trim().length === 0) {
      warn.add({ kind: 'empty-term', file, line: rec.line, message: 'empty term skipped' });
      return null;
    }
    // Terms are text: control characters (NUL, ANSI escapes) and lone surrogates (a JSONL
    // "\ud800") would be stored as invalid text that other SQLite clients cannot read.
    if (CONTROL.test(trimmed) || LONE_SURROGATE.test(trimmed)) {
      warn.add({ kind: 'control-characters', file, line: rec.line, message: 'control characters or a lone surrogate: term skipped' });
      return null;
    }
    if (trimmed.length > MAX_TERM_LENGTH) {
      warn.add({ kind: 'term-too-long', file, line: rec.line, message: `term longer than ${MAX_TERM_LENGTH} characters skipped` });
      return null;
    }
    return rec;
  };

  let parse: LineParser | null = null;
  if (format === 'txt') parse = (text, line) => accept({ term: text, line });
  if (format === 'jsonl') parse = (text, line) => parseJsonLine(text, line, file, warn, accept);

  for await (const lines of readLineBatches(file, options)) {
    const batch: TermRecord[] = [];
    for (const { lineNo, text } of lines) {
      if (parse === null) {
        // TSV: the first line is the header.
        parse = tsvParser(text, lineNo, file, warn, accept);
        continue;
      }
      if (text.trim().length === 0) {
        warn.add({ kind: 'empty-line', file, line: lineNo, message: 'empty line skipped' });
        continue;
      }
      const rec = parse(text, lineNo);
      if (rec) batch.push(rec);
    }
    if (batch.length > 0) yield batch;
  }
  if (parse === null) throw new InputError(file, null, 'empty TSV file: a header with a "term" column is required');
}

export async function* readTermList(file: string, options: TermListOptions): AsyncGenerator<TermRecord> {
  for await (const batch of readTermBatches(file, options)) yield* batch;
}

function tsvParser(header: string, lineNo: number, file: string, warn: WarningLog, accept: (r: TermRecord) => TermRecord | null): LineParser {
  const names = header.split('\t').map((h) => h.trim().toLowerCase());
  const term = names.indexOf('term');
  if (term === -1) throw new InputError(file, lineNo, `TSV header has no "term" column (found: ${names.join(', ') || 'nothing'})`);
  const id = names.indexOf('id');
  const definition = names.indexOf('definition');
  return (text, line) => {
    const cells = text.split('\t');
    if (cells.length <= term) {
      warn.add({ kind: 'malformed-record', file, line, message: `expected ${names.length} columns, found ${cells.length}` });
      return null;
    }
    return accept({
      term: cells[term],
      externalId: id >= 0 && cells[id] ? cells[id] : undefined,
      definition: definition >= 0 && cells[definition] ? cells[definition] : undefined,
      line,
    });
  };
}

function parseJsonLine(text: string, line: number, file: string, warn: WarningLog, accept: (r: TermRecord) => TermRecord | null): TermRecord | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    warn.add({ kind: 'malformed-record', file, line, message: `invalid JSON (${(err as Error).message})` });
    return null;
  }
  if (typeof value !== 'object' || value === null || typeof (value as { term?: unknown }).term !== 'string') {
    warn.add({ kind: 'malformed-record', file, line, message: 'expected an object with a string "term"' });
    return null;
  }
  const obj = value as { term: string; id?: unknown; definition?: unknown };
  return accept({
    term: obj.term,
    externalId: obj.id === undefined || obj.id === null ? undefined : String(obj.id),
    definition: typeof obj.definition === 'string' ? obj.definition : undefined,
    line,
  });
}
