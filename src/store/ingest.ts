/**
 * Bulk ingest of terms and lexical resources. Each ingest is one transaction: an ingest that
 * fails or is interrupted (error, SIGINT, crash) leaves the database exactly as it was before it.
 */
import { termKeys } from '../lexicon/normalize.js';
import { WarningLog } from '../lexicon/diagnostics.js';
import type { TermRecord } from '../lexicon/termlist.js';
import type { KenetSynset } from '../lexicon/kenet.js';
import type { Db } from './db.js';
import { bumpTermsGeneration } from './terms.js';

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

/** Rows bound per staging INSERT (6 parameters each, far below SQLite's variable limit). */
const STAGING_ROWS_PER_STATEMENT = 100;

/** How many duplicate lines an ingest reports by line number (all of them are counted). */
const DUPLICATE_EXAMPLES = 20;

/**
 * Inserts terms, de-duplicated by normalised form (the first line wins; later duplicates are
 * counted warnings naming file and line). Definitions of TSV/JSONL records are stored per term.
 *
 * Bulk load in two passes inside the one transaction: rows are appended to an unindexed staging
 * table, then moved into `terms` in `norm` order, so the unique index on `norm` is filled
 * sequentially instead of at random (random order was 139k terms/s at 1M and 86k/s at 15M, as
 * the index outgrew the page cache). Term ids therefore follow `norm` order within one ingest.
 */
export async function ingestTerms(db: Db, batches: AsyncIterable<readonly TermRecord[]>, options: TermIngestOptions): Promise<IngestReport> {
  const started = performance.now();
  const warnings = options.warnings ?? new WarningLog();
  const file = options.path ?? options.name;
  const every = options.progressEvery ?? 100_000;
  return inTransaction(db, async () => {
    const sourceId = addSource(db, options.kind ?? 'terms', options.name, options.path);
    // A TEMP table lives in SQLite's temporary file, not in the database: staging 15M rows must
    // not leave 15M rows' worth of free pages behind in the user's database file.
    db.exec(`CREATE TEMP TABLE IF NOT EXISTS ingest_staging (
      line INTEGER NOT NULL, norm TEXT NOT NULL, folded TEXT, original TEXT, external_id TEXT, definition TEXT)`);
    db.prepare('DELETE FROM ingest_staging').run();
    // Many rows per statement: better-sqlite3's per-call cost, not SQLite, dominates appends.
    const sql = (rows: number): string => `INSERT INTO ingest_staging(line, norm, folded, original, external_id, definition) VALUES ${Array(rows).fill('(?, ?, ?, ?, ?, ?)').join(', ')}`;
    const stageMany = db.prepare(sql(STAGING_ROWS_PER_STATEMENT));
    const stageOne = db.prepare(sql(1));
    const params: (string | number | null)[] = [];
    let count = 0;
    let nextProgress = every;
    for await (const batch of batches) {
      for (const rec of batch) {
        const { norm, folded } = termKeys(rec.term);
        const original = rec.term.trim();
        params.push(rec.line, norm, folded === norm ? null : folded, original === norm ? null : original, rec.externalId ?? null, rec.definition ?? null);
        if (params.length === STAGING_ROWS_PER_STATEMENT * 6) {
          stageMany.run(params);
          params.length = 0;
        }
      }
      count += batch.length;
      if (options.onProgress && count >= nextProgress) {
        options.onProgress(count);
        nextProgress = count + every;
      }
    }
    for (let i = 0; i < params.length; i += 6) stageOne.run(params.slice(i, i + 6));
    params.length = 0;
    // `WHERE true` lets SQLite parse ON CONFLICT after a SELECT; ordering by line within a norm
    // makes the first occurrence the one that is kept.
    const inserted = db
      .prepare(
        `INSERT INTO terms(norm, folded, original, source_id, external_id, source_line)
         SELECT norm, folded, original, ?, external_id, line FROM ingest_staging WHERE true ORDER BY norm, line
         ON CONFLICT(norm) DO NOTHING`,
      )
      .run(sourceId).changes;
    db.prepare(
      `INSERT INTO definitions(term_id, kind, text, source_id)
       SELECT t.id, 'definition', s.definition, ? FROM ingest_staging s
       JOIN terms t ON t.norm = s.norm AND t.source_id = ? AND t.source_line = s.line
       WHERE s.definition IS NOT NULL`,
    ).run(sourceId, sourceId);
    const duplicates = count - inserted;
    if (duplicates > 0) {
      // A staged row is a duplicate unless it is the row its term was created from. Scanning in
      // line order with index lookups stops as soon as enough examples are found.
      const examples = db
        .prepare(
          `SELECT s.line, s.norm FROM ingest_staging s JOIN terms t ON t.norm = s.norm
           WHERE t.source_id <> ? OR t.source_line <> s.line ORDER BY s.rowid LIMIT ?`,
        )
        .all(sourceId, DUPLICATE_EXAMPLES) as { line: number; norm: string }[];
      warnings.addCounted('duplicate-term', duplicates, examples.map((e) => ({ kind: 'duplicate-term', file, line: e.line, message: `duplicate of an earlier term "${e.norm}"` })));
    }
    db.prepare('DELETE FROM ingest_staging').run();
    if (inserted > 0) bumpTermsGeneration(db);
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
