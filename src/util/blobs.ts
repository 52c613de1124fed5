/** Typed arrays back from stored blobs (artifact parts): shared by the store and the code that decodes its artifacts. */

/** A typed-array view over a blob, copied into fresh aligned memory. */
export function float32Of(blob: Uint8Array): Float32Array {
  const out = new Float32Array(blob.byteLength / 4);
  new Uint8Array(out.buffer).set(blob);
  return out;
}
