/**
 * Bulk inserts of many rows a statement. A statement's run has a fixed cost (~7 µs a row when rows
 * go in one at a time, on a million-row write), so rows go in ROWS_PER_STATEMENT to a VALUES list.
 */
import type { Db } from './db.js';

export const ROWS_PER_STATEMENT = 64;

export interface RowInserter {
  /** Adds one row of the inserter's width; its values are read at once. */
  add(...values: unknown[]): void;
  /** Inserts the rows still waiting. */
  finish(): void;
}

/** `head` (e.g. `INSERT INTO t(a, b)`) with a VALUES list of `rows` rows of `width` parameters. */
export function insertSql(head: string, width: number, rows: number): string {
  return `${head} VALUES ${new Array<string>(rows).fill(`(${new Array<string>(width).fill('?').join(', ')})`).join(', ')}`;
}

/** Rows of `width` values for `head` (e.g. `INSERT INTO t(a, b)`); the caller owns the transaction. */
export function rowInserter(db: Db, head: string, width: number): RowInserter {
  const statement = (rows: number) => db.prepare(insertSql(head, width, rows));
  const full = statement(ROWS_PER_STATEMENT);
  const params: unknown[] = [];
  return {
    add(...values) {
      if (values.length !== width) throw new RangeError(`${head}: a row of ${values.length} values, not ${width}`);
      for (const v of values) params.push(v);
      if (params.length === width * ROWS_PER_STATEMENT) {
        full.run(params);
        params.length = 0;
      }
    },
    finish() {
      if (params.length > 0) statement(params.length / width).run(params);
      params.length = 0;
    },
  };
}
