/** Where an export came from: the database, its newest build, the served algorithm and the export date. */
import { readNewestBuildRecord, type Db } from '../store/index.js';

export interface Provenance {
  database: string;
  build: number | null;
  mode: string | null;
  codeVersion: string | null;
  builtAt: string | null;
  algorithm: string | null;
  exportedAt: string;
}

export function provenanceOf(db: Db, algorithm: string | null): Provenance {
  const build = readNewestBuildRecord(db);
  return { database: db.name, build: build?.id ?? null, mode: build?.mode ?? null, codeVersion: build?.codeVersion ?? null, builtAt: build?.at ?? null, algorithm, exportedAt: new Date().toISOString() };
}
