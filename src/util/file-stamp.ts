/**
 * What a file held when a stage read it: its size and a SHA-256 of its content. A stage's
 * fingerprint carries the stamps of the files it reads, so a file edited in place (same path)
 * reaches the next build. The modification time is left out on purpose: copying the file, a
 * `touch` or an `npm ci` that reinstalls KeNet changes it without changing what the stage reads,
 * and would make a build redo every stage for an identical result.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { createHash } from 'node:crypto';

const CHUNK = 1 << 20;

/** `size:sha256` of a file, or `missing` when it cannot be opened (the stage itself says why). */
export function fileStamp(file: string): string {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return 'missing';
  }
  try {
    const size = fstatSync(fd).size;
    const hash = createHash('sha256');
    const buffer = Buffer.allocUnsafe(CHUNK);
    for (;;) {
      const n = readSync(fd, buffer, 0, CHUNK, null);
      if (n === 0) break;
      hash.update(buffer.subarray(0, n));
    }
    return `${size}:${hash.digest('hex')}`;
  } catch {
    return 'unreadable';
  } finally {
    closeSync(fd);
  }
}
