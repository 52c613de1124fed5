/**
 * The builtin embedder cache: a trained model kept on disk between builds. The training reads
 * only KeNet, the dated dictionary editions and the news corpus (never the terms), so every full
 * build on a machine trains the same model: ~45 s alone, and 57 s beside the first stages of a
 * 1M-term build, where the embed stage waited 25 s for it. The entry is the model's artifact parts under a key that
 * names everything the training reads (the caller's), with a SHA-256 of its bytes: a file that
 * does not verify is ignored and trained over, and a write goes to a temporary file renamed into
 * place, so an interrupted or concurrent write never leaves a half entry under a key.
 */
import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { builtinModelArtifact, builtinModelFromArtifact, type BuiltinModel, type BuiltinTrainingReport } from '../embed/index.js';

const MAGIC = 'synograph-builtin-embedder 1\n';
const PREFIX = 'builtin-';
const SUFFIX = '.model';
/** Entries kept (the most recently used): one is ~200 MB, mostly the n-gram table. */
export const CACHE_ENTRIES = 4;

export interface CachedTraining {
  model: BuiltinModel;
  report: BuiltinTrainingReport;
}

interface Header {
  key: string;
  meta: Record<string, unknown>;
  report: BuiltinTrainingReport;
  parts: { name: string; bytes: number }[];
  sha256: string;
}

/**
 * Where entries go: SYNOGRAPH_CACHE_DIR, else $XDG_CACHE_HOME/synograph, else ~/.cache/synograph;
 * null when SYNOGRAPH_CACHE_DIR is `off` (every build trains).
 */
export function builtinCacheDir(env: NodeJS.ProcessEnv = process.env): string | null {
  const set = env.SYNOGRAPH_CACHE_DIR;
  if (set === 'off') return null;
  if (set) return set;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'synograph');
}

/** The key's file name: a SHA-256 of the caller's description of the training's inputs. */
export function cacheKey(inputs: unknown): string {
  return createHash('sha256').update(JSON.stringify(inputs)).digest('hex');
}

const entryFile = (dir: string, key: string): string => join(dir, `${PREFIX}${key}${SUFFIX}`);

/** The entry under `key`, or null when there is none or it does not verify (then it is removed). */
export function readCachedTraining(dir: string, key: string): CachedTraining | null {
  const file = entryFile(dir, key);
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    return null;
  }
  const entry = parseEntry(bytes, key);
  if (!entry) {
    try {
      rmSync(file, { force: true });
    } catch {
      // A read-only cache keeps its bad entry; the build trains all the same.
    }
    return null;
  }
  try {
    // Used now: the last to be pruned.
    const now = new Date();
    utimesSync(file, now, now);
  } catch {
    // A read-only cache still serves.
  }
  return entry;
}

function parseEntry(bytes: Buffer, key: string): CachedTraining | null {
  try {
    if (bytes.toString('utf8', 0, MAGIC.length) !== MAGIC) return null;
    const headerLength = bytes.readUInt32LE(MAGIC.length);
    const start = MAGIC.length + 4;
    const header = JSON.parse(bytes.toString('utf8', start, start + headerLength)) as Header;
    let at = start + headerLength;
    const total = header.parts.reduce((s, p) => s + p.bytes, 0);
    if (header.key !== key || at + total !== bytes.length) return null;
    if (createHash('sha256').update(bytes.subarray(at)).digest('hex') !== header.sha256) return null;
    const parts = new Map<string, Uint8Array>();
    for (const p of header.parts) {
      parts.set(p.name, bytes.subarray(at, at + p.bytes));
      at += p.bytes;
    }
    return { model: builtinModelFromArtifact({ meta: header.meta, parts }, 'the embedder cache'), report: header.report };
  } catch {
    return null;
  }
}

/**
 * Stores `trained` under `key` and keeps the CACHE_ENTRIES most recently used entries. A failure
 * (no room, a read-only home) is returned, not thrown: the build goes on without the entry.
 */
export function writeCachedTraining(dir: string, key: string, trained: CachedTraining): Error | null {
  const { meta, parts } = builtinModelArtifact(trained.model);
  const views = Object.entries(parts).map(([name, v]) => ({ name, bytes: new Uint8Array(v.buffer, v.byteOffset, v.byteLength) }));
  const hash = createHash('sha256');
  for (const v of views) hash.update(v.bytes);
  const header: Header = { key, meta, report: trained.report, parts: views.map((v) => ({ name: v.name, bytes: v.bytes.byteLength })), sha256: hash.digest('hex') };
  const head = Buffer.from(JSON.stringify(header), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32LE(head.byteLength);
  const file = entryFile(dir, key);
  const temporary = `${file}.${process.pid}.${Date.now()}.partial`;
  let fd = -1;
  try {
    mkdirSync(dir, { recursive: true });
    fd = openSync(temporary, 'w');
    for (const chunk of [Buffer.from(MAGIC, 'utf8'), length, head, ...views.map((v) => v.bytes)]) writeAll(fd, chunk);
    fsyncSync(fd);
    closeSync(fd);
    fd = -1;
    renameSync(temporary, file);
  } catch (err) {
    if (fd >= 0) closeSync(fd);
    rmSync(temporary, { force: true });
    return err as Error;
  }
  pruneEntries(dir);
  return null;
}

function writeAll(fd: number, bytes: Uint8Array): void {
  for (let at = 0; at < bytes.byteLength; ) at += writeSync(fd, bytes, at, bytes.byteLength - at);
}

/** Removes all but the CACHE_ENTRIES most recently used entries (and leftovers of writes a day old). */
function pruneEntries(dir: string): void {
  try {
    const now = Date.now();
    const entries: { file: string; used: number }[] = [];
    for (const name of readdirSync(dir)) {
      if (!name.startsWith(PREFIX)) continue;
      const file = join(dir, name);
      const used = statSync(file).mtimeMs;
      if (name.endsWith(SUFFIX)) entries.push({ file, used });
      else if (name.endsWith('.partial') && now - used > 86_400_000) rmSync(file, { force: true });
    }
    entries.sort((a, b) => b.used - a.used || (a.file < b.file ? -1 : 1));
    for (const { file } of entries.slice(CACHE_ENTRIES)) rmSync(file, { force: true });
  } catch {
    // Pruning is housekeeping: a racing build may have removed a file first.
  }
}
