/**
 * Streaming line reader over raw bytes with bounded memory.
 *
 * Lines are split on LF (CRLF tolerated; a file whose first chunk has CRs and no LF is read with
 * CR line ends). Many NUL bytes in the first chunk refuse the file as binary. Each chunk's complete lines are decoded in one go on the
 * fast path; when that finds invalid UTF-8, the chunk is decoded line by line so that one bad
 * sequence costs one line (a counted warning), not the file. A line longer than the limit is
 * skipped while it streams instead of being buffered whole. Lines come in batches (one per
 * chunk) so that per-line work stays synchronous on hot paths.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { InputError, type WarningLog } from './diagnostics.js';

export interface Line {
  /** 1-based line number in the file. */
  lineNo: number;
  text: string;
}

export interface LineReaderOptions {
  /** Lines longer than this many bytes are skipped with a `line-too-long` warning. */
  maxLineBytes?: number;
  warnings: WarningLog;
}

export const DEFAULT_MAX_LINE_BYTES = 64 * 1024;

/** Throws an InputError naming the file when it does not exist or is not a regular file. */
export async function assertReadableFile(file: string): Promise<void> {
  let info;
  try {
    info = await stat(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(file, null, code === 'ENOENT' ? 'file not found' : `cannot read file (${code ?? String(err)})`);
  }
  if (!info.isFile()) throw new InputError(file, null, 'not a regular file');
}

function nulBytes(chunk: Buffer): number {
  let n = 0;
  for (let i = chunk.indexOf(0); i !== -1; i = chunk.indexOf(0, i + 1)) n++;
  return n;
}

export async function* readLineBatches(file: string, options: LineReaderOptions): AsyncGenerator<Line[]> {
  await assertReadableFile(file);
  const maxBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let carry: Buffer | null = null; // start of a line continued in the next chunk
  let overflow = false; // the current line already exceeded maxBytes
  let lineNo = 0;

  const tooLong = (): void => {
    options.warnings.add({ kind: 'line-too-long', file, line: lineNo, message: `line longer than ${maxBytes} bytes skipped` });
  };
  const push = (batch: Line[], text: string): void => {
    if (lineNo === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1); // UTF-8 byte order mark
    if (text.length > 0 && text.charCodeAt(text.length - 1) === 13) text = text.slice(0, -1);
    // UTF-16 length * 3 bounds the UTF-8 length: measure bytes only when it could matter.
    if (text.length * 3 > maxBytes && Buffer.byteLength(text) > maxBytes) tooLong();
    else batch.push({ lineNo, text });
  };
  const decodeOne = (batch: Line[], bytes: Buffer): void => {
    lineNo++;
    try {
      push(batch, decoder.decode(bytes));
    } catch {
      options.warnings.add({ kind: 'invalid-utf8', file, line: lineNo, message: 'invalid UTF-8, line skipped' });
    }
  };
  /** `region` holds whole lines separated by LF, without the final LF. */
  const decodeRegion = (batch: Line[], region: Buffer): void => {
    let text: string | null = null;
    try {
      text = decoder.decode(region);
    } catch {
      // Slow path: find the bad line(s).
    }
    if (text !== null) {
      for (const line of text.split('\n')) {
        lineNo++;
        push(batch, line);
      }
      return;
    }
    let start = 0;
    for (;;) {
      const nl = region.indexOf(0x0a, start);
      decodeOne(batch, region.subarray(start, nl === -1 ? region.length : nl));
      if (nl === -1) return;
      start = nl + 1;
    }
  };

  const stream = createReadStream(file, { highWaterMark: 1 << 20 });
  let first = true;
  let crOnly = false;
  for await (const raw of stream as AsyncIterable<Buffer>) {
    let chunk = raw;
    if (first) {
      first = false;
      // A binary (or UTF-16) file is not a term list, and reading its printable fragments as
      // terms would store junk (/bin/ls gave 181 "terms"). A stray NUL in a text line is that
      // line's problem (termlist.ts skips it); many NULs are the file's.
      if (nulBytes(chunk) > Math.max(16, chunk.length / 1000)) throw new InputError(file, null, 'contains NUL bytes: a binary or UTF-16 file, not a UTF-8 text file');
      // Classic Mac line ends (CR only): without this the whole file would be one line.
      crOnly = chunk.indexOf(0x0a) === -1 && chunk.indexOf(0x0d) !== -1;
    }
    if (crOnly) chunk = Buffer.from(chunk.map((b) => (b === 0x0d ? 0x0a : b)));
    const batch: Line[] = [];
    let start = 0;
    if (carry !== null || overflow) {
      const nl = chunk.indexOf(0x0a);
      const end = nl === -1 ? chunk.length : nl;
      if (!overflow && carry !== null && carry.length + end > maxBytes) {
        overflow = true;
        carry = null;
      }
      if (nl === -1) {
        if (!overflow) carry = Buffer.concat([carry as Buffer, chunk]);
        continue;
      }
      if (overflow) {
        lineNo++;
        tooLong();
        overflow = false;
      } else {
        decodeOne(batch, Buffer.concat([carry as Buffer, chunk.subarray(0, nl)]));
      }
      carry = null;
      start = nl + 1;
    }
    const last = chunk.lastIndexOf(0x0a);
    if (last >= start) {
      decodeRegion(batch, chunk.subarray(start, last));
      start = last + 1;
    }
    if (start < chunk.length) {
      if (chunk.length - start > maxBytes) overflow = true;
      else carry = Buffer.from(chunk.subarray(start)); // copy: the chunk itself is not kept
    }
    if (batch.length > 0) yield batch;
  }
  const tail: Line[] = [];
  if (overflow) {
    lineNo++;
    tooLong();
  } else if (carry !== null) decodeOne(tail, carry);
  if (tail.length > 0) yield tail;
}

export async function* readLines(file: string, options: LineReaderOptions): AsyncGenerator<Line> {
  for await (const batch of readLineBatches(file, options)) yield* batch;
}
