/**
 * Bulk ingest of terms and lexical resources. Each ingest is one transaction: an ingest that
 * fails or is interrupted (error, SIGINT, crash) leaves the database exactly as it was before it.
 */
import { termKeys } from '../lexicon/normalize.js';
import { WarningLog } from '../lexicon/diagnostics.js';
import type { TermRecord } from '../lexicon/termlist.js';
import type { KenetSynset } from '../lexicon/kenet.js';
import type { Db } from './db.js';

export type SourceKind = 'kenet' | 'terms' | 'pairs' | 'corpus';

export interface IngestReport {
  sourceId: number;
  records: number;
  inserted: number;
  duplicates: number;
  seconds: number;
  warnings: WarningLog;
}

/** Runs `body` inside BEGIN/COMMIT; any throw rolls back. Async bodies are allowed (one connection, one writer). */
export async function inTransaction<T>(db: Db, body: () => Promise<T>): Promise<T> {
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = await body();
    db.exec('COMMIT');
    return result;
  } catch (err) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw err;
  }
}

function addSource(db: Db, kind: SourceKind, name: string, path: string | null): number {
  const info = db
    .prepare('INSERT INTO sources(kind, name, path, added_at) VALUES (?, ?, ?, ?)')
    .run(kind, name, path, new Date().toISOString());
  return Number(info.lastInsertRowid);
}

function finishSource(db: Db, sourceId: number, records: number, inserted: number, warnings: WarningLog): void {
  db.prepare('UPDATE sources SET records = ?, inserted = ?, warnings = ? WHERE id = ?').run(records, inserted, JSON.stringify(warnings.counts), sourceId);
}

export interface TermIngestOptions {
  name: string;
  path: string | null;
  kind?: SourceKind;
  warnings?: WarningLog;
  /** Called every `progressEvery` records (for TTY progress). */
  onProgress?: (records: number) => void;
  progressEvery?: number;
}

/**
 * Inserts terms, de-duplicated by normalised form (the first spelling wins; later duplicates are
 * counted warnings naming file and line). Definitions of TSV/JSONL records are stored per term.
 */
export async function ingestTerms(db: Db, batches: AsyncIterable<readonly TermRecord[]>, options: TermIngestOptions): Promise<IngestReport> {
  const started = performance.now();
  const warnings = options.warnings ?? new WarningLog();
  const file = options.path ?? options.name;
  const every = options.progressEvery ?? 100_000;
  return inTransaction(db, async () => {
    const sourceId = addSource(db, options.kind ?? 'terms', options.name, options.path);
    const insert = db.prepare('INSERT INTO terms(norm, folded, original, source_id, external_id) VALUES (?, ?, ?, ?, ?) ON CONFLICT(norm) DO NOTHING');
    const insertDef = db.prepare("INSERT INTO definitions(term_id, kind, text, source_id) VALUES (?, 'definition', ?, ?)");
    let count = 0;
    let inserted = 0;
    let duplicates = 0;
    let nextProgress = every;
    for await (const batch of batches) {
      for (const rec of batch) {
        const { norm, folded } = termKeys(rec.term);
        const original = rec.term.trim();
        const info = insert.run(norm, folded === norm ? null : folded, original === norm ? null : original, sourceId, rec.externalId ?? null);
        if (info.changes === 0) {
          duplicates++;
          warnings.add({ kind: 'duplicate-term', file, line: rec.line, message: `duplicate of an earlier term "${norm}"` });
        } else {
          inserted++;
          if (rec.definition) insertDef.run(info.lastInsertRowid, rec.definition, sourceId);
        }
      }
      count += batch.length;
      if (options.onProgress && count >= nextProgress) {
        options.onProgress(count);
        nextProgress = count + every;
      }
    }
    finishSource(db, sourceId, count, inserted, warnings);
    return { sourceId, records: count, inserted, duplicates, seconds: (performance.now() - started) / 1000, warnings };
  });
}

export interface LexiconIngestReport {
  sourceId: number;
  synsets: number;
  members: number;
  definitions: number;
  relations: number;
  seconds: number;
}

/**
 * Stores a lexical resource: the synsets, memberships, definitions, examples and relations the
 * caller lets through (a held-out build passes only the synsets it may see).
 */
export async function ingestLexicon(db: Db, visible: Iterable<KenetSynset>, options: { name: string; path: string | null }): Promise<LexiconIngestReport> {
  const started = performance.now();
  return inTransaction(db, async () => {
    const sourceId = addSource(db, 'kenet', options.name, options.path);
    const insertSynset = db.prepare('INSERT OR IGNORE INTO synsets(id, pos, source_id) VALUES (?, ?, ?)');
    const insertMember = db.prepare('INSERT OR IGNORE INTO synset_members(synset_id, norm, sense) VALUES (?, ?, ?)');
    const insertRel = db.prepare('INSERT OR IGNORE INTO synset_relations(synset_id, type, target_id) VALUES (?, ?, ?)');
    const insertDef = db.prepare('INSERT INTO definitions(synset_id, kind, text, source_id) VALUES (?, ?, ?, ?)');
    let synsets = 0;
    let members = 0;
    let definitions = 0;
    let relations = 0;
    for (const s of visible) {
      insertSynset.run(s.id, s.pos, sourceId);
      synsets++;
      for (const lit of s.literals) members += insertMember.run(s.id, lit.norm, lit.sense).changes;
      if (s.definition) {
        insertDef.run(s.id, 'definition', s.definition, sourceId);
        definitions++;
      }
      for (const ex of s.examples) {
        insertDef.run(s.id, 'example', ex, sourceId);
        definitions++;
      }
      for (const r of s.relations) relations += insertRel.run(s.id, r.type, r.target).changes;
    }
    finishSource(db, sourceId, synsets, synsets, new WarningLog());
    return { sourceId, synsets, members, definitions, relations, seconds: (performance.now() - started) / 1000 };
  });
}
