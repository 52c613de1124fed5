/** Opening a synograph database: WAL, pragmas, and migrations. */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations.js';

export type Db = Database.Database;

export interface OpenOptions {
  readonly?: boolean;
  /** Page cache in MiB; bounds memory on huge ingests. */
  cacheMiB?: number;
}

export class StoreError extends Error {
  constructor(readonly file: string, problem: string) {
    super(`${file}: ${problem}`);
    this.name = 'StoreError';
  }
}

/** Opens (creating if needed) and migrates a database. Read-only opens never migrate. */
export function openDb(file: string, options: OpenOptions = {}): Db {
  let db: Db;
  try {
    if (!options.readonly && file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    db = new Database(file, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
  } catch (err) {
    throw new StoreError(file, `cannot open database (${(err as Error).message})`);
  }
  try {
    db.pragma(`cache_size = -${(options.cacheMiB ?? 256) * 1024}`);
    db.pragma('foreign_keys = ON');
    if (!options.readonly) {
      db.pragma('journal_mode = WAL');
      // NORMAL in WAL mode: a power cut may lose the last commit, never corrupt the file.
      db.pragma('synchronous = NORMAL');
      migrate(db, file);
    } else {
      const version = db.pragma('user_version', { simple: true }) as number;
      if (version !== SCHEMA_VERSION) throw new StoreError(file, `schema version ${version}, expected ${SCHEMA_VERSION} (open it once read-write to migrate)`);
    }
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

export function migrate(db: Db, file = db.name): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) {
    throw new StoreError(file, `schema version ${current} is newer than this synograph (${SCHEMA_VERSION}); upgrade synograph`);
  }
  for (const m of MIGRATIONS) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
  return db.pragma('user_version', { simple: true }) as number;
}

export function getMeta(db: Db, key: string): string | null {
  const row = db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
  return row?.value ?? null;
}

export function setMeta(db: Db, key: string, value: string): void {
  db.prepare('INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
}
