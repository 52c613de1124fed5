import { describe, expect, it } from 'vitest';
import { checkedTransaction, openDb, StoreError } from '../src/store/index.js';

function withTerm(): ReturnType<typeof openDb> {
  const db = openDb(':memory:');
  db.prepare("INSERT INTO sources(id, kind, name, added_at) VALUES (1, 'terms', 'test', '2026-12-04')").run();
  db.prepare("INSERT INTO terms(id, norm, source_id) VALUES (1, 'kara', 1)").run();
  return db;
}
const count = (db: ReturnType<typeof openDb>, table: string): number => db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;

describe('checkedTransaction', () => {
  it('commits a write whose references hold, and enforces foreign keys again after it', () => {
    const db = withTerm();
    checkedTransaction(db, ['clusters', 'memberships'], () => {
      db.prepare("INSERT INTO clusters(id, algorithm, representative, size) VALUES (1, 'synograph', 1, 1)").run();
      db.prepare('INSERT INTO memberships(term_id, cluster_id, support, is_primary) VALUES (1, 1, 0, 1)').run();
    });
    expect(count(db, 'memberships')).toBe(1);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
  });

  it('rolls back a write that leaves a dangling reference, and says which table', () => {
    const db = withTerm();
    const write = (): void => {
      db.prepare("INSERT INTO clusters(id, algorithm, representative, size) VALUES (1, 'synograph', 1, 1)").run();
      db.prepare('INSERT INTO memberships(term_id, cluster_id, support, is_primary) VALUES (2, 1, 0, 1)').run();
    };
    expect(() => checkedTransaction(db, ['clusters', 'memberships'], write)).toThrow(StoreError);
    expect(() => checkedTransaction(db, ['clusters', 'memberships'], write)).toThrow(/1 rows of memberships refer to missing rows of terms/);
    expect(count(db, 'clusters')).toBe(0);
    expect(count(db, 'memberships')).toBe(0);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    // Outside it, SQLite checks each row as before.
    expect(() => db.prepare('INSERT INTO memberships(term_id, cluster_id, support, is_primary) VALUES (2, 1, 0, 1)').run()).toThrow(/FOREIGN KEY/);
  });

  it('refuses to run inside another transaction, where foreign keys cannot be switched', () => {
    const db = withTerm();
    expect(() => db.transaction(() => checkedTransaction(db, ['memberships'], () => 0))()).toThrow(/inside another transaction/);
  });
});
