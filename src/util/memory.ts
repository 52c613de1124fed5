/** Peak resident set size of this process in bytes (Linux: from the kernel's high-water mark). */
import { readFileSync } from 'node:fs';

export function peakRssBytes(): number {
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    const m = /VmHWM:\s+(\d+)\s+kB/.exec(status);
    if (m) return Number(m[1]) * 1024;
  } catch {
    // Not Linux: fall back to the current RSS, the best portable approximation.
  }
  return process.memoryUsage.rss();
}
