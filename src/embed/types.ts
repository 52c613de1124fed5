/** The embedder contract every backend implements. */

export type EmbedderBackend = 'builtin' | 'transformers';

export interface EmbedderInfo {
  backend: EmbedderBackend;
  /** Model identity recorded in the build (artifact id, or model folder for transformers). */
  model: string;
  dimensions: number;
}

/**
 * Gives every term a vector. Inputs are terms already normalised by `normalizeTerm` (Turkish
 * lowercase); outputs are row-major Float32Array (terms.length × dimensions), L2-normalised, so
 * that a dot product is the cosine.
 */
export interface Embedder {
  readonly info: EmbedderInfo;
  embed(terms: readonly string[]): Promise<Float32Array>;
  /** Stops worker threads; the embedder is unusable afterwards. */
  close(): Promise<void>;
}

/** Thrown for unusable models (missing files, wrong shape), naming the folder and the problem. */
export { ModelError } from '../errors.js';
