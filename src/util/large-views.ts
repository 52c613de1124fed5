/**
 * Typed arrays of 4 GiB or more across a thread boundary. Node 20's structured clone (V8's
 * ValueSerializer) writes a view's byte offset and byte length as 32-bit numbers: a view of 4 GiB
 * or more arrives cut to its length modulo 2^32 bytes, its buffer whole, with no error. The
 * 15M-line bench:e2e build's term vectors (12.6M x 128 float32, 6.4 GB on a SharedArrayBuffer)
 * reached the relation scorer's workers 2.2 GB long, and the compiled scorer refused them; the
 * ONNX kernel thread's k-means steps read the same vectors and found zeros past row 4.2M.
 *
 * `packViews` replaces each such view in an object (plain objects and arrays, searched to any
 * depth) by its buffer, offset and length; `unpackViews`, on arrival, makes the views again over
 * the same memory. Smaller views are left as they are.
 */

/** Views at or past this many bytes (or starting this far into their buffer) are packed. */
const CLONE_LIMIT = 2 ** 32;

const VIEW_TYPES = {
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
} as const;

type ViewType = keyof typeof VIEW_TYPES;

/** A packed view: what a clone carries whole. */
interface PackedView {
  packedView: ViewType;
  buffer: ArrayBufferLike;
  byteOffset: number;
  length: number;
}

function isPlain(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function isPacked(value: object): value is PackedView {
  return isPlain(value) && typeof (value as Partial<PackedView>).packedView === 'string' && (value as PackedView).packedView in VIEW_TYPES;
}

/**
 * `value` with every typed array of 4 GiB or more packed (a copy of the objects that hold one):
 * `unknown`, since its shape is no longer `value`'s until `unpackViews` has run on the other side.
 */
export function packViews(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (ArrayBuffer.isView(value)) {
    if (value instanceof DataView || (value.byteLength < CLONE_LIMIT && value.byteOffset < CLONE_LIMIT)) return value;
    const type = value.constructor.name as ViewType;
    if (!(type in VIEW_TYPES)) throw new TypeError(`packViews: a ${type} cannot be packed`);
    const view = value as unknown as { length: number };
    return { packedView: type, buffer: value.buffer, byteOffset: value.byteOffset, length: view.length } satisfies PackedView;
  }
  if (Array.isArray(value)) return value.map((v: unknown) => packViews(v));
  if (!isPlain(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = packViews(v);
  return out;
}

/** `value` with every packed view made again (in place: `value` is the received copy), as the `T` that was packed. */
export function unpackViews<T>(value: T): T {
  if (typeof value !== 'object' || value === null || ArrayBuffer.isView(value)) return value;
  if (isPacked(value)) {
    const View = VIEW_TYPES[value.packedView] as unknown as new (buffer: ArrayBufferLike, byteOffset: number, length: number) => unknown;
    return new View(value.buffer, value.byteOffset, value.length) as T;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = unpackViews(value[i]);
    return value;
  }
  if (!isPlain(value)) return value;
  const record = value as Record<string, unknown>;
  for (const k of Object.keys(record)) record[k] = unpackViews(record[k]);
  return value;
}
