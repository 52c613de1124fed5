/** Runs the synograph CLI in a child process (as a user would), for the CLI tests. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const BIN = join(process.cwd(), 'bin', 'synograph.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Exit code and output of `synograph ...args`; CI=1 keeps progress bars off. */
export async function synograph(...args: string[]): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { maxBuffer: 64 * 1024 * 1024, env: { ...process.env, CI: '1' } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as CliResult & { signal: NodeJS.Signals | null };
    // A process killed by a signal has no exit code: its assertion would say only "expected null",
    // so the signal and the end of what it printed go to the test's output.
    if (e.signal) console.error(`synograph ${args.join(' ')}: killed by ${e.signal}; its stderr ended:\n${e.stderr.slice(-4000)}`);
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
