/**
 * Seeded randomness. Every random choice in synograph goes through here so that the same
 * inputs and seed give the same database.
 */

/**
 * 32-bit FNV-1a over the UTF-16 code units of `text` (or of text[start, end), without slicing),
 * mixed with `seed`. Order-independent keys.
 */
export function hash32(text: string, seed = 0, start = 0, end = text.length): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = start; i < end; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return fmix32(h);
}

/**
 * hash32 of the text whose UTF-16 code units are units[start, end), without making it a string:
 * at 4.4M terms the training plan's inner split spent 5.2 s making its rows' strings (CPU profile).
 */
export function hash32Units(units: Uint16Array, start: number, end: number, seed = 0): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = start; i < end; i++) {
    h ^= units[i];
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return fmix32(h);
}

/** Final avalanche (murmur3 fmix32) so nearby strings spread over the whole range. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

/** A uniform number in [0, 1) determined by `text` and `seed` alone. */
export function hashUnit(text: string, seed = 0): number {
  return hash32(text, seed) / 4294967296;
}

/** mulberry32: a small, fast, seeded PRNG returning numbers in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
