/**
 * Every command's flags in one table: the parser of each command and the help text are made from
 * it, and a test holds the README's command-line section to the same flags, so that help, README
 * and parser cannot drift apart (they had: build lacked --algorithm, eval --gates).
 */
import { parseArgs } from 'node:util';
import { UsageError } from '../errors.js';

interface Flag {
  type: 'string' | 'boolean';
  /** How the value is shown in the help (`PATH`, `N`, `0.70`); booleans have none. */
  value?: string;
  help: string;
}

export interface CommandSpec {
  name: string;
  summary: string;
  /** A positional argument (`TERM`), when the command takes one. */
  positional?: string;
  flags: Record<string, Flag>;
}

const db: Flag = { type: 'string', value: 'PATH', help: 'the database (default data/synograph.db)' };
const json: Flag = { type: 'boolean', help: 'print JSON' };
const threads: Flag = { type: 'string', value: 'N', help: 'worker threads (default: the cores)' };
const kenet: Flag = { type: 'string', value: 'FILE', help: 'a KeNet-format XML file (default: the one nlptoolkit-wordnet ships)' };
const seed: Flag = { type: 'string', value: 'N', help: 'split seed (default 42)' };
const format: Flag = { type: 'string', value: 'txt|tsv|jsonl', help: 'term list format (default: by extension)' };
const algorithm: Flag = { type: 'string', value: 'synograph|paper|louvain|components|chineseWhispers|watset', help: 'clustering algorithm (default synograph)' };
const servedAlgorithm: Flag = { type: 'string', value: 'NAME', help: "serve this clustering algorithm's rows (default: the newest)" };
const relations: Record<string, Flag> = {
  pairs: { type: 'string', value: 'FILE', help: 'your labelled pairs, TSV term, related, label: training data and seeds' },
  gate: { type: 'string', value: '0.70', help: 'P(synonym) a synonym edge needs (default 0.70)' },
  'relations-model': { type: 'string', value: 'DIR', help: 'an ONNX cross-encoder folder instead of the builtin discriminator' },
  'relations-labels': { type: 'string', value: 'NAME=label,...', help: "which of the model's labels is which relation" },
};

export const COMMAND_SPECS: readonly CommandSpec[] = [
  {
    name: 'build',
    summary: 'run the pipeline into one database (stages already done with the same inputs are skipped)',
    flags: {
      db,
      terms: { type: 'string', value: 'FILE', help: 'your term list (default: the lexicon vocabulary)' },
      format,
      holdout: { type: 'boolean', help: 'an evaluation build: dev and test words held out of everything' },
      seed,
      until: { type: 'string', value: 'lexicon|terms|knowledge|lemmas|embed|candidates|evidence|relations|cluster', help: 'stop after this stage' },
      kenet,
      embedder: { type: 'string', value: 'builtin|transformers', help: 'the embedder (default builtin)' },
      model: { type: 'string', value: 'DIR', help: 'a local transformers.js model folder (--embedder transformers)' },
      prefix: { type: 'string', value: 'TEXT', help: 'a prefix for every term (e5 models: "query: ")' },
      'top-k': { type: 'string', value: '100', help: 'nearest neighbours per term' },
      'min-cosine': { type: 'string', value: 'C', help: 'cosine a candidate pair needs (default 0.60 builtin, 0.70 transformers)' },
      knowledge: { type: 'string', value: 'eng,deu,fra,ita,pol,swe,kur,wordnet', help: "shipped dictionaries and WordNet to use (default: all; 'none' for none)" },
      dictionary: { type: 'string', value: 'FILE[,FILE]', help: 'your own dictionaries or thesauri, TSV source, headword, sense, term' },
      ...relations,
      algorithm,
      threads,
      memory: { type: 'string', value: 'GiB', help: "memory the build may use (default: two thirds of the machine's); work waits rather than run beside a stage past it" },
      json,
    },
  },
  {
    name: 'train-relations',
    summary: 'retrain the discriminator of a database and rescore its candidates',
    flags: { db, ...relations, threads, json },
  },
  {
    name: 'cluster',
    summary: 'cluster your own scored pairs',
    flags: {
      edges: { type: 'string', value: 'FILE', help: 'TSV a, b, confidence (or a synograph binary graph)' },
      'cannot-link': { type: 'string', value: 'FILE', help: 'TSV a, b: pairs never in one cluster' },
      out: { type: 'string', value: 'FILE', help: 'clusters as JSONL' },
      algorithm,
      singletons: { type: 'boolean', help: 'write every word, clusters of one included' },
      'max-cluster-size': { type: 'string', value: 'N', help: 'no cluster grows past this' },
      weighted: { type: 'boolean', help: 'support sums P(synonym) instead of counting edges' },
      seed: { type: 'string', value: 'N', help: 'seed of the randomised baselines (default 42)' },
      json,
    },
  },
  {
    name: 'ingest',
    summary: 'stream a term list into a database in one transaction',
    flags: { db, terms: { type: 'string', value: 'FILE', help: 'the term list' }, format, json },
  },
  {
    name: 'gold',
    summary: 'KeNet gold statistics, or its export',
    flags: {
      json,
      export: { type: 'string', value: 'DIR', help: 'write synsets.jsonl and pairs.tsv' },
      seed,
      train: { type: 'string', value: '0.6', help: 'train share of the split' },
      dev: { type: 'string', value: '0.1', help: 'dev share of the split' },
      'cohyponym-cap': { type: 'string', value: '100', help: 'co-hyponym pairs per hypernym' },
      kenet,
    },
  },
  {
    name: 'eval',
    summary: 'score a clustering file, or a held-out build, against KeNet on held-out words',
    flags: {
      clusters: { type: 'string', value: 'FILE', help: 'a clustering in the gold export shape' },
      db: { type: 'string', value: 'PATH', help: 'a held-out build (or any build with --kept)' },
      split: { type: 'string', value: 'test|dev', help: 'the held-out words scored (dev while choosing defaults)' },
      seed: { type: 'string', value: 'N', help: 'split seed (--clusters only: a database has its own)' },
      train: { type: 'string', value: '0.6', help: 'train share (--clusters only)' },
      dev: { type: 'string', value: '0.1', help: 'dev share (--clusters only)' },
      'size-cap': { type: 'string', value: '150', help: 'clusters larger than this are dropped in the capped scores' },
      gates: { type: 'string', value: '0.5,0.3', help: 'score every algorithm again at these gates' },
      'relations-ablation': { type: 'boolean', help: 'retrain without each feature group' },
      'no-diagnostics': { type: 'boolean', help: 'skip the random-split and single-word models' },
      kept: { type: 'boolean', help: 'what a build keeps of what it was told (any build)' },
      kenet,
      json,
    },
  },
  {
    name: 'query',
    summary: "a term's clusters, senses, antonyms and edges, from any surface form",
    positional: 'TERM',
    flags: { db, limit: { type: 'string', value: 'N', help: 'members and edges shown (default 50)' }, algorithm: servedAlgorithm, json },
  },
  {
    name: 'serve',
    summary: 'the HTTP API and the web explorer',
    flags: {
      db,
      port: { type: 'string', value: '8080', help: 'the port (0: any free one)' },
      host: { type: 'string', value: '127.0.0.1', help: 'the address to listen on' },
      algorithm: servedAlgorithm,
      log: { type: 'boolean', help: 'log every request' },
    },
  },
  {
    name: 'export',
    summary: 'the clustering as JSONL, Solr/Elasticsearch synonyms, CSV or GEXF',
    flags: {
      db,
      format: { type: 'string', value: 'jsonl|solr|csv|gexf', help: 'the output format' },
      out: { type: 'string', value: 'FILE', help: 'write here (default: standard output)' },
      term: { type: 'string', value: 'T', help: "GEXF of one term's neighbourhood" },
      depth: { type: 'string', value: 'N', help: 'its depth (default 1)' },
      'max-nodes': { type: 'string', value: 'N', help: 'its size bound (default 10000)' },
      algorithm: servedAlgorithm,
    },
  },
];

