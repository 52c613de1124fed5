/**
 * A seeded random sample of the synonym edges the discriminator kept on its own in a database
 * (`origin = 'model'`, gated): what a full build adds beyond its knowledge, for judging by hand
 * (EVALUATION.md, "What the model adds to a full build"). Prints one edge a line, TSV:
 * index, term a, term b, P(synonym), P(antonym), P(co-hyponym), cosine; `--json` prints the list.
 *
 *   node dist/scripts/sample-model-edges.js --db data/synograph.db [--n 50] [--seed 18] [--json]
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { openDb, readGatedModelEdges } from '../src/store/index.js';
import { sample } from '../src/relations/training-data.js';

const { values } = parseArgs({ options: { db: { type: 'string' }, n: { type: 'string' }, seed: { type: 'string' }, json: { type: 'boolean', default: false } } });
const file = resolve(values.db ?? 'data/synograph.db');
const n = Number(values.n ?? 50);
const seed = Number(values.seed ?? 18);
if (!existsSync(file)) throw new Error(`${file}: no such database`);
if (!Number.isInteger(n) || n < 1) throw new Error(`--n must be a positive integer, got ${values.n}`);
if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer, got ${values.seed}`);

const db = openDb(file, { readonly: true });
try {
  const edges = readGatedModelEdges(db);
  const picked = sample(edges.map((_, i) => i), n, seed).map((i) => edges[i]);
  if (values.json) {
    process.stdout.write(JSON.stringify({ db: file, seed, modelEdges: edges.length, sample: picked }, null, 2) + '\n');
  } else {
    process.stdout.write(`# ${picked.length} of ${edges.length} gated model edges of ${file} (seed ${seed})\n`);
    process.stdout.write('#\ta\tb\tp_synonym\tp_antonym\tp_cohyponym\tcosine\n');
    const f = (x: number | null): string => (x === null ? '-' : x.toFixed(3));
    picked.forEach((e, i) => process.stdout.write(`${i + 1}\t${e.a}\t${e.b}\t${f(e.pSynonym)}\t${f(e.pAntonym)}\t${f(e.pCohyponym)}\t${f(e.cosine)}\n`));
  }
} finally {
  db.close();
}
