#!/usr/bin/env node
// Thin launcher: the CLI is compiled from src/cli by `npm run build` (run by `npm ci` via `prepare`).
import { main } from '../dist/src/cli/main.js';

// Piping into `head` closes stdout early: that is the reader's choice, not a failure.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

main(process.argv.slice(2)).then(
  // Interrupted: exit now, abandoning the work still in flight (workers, a stage's pending steps).
  (code) => { if (code === 130) process.exit(130); process.exitCode = code; },
  (err) => {
    process.stderr.write(`synograph: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
