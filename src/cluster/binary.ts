/**
 * Binary edge-list format, streamed in chunks by the clusterer (all little-endian):
 *
 *   offset  size  field
 *   0       8     magic "SYNGRAPH" (ASCII)
 *   8       4     uint32 version = 1
 *   12      4     uint32 reserved = 0
 *   16      8     float64 node count
 *   24      8     float64 edge count E
 *   32      8     float64 cannot-link count K
 *   40      12*E  edge records: int32 a, int32 b, float32 w (P(synonym))
 *   ...     8*K   cannot-link records: int32 a, int32 b
 *
 * Node ids are 0 .. nodeCount-1. Writers append edges as they go and patch the header at the end.
 */
import { closeSync, fstatSync, openSync, readSync, writeSync } from 'node:fs';
import { endianness } from 'node:os';
import { InputError } from '../lexicon/diagnostics.js';
import type { EdgeChunk, EdgeSource } from './graph.js';
import { GrowableInt32 } from '../util/growable.js';

export const GRAPH_MAGIC = 'SYNGRAPH';
export const GRAPH_VERSION = 1;
export const HEADER_BYTES = 40;
const EDGE_BYTES = 12;
const LINK_BYTES = 8;

if (endianness() !== 'LE') throw new Error('synograph binary graphs need a little-endian machine');

export interface GraphHeader {
  nodeCount: number;
  edgeCount: number;
  cannotLinkCount: number;
}

function encodeHeader(h: GraphHeader): Buffer {
  const buf = Buffer.alloc(HEADER_BYTES);
  buf.write(GRAPH_MAGIC, 0, 'latin1');
  buf.writeUInt32LE(GRAPH_VERSION, 8);
  buf.writeDoubleLE(h.nodeCount, 16);
  buf.writeDoubleLE(h.edgeCount, 24);
  buf.writeDoubleLE(h.cannotLinkCount, 32);
  return buf;
}

/** True when the file starts with the binary magic (used to pick the reader). */
export function isBinaryGraph(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(8);
    return readSync(fd, buf, 0, 8, 0) === 8 && buf.toString('latin1') === GRAPH_MAGIC;
  } finally {
    closeSync(fd);
  }
}

/** Reads and validates the header (size consistent with the counts). */
export function readGraphHeader(file: string): GraphHeader {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(HEADER_BYTES);
    if (readSync(fd, buf, 0, HEADER_BYTES, 0) !== HEADER_BYTES || buf.toString('latin1', 0, 8) !== GRAPH_MAGIC) throw new InputError(file, null, 'not a synograph binary graph (bad magic)');
    const version = buf.readUInt32LE(8);
    if (version !== GRAPH_VERSION) throw new InputError(file, null, `unsupported binary graph version ${version}`);
    const h = { nodeCount: buf.readDoubleLE(16), edgeCount: buf.readDoubleLE(24), cannotLinkCount: buf.readDoubleLE(32) };
    const expected = HEADER_BYTES + h.edgeCount * EDGE_BYTES + h.cannotLinkCount * LINK_BYTES;
    const size = fstatSync(fd).size;
    if (size !== expected) throw new InputError(file, null, `binary graph is ${size} bytes, header says ${expected}`);
    return h;
  } finally {
    closeSync(fd);
  }
}

/** Streams `count` records of `fields` 4-byte words from `start`, `chunkRecords` at a time. */
function* records(file: string, start: number, count: number, fields: number, chunkRecords: number): Generator<{ ints: Int32Array; floats: Float32Array; length: number }> {
  const fd = openSync(file, 'r');
  const bytesPer = fields * 4;
  const buf = new Uint8Array(chunkRecords * bytesPer);
  const ints = new Int32Array(buf.buffer);
  const floats = new Float32Array(buf.buffer);
  try {
    for (let done = 0; done < count; ) {
      const n = Math.min(chunkRecords, count - done);
      let got = 0;
      while (got < n * bytesPer) {
        const r = readSync(fd, buf, got, n * bytesPer - got, start + done * bytesPer + got);
        if (r === 0) throw new InputError(file, null, 'binary graph truncated');
        got += r;
      }
      yield { ints, floats, length: n };
      done += n;
    }
  } finally {
    closeSync(fd);
  }
}

/** The edges of a binary graph as a re-iterable chunk source (bounded memory: one chunk). */
export function binaryEdgeSource(file: string, header: GraphHeader, chunkRecords = 1 << 20): EdgeSource {
  return function* () {
    const a = new Int32Array(chunkRecords);
    const b = new Int32Array(chunkRecords);
    const w = new Float32Array(chunkRecords);
    for (const { ints, floats, length } of records(file, HEADER_BYTES, header.edgeCount, 3, chunkRecords)) {
      for (let i = 0; i < length; i++) {
        a[i] = ints[3 * i];
        b[i] = ints[3 * i + 1];
        w[i] = floats[3 * i + 2];
      }
      yield { a, b, w, length } satisfies EdgeChunk;
    }
  };
}

export function binaryCannotLinkSource(file: string, header: GraphHeader, chunkRecords = 1 << 20): EdgeSource {
  return function* () {
    const a = new Int32Array(chunkRecords);
    const b = new Int32Array(chunkRecords);
    for (const { ints, length } of records(file, HEADER_BYTES + header.edgeCount * EDGE_BYTES, header.cannotLinkCount, 2, chunkRecords)) {
      for (let i = 0; i < length; i++) {
        a[i] = ints[2 * i];
        b[i] = ints[2 * i + 1];
      }
      yield { a, b, length };
    }
  };
}

/**
 * Streams a binary graph to disk: edges go through a fixed buffer, cannot-links (few) are kept
 * in memory and written after the edges, the header is patched on close.
 */
export class GraphFileWriter {
  private readonly fd: number;
  private readonly buf: Uint8Array;
  private readonly ints: Int32Array;
  private readonly floats: Float32Array;
  private fill = 0;
  private position = HEADER_BYTES;
  edgeCount = 0;
  private readonly cannot = new GrowableInt32(1 << 16);

  constructor(
    readonly file: string,
    readonly nodeCount: number,
    private readonly bufferRecords = 1 << 20,
  ) {
    this.fd = openSync(file, 'w');
    this.buf = new Uint8Array(bufferRecords * EDGE_BYTES);
    this.ints = new Int32Array(this.buf.buffer);
    this.floats = new Float32Array(this.buf.buffer);
    writeSync(this.fd, encodeHeader({ nodeCount, edgeCount: 0, cannotLinkCount: 0 }), 0, HEADER_BYTES, 0);
  }

  edge(a: number, b: number, w: number): void {
    const i = this.fill++;
    this.ints[3 * i] = a;
    this.ints[3 * i + 1] = b;
    this.floats[3 * i + 2] = w;
    this.edgeCount++;
    if (this.fill === this.bufferRecords) this.flush();
  }

  cannotLink(a: number, b: number): void {
    this.cannot.push(a);
    this.cannot.push(b);
  }

  private flush(): void {
    const bytes = this.fill * EDGE_BYTES;
    writeSync(this.fd, this.buf, 0, bytes, this.position);
    this.position += bytes;
    this.fill = 0;
  }

  close(): GraphHeader {
    this.flush();
    const links = this.cannot.view();
    writeSync(this.fd, new Uint8Array(links.buffer, links.byteOffset, links.byteLength), 0, links.byteLength, this.position);
    const header = { nodeCount: this.nodeCount, edgeCount: this.edgeCount, cannotLinkCount: links.length / 2 };
    writeSync(this.fd, encodeHeader(header), 0, HEADER_BYTES, 0);
    closeSync(this.fd);
    return header;
  }
}
