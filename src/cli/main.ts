/** The synograph command line: one subcommand per job. */
import { EXIT_STATUS, SynographError } from '../errors.js';
import { sqliteProblem } from '../store/index.js';
import { DEFAULT_DB } from './build.js';
import { helpText } from './options.js';
import { buildCommand } from './build.js';
import { clusterCommand } from './cluster.js';
import { evalCommand } from './eval.js';
import { goldCommand } from './gold.js';
import { ingestCommand } from './ingest.js';
import { trainRelationsCommand } from './train-relations.js';
import { queryCommand } from './query.js';
import { serveCommand } from './serve.js';
import { exportCommand } from './export.js';

const HELP = helpText();

type Command = (argv: string[]) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  build: buildCommand,
  ingest: ingestCommand,
  gold: goldCommand,
  eval: evalCommand,
  'train-relations': trainRelationsCommand,
  cluster: clusterCommand,
  query: queryCommand,
  serve: serveCommand,
  export: exportCommand,
};

/** System errors a user can fix (a file they named), as one line naming the path. */
const SYSTEM_PROBLEMS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOENT: 'no such file or folder',
  EISDIR: 'is a folder, not a file',
  ENOSPC: 'no space left on the disk',
  EROFS: 'on a read-only file system',
  EMFILE: 'too many open files',
};

/** The database a command works on (its --db, or the default), to name it in a store failure. */
function databaseOf(argv: readonly string[]): string {
  const at = argv.indexOf('--db');
  if (at >= 0 && at + 1 < argv.length) return argv[at + 1];
  const inline = argv.find((a) => a.startsWith('--db='));
  return inline ? inline.slice('--db='.length) : DEFAULT_DB;
}

/** One line and an exit status for a failure a user can act on; null for a bug (its stack is printed). */
export function describeFailure(err: unknown, argv: readonly string[]): { message: string; status: number } | null {
  if (err instanceof SynographError) return { message: err.message, status: EXIT_STATUS[err.code] };
  if (err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS')) return { message: err.message, status: EXIT_STATUS.usage };
  const sqlite = sqliteProblem(err);
  if (sqlite !== null) return { message: `${databaseOf(argv)}: ${sqlite}`, status: EXIT_STATUS.store };
  const sys = err as NodeJS.ErrnoException;
  if (sys && typeof sys.code === 'string' && SYSTEM_PROBLEMS[sys.code] && typeof sys.path === 'string') return { message: `${sys.path}: ${SYSTEM_PROBLEMS[sys.code]} (${sys.code})`, status: EXIT_STATUS.input };
  return null;
}

export async function main(argv: string[]): Promise<number> {
  // --debug anywhere (or SYNOGRAPH_DEBUG=1) prints the stack of a failure as well as its line.
  const debug = argv.includes('--debug') || process.env.SYNOGRAPH_DEBUG === '1';
  const [name, ...rest] = argv.filter((a) => a !== '--debug');
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(HELP);
    return name ? 0 : 1;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`synograph: unknown command "${name}"\n\n${HELP}`);
    return 2;
  }
  try {
    return await command(rest);
  } catch (err) {
    // Known failures get one clear line; anything else is a bug and keeps its stack.
    const failure = describeFailure(err, rest);
    if (failure === null) throw err;
    process.stderr.write(`synograph ${name}: ${failure.message}\n`);
    if (debug && err instanceof Error) process.stderr.write(`${err.stack ?? ''}\n`);
    return failure.status;
  }
}