export function specOf(name: string): CommandSpec {
  const spec = COMMAND_SPECS.find((c) => c.name === name);
  if (!spec) throw new UsageError(`unknown command "${name}"`);
  return spec;
}

type ParseOptions = Record<string, { type: 'string' } | { type: 'boolean'; default: boolean }>;

export interface ParsedCommand {
  /** The string flags given (absent: not given). */
  values: { [flag: string]: string | undefined };
  /** The boolean flags (false when not given). */
  flags: { [flag: string]: boolean };
  positionals: string[];
}

/** Parses a command's arguments by its table entry; an unknown flag is a usage error naming it. */
export function parseCommand(name: string, argv: string[]): ParsedCommand {
  const spec = specOf(name);
  const options: ParseOptions = {};
  for (const [flag, f] of Object.entries(spec.flags)) options[flag] = f.type === 'boolean' ? { type: 'boolean', default: false } : { type: 'string' };
  const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: spec.positional !== undefined, strict: true });
  const out: ParsedCommand = { values: {}, flags: {}, positionals };
  for (const [flag, f] of Object.entries(spec.flags)) {
    const v = (values as Record<string, string | boolean | undefined>)[flag];
    if (f.type === 'boolean') out.flags[flag] = v === true;
    else out.values[flag] = typeof v === 'string' ? v : undefined;
  }
  return out;
}

/** `synograph query TERM [--db PATH] [--limit N] ...`, wrapped at `width` columns. */
export function usageLine(spec: CommandSpec, width = 100, indent = '  '): string {
  const words = ['synograph', spec.name, ...(spec.positional ? [spec.positional] : []), ...Object.entries(spec.flags).map(([flag, f]) => `[--${flag}${f.value ? ` ${f.value}` : ''}]`)];
  const lines: string[] = [];
  let line = indent;
  for (const w of words) {
    if (line.trim() !== '' && line.length + 1 + w.length > width) {
      lines.push(line);
      line = indent + '    ';
    }
    line += (line.trim() === '' ? '' : ' ') + w;
  }
  lines.push(line);
  return lines.join('\n');
}

export function helpText(): string {
  const lines = ['synograph: high-precision synonym clusters from large term lists', '', 'Usage:'];
  for (const spec of COMMAND_SPECS) {
    lines.push(usageLine(spec), `      ${spec.summary}`);
    for (const [flag, f] of Object.entries(spec.flags)) lines.push(`      --${flag}${f.value ? ` ${f.value}` : ''}: ${f.help}`);
  }
  lines.push('  synograph help', '', 'Every command takes --debug (a failure prints its stack trace too). The README has the details.', '');
  return lines.join('\n');
}
