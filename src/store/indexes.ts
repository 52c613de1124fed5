/**
 * Bulk rewrites without an index's row-by-row upkeep: the index is dropped while the rows go in
 * and built once after, from its own CREATE statement as the database holds it.
 */
import type { Db } from './db.js';

/** Drops index `name` when the database has it; returns what builds it again (nothing to do when it had none). */
export function dropIndex(db: Db, name: string): () => void {
  const sql = db.prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?").pluck().get(name) as string | undefined;
  if (sql === undefined) return () => {};
  db.exec(`DROP INDEX ${name}`);
  return () => db.exec(sql);
}
