/**
 * SIGINT and SIGTERM during a command that writes: the signal aborts the work (which records
 * itself as interrupted and gives the database up), the command prints one line and exits 130.
 * Outside `work` the default handlers are back, so a signal while results print ends the process.
 */
export async function interruptible<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals): void => controller.abort(name);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await work(controller.signal);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
