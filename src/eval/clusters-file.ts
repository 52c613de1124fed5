/** Reads a clustering in the gold export's JSONL shape: one `{"id": ..., "members": [...]}` a line. */
import { InputError, WarningLog } from '../lexicon/diagnostics.js';
import { readLines } from '../lexicon/lines.js';
import { normalizeTerm } from '../lexicon/normalize.js';
import type { Cluster } from '../types.js';

/** Members are normalised like every other term; a malformed line is an error naming its line. */
export async function readClustersFile(file: string): Promise<Cluster[]> {
  const clusters: Cluster[] = [];
  const warnings = new WarningLog();
  for await (const { lineNo, text } of readLines(file, { warnings, maxLineBytes: 64 * 1024 * 1024 })) {
    if (text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      throw new InputError(file, lineNo, `invalid JSON (${(err as Error).message})`);
    }
    const obj = value as { id?: unknown; members?: unknown };
    if (typeof obj !== 'object' || obj === null || !Array.isArray(obj.members) || !obj.members.every((m) => typeof m === 'string' || typeof m === 'number')) {
      throw new InputError(file, lineNo, 'expected {"id": ..., "members": [terms]}');
    }
    const members = [...new Set((obj.members as (string | number)[]).map((m) => normalizeTerm(String(m))))];
    clusters.push({ id: obj.id === undefined ? String(clusters.length) : String(obj.id), members });
  }
  if (warnings.total > 0) throw new InputError(file, warnings.examples[0]?.line ?? null, warnings.examples[0]?.message ?? 'unreadable line');
  return clusters;
}
