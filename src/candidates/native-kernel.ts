/**
 * The compiled block kernel (native/block.cc, built by `npm ci` through node-gyp into
 * build/Release): the candidates scan's inner products with their thresholds fused, 2.7x ONNX
 * Runtime's GEMM + Greater + NonZero + GatherND graph on a cell's block (see the source). Where it
 * was not built (no compiler when the package was installed), the scan uses that graph instead,
 * which gives the same pairs (test/native-kernel.test.ts) more slowly.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { packageRoot } from '../util/package.js';

export interface BlockHits {
  query: Int32Array;
  row: Int32Array;
  scores: Float32Array;
}

interface Addon {
  block(vectors: Float32Array, d: number, queries: Int32Array, rows: Int32Array, thresholds: Float32Array, rowThresholds: Float32Array | undefined, threads: number, scalar?: boolean): Promise<BlockHits>;
  /** Whether the AVX2 tile is used (else the portable one, with the same results). */
  simd(): boolean;
}

let addon: Addon | null | undefined;

/** The addon, or null when it was not built. */
export function nativeKernel(): Addon | null {
  if (addon === undefined) {
    const file = join(packageRoot(), 'build', 'Release', 'synograph_kernel.node');
    addon = existsSync(file) ? (createRequire(import.meta.url)(file) as Addon) : null;
  }
  return addon;
}
