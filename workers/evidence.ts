/**
 * Piscina worker: the evidence stage's rules over the database on a read-only connection of its
 * own, so that the build's thread trains the relations stage's model meanwhile. The columns go back
 * without a copy.
 */
import { move, transferableSymbol, valueSymbol } from 'piscina';
import { findStoredEvidence, type FoundEvidence } from '../src/pipeline/stages/evidence.js';
import { openDb } from '../src/store/index.js';

export function evidence(file: string): FoundEvidence {
  const db = openDb(file, { readonly: true });
  try {
    const found = findStoredEvidence(db);
    const columns = [found.a, found.b, found.kind, found.details, found.ends].map((c) => c.buffer as ArrayBuffer);
    return move({ [transferableSymbol]: columns, [valueSymbol]: found }) as unknown as FoundEvidence;
  } finally {
    db.close();
  }
}
