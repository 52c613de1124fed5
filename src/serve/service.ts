/** One read-only database opened for serving, with the query, expansion and graph readers over it. */
import { resolve } from 'node:path';
import { StoreError } from '../errors.js';
import { openDb, probeServedTables, quickCheck, sqliteProblem, type Db } from '../store/index.js';
import { Expander } from './expand.js';
import { GraphReader } from './graph.js';
import { SynonymQuery } from './query.js';
import { ServeReader } from './reader.js';

export interface ServiceSummary {
  db: string;
  mode: string | null;
  algorithm: string | null;
  terms: number;
  clusters: number;
  relations: number;
}

export interface ServiceOptions {
  /** Serve this clustering algorithm's rows (default: the newest clustering's). */
  algorithm?: string;
  /** Load the morphological analyser at once instead of on the first inflected query. */
  warm?: boolean;
  /** Run SQLite's quick_check first and refuse a corrupt file (reads every page: seconds on a large database). */
  check?: boolean;
}

export class SynonymService {
  readonly reader: ServeReader;
  readonly query: SynonymQuery;
  readonly expander: Expander;
  readonly graph: GraphReader;
  /** Counted once at open: the database is read-only while served. */
  readonly summary: ServiceSummary;

  constructor(readonly db: Db, readonly path: string, options: ServiceOptions = {}) {
    this.reader = new ServeReader(db, options.algorithm);
    this.query = new SynonymQuery(this.reader);
    this.expander = new Expander(this.reader, this.query.resolver);
    this.graph = new GraphReader(this.reader, this.query.resolver);
    this.summary = { db: path, ...this.reader.summary() };
    if (options.warm) this.query.resolver.warm();
  }

  /**
   * Null when the database file answers a read now, else what went wrong (the file named). A
   * connection of its own, opened for the check: the serving one's page cache (filled at open)
   * would answer for a file that has since been damaged, replaced or removed.
   */
  healthProblem(): string | null {
    try {
      if (!this.db.open) throw new Error('the database connection is closed');
      const probe = openDb(this.path, { readonly: true, cacheMiB: 1 });
      try {
        probeServedTables(probe);
      } finally {
        probe.close();
      }
      return null;
    } catch (err) {
      const message = err instanceof StoreError ? err.message.slice(this.path.length + 2) : (sqliteProblem(err) ?? (err as Error).message);
      return `${this.path}: ${message}`;
    }
  }

  close(): void {
    this.reader.release();
    this.db.close();
  }
}

/** Opens a database read-only (it must exist and be migrated) for serving. */
export function openService(file: string, options: ServiceOptions = {}): SynonymService {
  const path = resolve(file);
  const db = openDb(path, { readonly: true });
  try {
    if (options.check) {
      const problem = quickCheck(db);
      if (problem !== null) throw new StoreError(path, `the database file is corrupt: rebuild it, or restore a copy (quick_check: ${problem})`);
    }
    return new SynonymService(db, path, options);
  } catch (err) {
    db.close();
    throw err;
  }
}
