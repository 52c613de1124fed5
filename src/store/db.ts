/** Opening a synograph database: WAL, pragmas, and migrations. */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations.js';
import { StoreError } from '../errors.js';
import { sqliteProblem } from './failure.js';

export type Db = Database.Database;

export interface OpenOptions {
  readonly?: boolean;
  /** Page cache in MiB; bounds memory on huge ingests. */
  cacheMiB?: number;
}

export { StoreError } from '../errors.js';

/**
 * The WAL file is cut back to this after a checkpoint. A transaction's pages all go to the WAL
 * before the checkpoint copies them into the database, and SQLite otherwise leaves the file at its
 * largest: the 15M-line list's candidates (1.09B pairs in one transaction) left a 14.4 GB WAL beside
 * the 26 GB database for the rest of the build.
 */
export const WAL_BYTES_KEPT = 64 * 1024 * 1024;

/** Opens (creating if needed) and migrates a database. Read-only opens never migrate. */
export function openDb(file: string, options: OpenOptions = {}): Db {
  let db: Db;
  try {
    if (!options.readonly && file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    db = new Database(file, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
  } catch (err) {
    throw new StoreError(file, sqliteProblem(err) ?? `cannot open database (${(err as Error).message})`, { cause: err });
  }
  try {
    db.pragma(`cache_size = -${(options.cacheMiB ?? 256) * 1024}`);
    db.pragma('foreign_keys = ON');
    if (!options.readonly) {
      db.pragma('journal_mode = WAL');
      // NORMAL in WAL mode: a power cut may lose the last commit, never corrupt the file.
      db.pragma('synchronous = NORMAL');
      db.pragma(`journal_size_limit = ${WAL_BYTES_KEPT}`);
      migrate(db, file);
    } else {
      const version = db.pragma('user_version', { simple: true }) as number;
      if (version === 0) throw new StoreError(file, 'not a synograph database (empty, or never built: run synograph build --db on it)');
      if (version > SCHEMA_VERSION) throw new StoreError(file, `written by a newer synograph (schema ${version}; this one reads ${SCHEMA_VERSION}): upgrade synograph`);
      if (version < SCHEMA_VERSION) throw new StoreError(file, `written by an older synograph (schema ${version}): run synograph build --db on it once to upgrade it to schema ${SCHEMA_VERSION}`);
    }
    return db;
  } catch (err) {
    db.close();
    const problem = sqliteProblem(err);
    throw problem === null ? err : new StoreError(file, problem, { cause: err });
  }
}

export function migrate(db: Db, file = db.name): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) {
    throw new StoreError(file, `schema version ${current} is newer than this synograph (${SCHEMA_VERSION}); upgrade synograph`);
  }
  if (current === SCHEMA_VERSION) return current;
  // A migration may rebuild a table another one references (SQLite's way to change a CHECK):
  // foreign keys are off while it runs (the pragma is a no-op inside a transaction) and the
  // tables it names are checked before it commits.
  const foreignKeys = db.pragma('foreign_keys', { simple: true }) as number;
  db.pragma('foreign_keys = OFF');
  try {
    for (const m of MIGRATIONS) {
      if (m.version <= current) continue;
      db.transaction(() => {
        // Another process may have migrated since `current` was read (the write lock is ours now).
        if ((db.pragma('user_version', { simple: true }) as number) >= m.version) return;
        db.exec(m.sql);
        m.data?.(db);
        for (const table of m.foreignKeyCheck ?? []) {
          if ((db.pragma(`foreign_key_check(${table})`) as unknown[]).length > 0) throw new StoreError(file, `migration ${m.version} (${m.description}) left rows of ${table} without their parent`);
        }
        db.pragma(`user_version = ${m.version}`);
      }).immediate();
    }
  } finally {
    db.pragma(`foreign_keys = ${foreignKeys ? 'ON' : 'OFF'}`);
  }
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * SQLite's quick_check (every page's structure, without the index-content cross-check of
 * integrity_check): null when the file is sound, else the first problems it lists.
 */
export function quickCheck(db: Db): string | null {
  let rows: { quick_check: string }[];
  try {
    rows = db.pragma('quick_check(5)', { simple: false }) as { quick_check: string }[];
  } catch (err) {
    // A page too damaged to list problems on: SQLite's own words and code.
    const code = (err as { code?: unknown }).code;
    if (typeof code !== 'string' || !code.startsWith('SQLITE_')) throw err;
    return `${(err as Error).message} (${code})`;
  }
  const problems = rows.map((r) => r.quick_check).filter((r) => r !== 'ok');
  return problems.length === 0 ? null : problems.join('; ');
}

export function getMeta(db: Db, key: string): string | null {
  const row = db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
  return row?.value ?? null;
}

export function setMeta(db: Db, key: string, value: string): void {
  db.prepare('INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
}
