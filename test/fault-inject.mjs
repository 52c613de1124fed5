/**
 * Fault injection for a real `synograph build` process, loaded with `node --import`: it watches
 * the process's own SQLite writes (better-sqlite3's Statement#run and Database#exec) and, at the
 * chosen write of the chosen stage, acts on the process itself: SIGKILL (a crash: nothing runs
 * after it), SIGTERM (a polite stop the build must record), or SIGSTOP (a build that holds the
 * database and makes no progress). Nothing of synograph is replaced: the build runs its real code
 * up to that write, which does not happen.
 *
 * SYNOGRAPH_FAULT='{"stage": "embed", "write": 3, "action": "kill"}': before the 3rd write after
 * the embed stage was recorded as running (1: its first write; the last: the record of it done).
 * SYNOGRAPH_FAULT_COUNT=FILE: no fault; writes per stage that ran are saved to FILE as JSON.
 */
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isMainThread } from 'node:worker_threads';

const fault = process.env.SYNOGRAPH_FAULT ? JSON.parse(process.env.SYNOGRAPH_FAULT) : null;
const countFile = process.env.SYNOGRAPH_FAULT_COUNT ?? null;

if (isMainThread && (fault || countFile)) {
  const require = createRequire(import.meta.url);
  const Database = require('better-sqlite3');
  const probe = new Database(':memory:');
  const Statement = Object.getPrototypeOf(probe.prepare('SELECT 1'));
  probe.close();

  const counts = {};
  let stage = null;
  let writes = 0;
  let fired = false;

  const STARTED = /INSERT INTO build_stages\(build_id, stage, started_at, status\) VALUES \(\?, \?, \?, 'running'\)/;
  const FINISHED = /UPDATE build_stages SET status = '(done|failed)'/;

  /** Called before every write; `params` of a statement run. */
  const observe = (sql, params) => {
    if (stage !== null) {
      writes++;
      counts[stage] = writes;
      if (fault && !fired && stage === fault.stage && writes === fault.write) {
        fired = true;
        if (fault.action === 'stop') process.kill(process.pid, 'SIGSTOP');
        else if (fault.action === 'term') process.kill(process.pid, 'SIGTERM');
        else process.kill(process.pid, 'SIGKILL');
      }
      if (FINISHED.test(sql)) stage = null;
      return;
    }
    if (STARTED.test(sql)) {
      stage = params[1];
      writes = 0;
    }
  };

  const run = Statement.run;
  Statement.run = function (...params) {
    observe(this.source, params);
    return run.apply(this, params);
  };
  const exec = Database.prototype.exec;
  Database.prototype.exec = function (sql) {
    observe(sql, []);
    return exec.call(this, sql);
  };
  if (countFile) process.on('exit', () => writeFileSync(countFile, JSON.stringify(counts)));
}
