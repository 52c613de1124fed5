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
    const e = err as CliResult;
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
