/**
 * Who this process is, and whether a process recorded earlier still runs: what a database's build
 * lock records of its holder and how a later process tells a live holder from a dead one.
 */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

export interface ProcessIdentity {
  pid: number;
  host: string;
  /** The kernel's start time of the process (Linux: /proc/PID/stat field 22), null where unknown. */
  processStart: string | null;
}

/** State (field 3) and start time (field 22, clock ticks after boot) of /proc/PID/stat; null where unreadable. */
function procStat(pid: number): { state: string; start: string } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: count from the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields.length > 19 ? { state: fields[0], start: fields[19] } : null;
  } catch {
    return null;
  }
}

/** With the pid, the start time names one process for life (a pid is reused, the pair is not). */
function processStartOf(pid: number): string | null {
  return procStat(pid)?.start ?? null;
}

export function currentProcess(): ProcessIdentity {
  return { pid: process.pid, host: hostname(), processStart: processStartOf(process.pid) };
}

/**
 * Whether the recorded process still runs: true for a process on another host (it cannot be
 * checked from here), false when the pid is gone or is now another process (its start time differs).
 */
export function processAlive(holder: ProcessIdentity): boolean {
  if (holder.host !== hostname()) return true;
  try {
    process.kill(holder.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  const stat = procStat(holder.pid);
  if (stat === null) return true; // no /proc here: the pid answers, so take it as running
  if (stat.state === 'Z' || stat.state === 'X') return false; // exited, not yet reaped by its parent
  return holder.processStart === null || stat.start === holder.processStart;
}
