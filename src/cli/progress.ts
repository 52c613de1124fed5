/** Progress lines (rate and ETA) on an interactive terminal; silent in CI and when piped. */
import type { Progress } from '../pipeline/index.js';

export type { Progress };

const SILENT: Progress = { update() {}, finish() {} };

export function progress(label: string, total: number | null, unit = 'terms'): Progress {
  if (!process.stderr.isTTY || process.env.CI) return SILENT;
  const started = performance.now();
  let last = 0;
  const line = (done: number, final: boolean): void => {
    const seconds = (performance.now() - started) / 1000;
    const rate = seconds > 0 ? done / seconds : 0;
    const eta = total && rate > 0 && !final ? `, ETA ${Math.max(0, (total - done) / rate).toFixed(0)} s` : '';
    const of = total ? `/${total}` : '';
    process.stderr.write(`\r${label}: ${done}${of} ${unit}, ${Math.round(rate)} ${unit}/s${eta}${final ? '\n' : '   '}`);
  };
  return {
    update(done) {
      const now = performance.now();
      if (now - last < 250) return;
      last = now;
      line(done, false);
    },
    finish(done) {
      line(done, true);
    },
  };
}
