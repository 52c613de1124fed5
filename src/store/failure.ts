/**
 * SQLite's failures in words a user can act on. better-sqlite3 throws SqliteError with SQLite's
 * extended code (SQLITE_FULL, SQLITE_IOERR_WRITE, ...); the message alone names neither the file
 * nor what to do.
 */
const PROBLEMS: [prefix: string, problem: string][] = [
  ['SQLITE_FULL', 'the disk is full: the stage that was running was rolled back, earlier stages are kept'],
  ['SQLITE_READONLY', 'read-only: the file or its folder cannot be written (permissions, a read-only file system)'],
  ['SQLITE_BUSY', 'locked by another process (another build, or a program writing to it)'],
  ['SQLITE_LOCKED', 'locked by another connection'],
  ['SQLITE_NOTADB', 'not a synograph database (not an SQLite file)'],
  ['SQLITE_CORRUPT', 'the database file is corrupt: rebuild it, or restore a copy'],
  ['SQLITE_CANTOPEN', 'cannot be opened (a missing folder, or no permission)'],
  ['SQLITE_PERM', 'no permission to access it'],
  ['SQLITE_IOERR', 'an I/O error while reading or writing it (disk full, or the disk failing)'],
];

/** The problem an SQLite error code describes, or null for an error that is no SQLite failure. */
export function sqliteProblem(err: unknown): string | null {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return null;
  for (const [prefix, problem] of PROBLEMS) if (code.startsWith(prefix)) return `${problem} (${code})`;
  return `${(err as Error).message} (${code})`;
}
