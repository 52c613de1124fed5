/**
 * One error type for everything a user can cause or meet: a SynographError carries a code, and
 * the command line maps codes to exit statuses and prints one line (a stack trace only with
 * --debug). Anything else thrown is a bug and keeps its stack.
 *
 * - usage: a wrong flag or option value;
 * - input: a file that cannot be read or parsed (names the file and line);
 * - store: a database that cannot be opened, read or written (names the file);
 * - model: a model folder that cannot be used (names the folder);
 * - query: a lookup or request that cannot be answered as given;
 * - interrupted: stopped by a signal before it finished.
 */
export type ErrorCode = 'usage' | 'input' | 'store' | 'model' | 'query' | 'interrupted';

export class SynographError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SynographError';
  }
}

/** Exit status of each code: 2 for what the user can fix in the command or its files. */
export const EXIT_STATUS: Readonly<Record<ErrorCode, number>> = { usage: 2, input: 2, query: 2, store: 3, model: 4, interrupted: 130 };

/** A file that cannot be read or parsed, by file and line. */
export class InputError extends SynographError {
  constructor(
    readonly file: string,
    readonly line: number | null,
    readonly problem: string,
  ) {
    super('input', `${file}${line === null ? '' : `:${line}`}: ${problem}`);
    this.name = 'InputError';
  }
}

/** A database that cannot be opened, read or written, by file. */
export class StoreError extends SynographError {
  constructor(readonly file: string, problem: string, options?: { cause?: unknown }) {
    super('store', `${file}: ${problem}`, options);
    this.name = 'StoreError';
  }
}

/** An unusable model (missing files, wrong shape), by folder. */
export class ModelError extends SynographError {
  constructor(readonly model: string, problem: string) {
    super('model', `${model}: ${problem}`);
    this.name = 'ModelError';
  }
}

/** A wrong flag or option value. */
export class UsageError extends SynographError {
  constructor(message: string) {
    super('usage', message);
    this.name = 'UsageError';
  }
}

/** A caller's input that cannot be answered as given (HTTP 400, CLI usage error). */
export class QueryInputError extends SynographError {
  constructor(message: string) {
    super('query', message);
    this.name = 'QueryInputError';
  }
}
