/** Small helpers over node:util parseArgs: typed option reading with clear errors. */
import { UsageError } from '../errors.js';

export { UsageError } from '../errors.js';

export function numberOption(value: string | undefined, name: string, fallback: number, check?: (n: number) => boolean): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || (check && !check(n))) throw new UsageError(`--${name}: invalid value "${value}"`);
  return n;
}

export function integerOption(value: string | undefined, name: string, fallback: number, min = Number.MIN_SAFE_INTEGER): number {
  return numberOption(value, name, fallback, (n) => Number.isInteger(n) && n >= min);
}

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}
