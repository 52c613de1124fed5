/**
 * The most elements one typed array holds in Node 20: a Float32Array of 2^32 floats is made, one
 * of 2^32 + 16 throws `Invalid typed array length` (measured on this machine). The candidates and
 * relations stages hold every term's vector in one Float32Array, so terms x dimensions must stay
 * within it: 33.5M terms of the builtin embedder's 128 dimensions, 11.18M of a 384-dimension
 * model's (the 15M-line bench:e2e list makes 12.6M terms).
 */
export const MATRIX_FLOATS_MAX = 2 ** 32;

/** Why `rows` vectors of `dimensions` floats cannot be one matrix, or null when they can. */
export function matrixTooLarge(rows: number, dimensions: number): string | null {
  const floats = rows * dimensions;
  if (floats <= MATRIX_FLOATS_MAX) return null;
  return (
    `${rows} vectors of ${dimensions} dimensions are ${floats} floats, more than the ${MATRIX_FLOATS_MAX} that one typed array holds ` +
    `(the candidates and relations stages hold every vector in one): at ${dimensions} dimensions at most ${Math.floor(MATRIX_FLOATS_MAX / dimensions)} terms fit; ` +
    `split the list, or use a model of at most ${Math.floor(MATRIX_FLOATS_MAX / rows)} dimensions`
  );
}
