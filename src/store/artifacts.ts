/** Trained artifacts stored in the database as named parts (JSON meta + raw typed-array blobs). */
import type { Db } from './db.js';

export { float32Of } from '../util/blobs.js';

export interface Artifact {
  kind: string;
  meta: Record<string, unknown>;
  parts: Map<string, Buffer>;
}

/** Replaces the artifact `name` with the given parts, atomically. */
export function saveArtifact(db: Db, name: string, kind: string, meta: Record<string, unknown>, parts: Record<string, ArrayBufferView>): void {
  const now = new Date().toISOString();
  const insert = db.prepare('INSERT INTO artifacts(name, part, kind, meta, data, created_at) VALUES (?, ?, ?, ?, ?, ?)');
  db.transaction(() => {
    db.prepare('DELETE FROM artifacts WHERE name = ?').run(name);
    insert.run(name, '', kind, JSON.stringify(meta), null, now);
    for (const [part, view] of Object.entries(parts)) insert.run(name, part, kind, '{}', Buffer.from(view.buffer, view.byteOffset, view.byteLength), now);
  })();
}

export function loadArtifact(db: Db, name: string): Artifact | null {
  return artifactOf(db.prepare('SELECT part, kind, meta, data FROM artifacts WHERE name = ? ORDER BY part').all(name) as ArtifactRow[]);
}

/** The artifact with only the named parts read (a large part others need is left on disk). */
export function loadArtifactParts(db: Db, name: string, parts: readonly string[]): Artifact | null {
  const rows = db
    .prepare(`SELECT part, kind, meta, data FROM artifacts WHERE name = ? AND part IN ('', ${parts.map(() => '?').join(', ')}) ORDER BY part`)
    .all(name, ...parts) as ArtifactRow[];
  return artifactOf(rows);
}

type ArtifactRow = { part: string; kind: string; meta: string; data: Buffer | null };

function artifactOf(rows: readonly ArtifactRow[]): Artifact | null {
  const head = rows.find((r) => r.part === '');
  if (!head) return null;
  const parts = new Map<string, Buffer>();
  for (const r of rows) if (r.part !== '' && r.data) parts.set(r.part, r.data);
  return { kind: head.kind, meta: JSON.parse(head.meta) as Record<string, unknown>, parts };
}
