/**
 * `synograph train-relations`: retrain the discriminator of an existing database (typically after
 * adding labelled pairs with --pairs) and rescore every candidate pair, reusing every other choice
 * the database was built with. The next `synograph build` re-clusters, because the relations
 * stage's fingerprint changed.
 */
import { resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { latestBuild, openDb } from '../store/index.js';
import { integerOption, printJson, UsageError } from './args.js';
import { DEFAULT_DB, relationsFromArgs } from './build.js';
import { runBuild, type BuildOptions } from '../pipeline/index.js';
import { parseCommand } from './options.js';
import { progress } from './progress.js';
import { interruptible } from './interrupt.js';

export async function trainRelationsCommand(argv: string[]): Promise<number> {
  const { values, flags } = parseCommand('train-relations', argv);
  const file = resolve(values.db ?? DEFAULT_DB);
  if (!existsSync(file)) throw new UsageError(`${file}: no such database (build it first with \`synograph build\`)`);
  const db = openDb(file, { readonly: true });
  let previous: BuildOptions;
  try {
    const build = latestBuild(db);
    const done = build?.stages.some((s) => s.stage === 'candidates' && s.status === 'done');
    if (!build || !done) throw new UsageError(`${file}: no candidates stage to score yet (run \`synograph build --until candidates\` first)`);
    previous = build.config as BuildOptions;
  } finally {
    db.close();
  }
  const options: BuildOptions = {
    ...previous,
    db: file,
    until: 'relations',
    threads: values.threads === undefined ? previous.threads : integerOption(values.threads, 'threads', 1, 1),
    relations: relationsFromArgs(values, previous.relations),
    cluster: previous.cluster ?? { algorithm: 'synograph' },
    force: ['relations'],
  };
  const report = await interruptible((signal) => runBuild(options, { progress, signal }));
  if (flags.json) printJson(report);
  else {
    const r = report.stages.relations!;
    process.stdout.write(`synograph train-relations #${report.buildId} -> ${file}\n  relations ${r.status} in ${r.seconds.toFixed(1)} s ${JSON.stringify(r.stats, (k, v) => (k === 'fingerprint' ? undefined : v))}\n`);
  }
  return 0;
}
