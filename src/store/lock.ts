/**
 * The write lock of a database: one process at a time builds or ingests into it. The lock is a
 * meta row naming its holder (pid, host, process start time, since when, which command), taken in
 * an immediate transaction so that two processes cannot both see it free. A holder that died
 * (killed, crashed) leaves its row behind; the next process finds its pid gone and takes over, and
 * marks what the dead one left `running` as `interrupted`.
 */
import { currentProcess, processAlive, type ProcessIdentity } from '../util/process.js';
import { StoreError } from '../errors.js';
import { getMeta, setMeta, type Db } from './db.js';

const KEY = 'write_lock';

export interface LockHolder extends ProcessIdentity {
  /** When it took the lock (ISO time). */
  since: string;
  /** What it runs (`build`, `ingest`, ...). */
  command: string;
}

export interface WriteLock {
  readonly holder: LockHolder;
  /** The dead holder this process took the lock over from, if any. */
  readonly tookOver: LockHolder | null;
  /** Gives the lock up (only ours: a row another process took over is left alone). */
  release(): void;
  /** Rolls back a transaction left open (an interrupted write), then gives the lock up. */
  abandon(): void;
}

function parseHolder(value: string): LockHolder | null {
  try {
    const h = JSON.parse(value) as Partial<LockHolder>;
    if (typeof h.pid !== 'number' || typeof h.host !== 'string') return null;
    return { pid: h.pid, host: h.host, processStart: typeof h.processStart === 'string' ? h.processStart : null, since: String(h.since ?? '?'), command: String(h.command ?? 'write') };
  } catch {
    return null;
  }
}

/** The process holding the database's write lock, whether it still runs or not; null when free. */
export function lockHolder(db: Db): LockHolder | null {
  const value = getMeta(db, KEY);
  return value === null ? null : parseHolder(value);
}

function lockedBy(db: Db, other: LockHolder, host: string, cause?: unknown): StoreError {
  const where = other.host === host ? '' : ` on host ${other.host}`;
  return new StoreError(db.name, `locked by another synograph ${other.command} (pid ${other.pid}${where}, since ${other.since}): wait for it to finish, or stop it`, { cause });
}

/**
 * Takes the write lock for `command`, or refuses (a store error naming the database and the holder)
 * while another live process holds it.
 */
export function acquireWriteLock(db: Db, command: string): WriteLock {
  const holder: LockHolder = { ...currentProcess(), since: new Date().toISOString(), command };
  const value = JSON.stringify(holder);
  const take = db.transaction((): LockHolder | null => {
    const current = getMeta(db, KEY);
    const previous = current === null ? null : parseHolder(current);
    if (previous !== null && processAlive(previous)) throw lockedBy(db, previous, holder.host);
    setMeta(db, KEY, value);
    // Nobody else writes now: a build or stage still marked running was left by a process that died.
    const now = new Date().toISOString();
    db.prepare("UPDATE build_stages SET status = 'interrupted', finished_at = coalesce(finished_at, ?) WHERE status = 'running'").run(now);
    db.prepare("UPDATE builds SET status = 'interrupted', finished_at = coalesce(finished_at, ?) WHERE status = 'running'").run(now);
    return previous;
  });
  let tookOver: LockHolder | null;
  try {
    tookOver = take.immediate();
  } catch (err) {
    // Another process is inside a long write transaction (an ingest): name it if it holds the lock.
    const busy = (err as { code?: string }).code?.startsWith('SQLITE_BUSY');
    const other = busy ? lockHolder(db) : null;
    if (other === null) throw err;
    throw lockedBy(db, other, holder.host, err);
  }
  const release = (): void => {
    db.prepare('DELETE FROM meta WHERE key = ? AND value = ?').run(KEY, value);
  };
  return {
    holder,
    tookOver,
    release,
    abandon: () => {
      if (db.inTransaction) db.exec('ROLLBACK');
      release();
    },
  };
}
