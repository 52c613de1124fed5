/**
 * The compiled addon (native/, built by `npm ci` through node-gyp into build/Release), loaded
 * once; null where it was not built (no compiler when the package was installed). Each user
 * types the part it calls: the candidate search (candidates/native-kernel.ts), the clustering's
 * loops (cluster/compiled.ts), the relation scorer (relations/compiled-scorer.ts), the builtin
 * embedder (embed/builtin/train.ts, model.ts) and the SVD's kernels (util/row-parallel.ts). Each
 * has a JS path giving the same results.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { packageRoot } from './package.js';

let addon: unknown;

export function nativeAddon(): unknown {
  if (addon === undefined) {
    const file = join(packageRoot(), 'build', 'Release', 'synograph_kernel.node');
    addon = existsSync(file) ? (createRequire(import.meta.url)(file) as unknown) : null;
  }
  return addon;
}

/** Who runs a compiled loop: the addon, or its JS twin (the same results). */
export type Engine = 'native' | 'js';

/** The addon typed as T when it has every function named (an older build/ may lack some), else null. */
export function addonWith<T>(names: readonly (keyof T & string)[]): T | null {
  const native = nativeAddon() as Record<string, unknown> | null;
  return native && names.every((name) => typeof native[name] === 'function') ? (native as T) : null;
}

/**
 * Asks for transparent huge pages under a big array (native/memory.cc); nothing without the
 * addon. Call it before the array is first written: the pages are made as it is touched.
 */
export function adviseHugePages(array: ArrayBufferView): void {
  const native = nativeAddon() as { adviseHugePages?: (array: ArrayBufferView) => number } | null;
  native?.adviseHugePages?.(array);
}
