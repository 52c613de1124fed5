/** The synograph command line: one subcommand per job. */
import { InputError } from '../lexicon/index.js';
import { StoreError } from '../store/index.js';
import { UsageError } from './args.js';
import { buildCommand } from './build.js';
import { clusterCommand } from './cluster.js';
import { evalCommand } from './eval.js';
import { goldCommand } from './gold.js';
import { ingestCommand } from './ingest.js';
import { trainRelationsCommand } from './train-relations.js';
import { queryCommand } from './query.js';
import { serveCommand } from './serve.js';
import { exportCommand } from './export.js';
import { QueryInputError } from '../serve/index.js';

const HELP = `synograph: high-precision synonym clusters from large term lists

Usage:
  synograph build [--db PATH] [--terms FILE [--format txt|tsv|jsonl]] [--holdout] [--seed N]
                  [--until lexicon|terms|knowledge|lemmas|embed|candidates|relations|cluster]
                  [--embedder builtin|transformers [--model DIR] [--prefix TEXT]] [--top-k 100] [--min-cosine 0.70]
                  [--pairs FILE] [--gate 0.70] [--relations-model DIR [--relations-labels NAME=label,...]]
                  [--threads N] [--json]
  synograph train-relations [--db PATH] [--pairs FILE] [--gate 0.70] [--relations-model DIR] [--threads N] [--json]
  synograph ingest --db PATH --terms FILE [--format txt|tsv|jsonl] [--json]
  synograph gold [--json] [--export DIR] [--seed N] [--train 0.6] [--dev 0.1] [--cohyponym-cap 100]
  synograph eval (--clusters FILE | --db PATH) [--json] [--seed N] [--size-cap 150] [--relations-ablation] [--no-diagnostics] [--split dev|test]
  synograph cluster --edges FILE [--cannot-link FILE] --out clusters.jsonl
                  [--algorithm synograph|paper|louvain|components|chineseWhispers|watset]
                  [--singletons] [--seed N] [--max-cluster-size N] [--weighted] [--json]
  synograph query TERM [--db PATH] [--json] [--limit N]
  synograph serve [--db PATH] [--port 8080] [--host 127.0.0.1]
  synograph export [--db PATH] --format jsonl|solr|csv|gexf [--out FILE] [--term T --depth N]
  synograph help

cluster: --edges is TSV "a<TAB>b<TAB>confidence" (or a synograph binary graph), --cannot-link
TSV "a<TAB>b"; writes clusters of >= 2 members (all words with --singletons), summary on stderr.
Defaults: --db data/synograph.db, KeNet from nlptoolkit-wordnet (override with --kenet FILE).
`;

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

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
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
    if (err instanceof UsageError || err instanceof QueryInputError || err instanceof InputError || err instanceof StoreError || (err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS'))) {
      process.stderr.write(`synograph ${name}: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}
