/**
 * `synograph train-relations`: retrain the discriminator of an existing database (typically after
 * adding labelled pairs with --pairs) and rescore every candidate pair, reusing every other choice
 * the database was built with. The next `synograph build` re-clusters, because the relations
 * stage's fingerprint changed.
 */
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { latestBuild, openDb } from '../store/index.js';
import { DEFAULT_GATE } from '../relations/index.js';
import { numberOption, integerOption, printJson, UsageError } from './args.js';
import { DEFAULT_DB, parseRelationLabels, runBuild, type BuildOptions } from './build.js';

export async function trainRelationsCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      db: { type: 'string' },
      pairs: { type: 'string' },
      gate: { type: 'string' },
      'relations-model': { type: 'string' },
      'relations-labels': { type: 'string' },
      threads: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    strict: true,
  });
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
  const relations = previous.relations ?? { pairs: null, gate: DEFAULT_GATE };
  const options: BuildOptions = {
    ...previous,
    db: file,
    until: 'relations',
    threads: values.threads === undefined ? previous.threads : integerOption(values.threads, 'threads', 1, 1),
    relations: {
      pairs: values.pairs ? resolve(values.pairs) : relations.pairs,
      gate: values.gate === undefined ? relations.gate : numberOption(values.gate, 'gate', DEFAULT_GATE, (n) => n > 0 && n <= 1),
      crossEncoder: values['relations-model']
        ? { modelDir: resolve(values['relations-model']), labels: values['relations-labels'] ? parseRelationLabels(values['relations-labels']) : undefined }
        : relations.crossEncoder,
    },
    cluster: previous.cluster ?? { algorithm: 'synograph' },
    force: ['relations'],
  };
  const report = await runBuild(options);
  if (values.json) printJson(report);
  else {
    const r = report.stages.relations;
    process.stdout.write(`synograph train-relations #${report.buildId} -> ${file}\n  relations ${r.status} in ${r.seconds.toFixed(1)} s ${JSON.stringify(r.stats, (k, v) => (k === 'fingerprint' ? undefined : v))}\n`);
  }
  return 0;
}
