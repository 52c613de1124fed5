/**
 * A SHA-256 of the code a worker runs: every compiled file under dist/src and dist/workers, and
 * the compiled addon. What depends on the code's exact behaviour (a cached trained model) keys on
 * it, so any change to the code, even one that forgets to bump a version, misses the old entry.
 * About 4 MB read, once a process.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { packageRoot } from './package.js';

let stamp: string | null = null;

function filesUnder(dir: string, out: string[]): void {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) filesUnder(path, out);
    else if (entry.name.endsWith('.js')) out.push(path);
  }
}

export function codeStamp(): string {
  if (stamp) return stamp;
  const root = packageRoot();
  const files: string[] = [];
  filesUnder(join(root, 'dist', 'src'), files);
  filesUnder(join(root, 'dist', 'workers'), files);
  const addon = join(root, 'build', 'Release', 'synograph_kernel.node');
  if (existsSync(addon)) files.push(addon);
  files.sort();
  const hash = createHash('sha256');
  for (const file of files) hash.update(relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  return (stamp = hash.digest('hex'));
}
