/**
 * `synograph build`: runs the pipeline stage by stage into one database, recording each stage.
 * With --until, the stages after it are not run (a later build resumes from there).
 */
import { resolve } from 'node:path';
import { Lemmatizer, normalizeTerm, type TermListFormat } from '../lexicon/index.js';
import { DEFAULT_SPLIT } from '../split.js';
import { countEvidenceByKind, databaseCounts, openDb, readEvidenceExamples, readLargestClusters, readTermExample, type TermExample } from '../store/index.js';
import { integerOption, numberOption, printJson, UsageError } from './args.js';
import { progress } from './progress.js';
import { DEFAULT_GATE, STAGES, type BuildOptions, type Stage } from '../pipeline/index.js';
import { buildDatabase, type BuildRequest } from '../methods/build.js';
import { RELATION_LABELS, type RelationLabel } from '../types.js';
import { openService, type SynonymService } from '../serve/index.js';
import { CLUSTER_ALGORITHMS, type ClusterAlgorithm } from '../cluster/index.js';
import { parseCommand } from './options.js';
import { interruptible } from './interrupt.js';
import { KNOWLEDGE_SOURCES, type KnowledgeSource } from '../lexicon/dictionaries.js';

export const DEFAULT_DB = 'data/synograph.db';

/** What a stage's progress counts, where it is not terms (candidates: blocks of the scan, cells x rounds). */
const PROGRESS_UNITS: Partial<Record<Stage, string>> = { terms: 'lines', candidates: 'blocks', relations: 'pairs' };

/** Relation options from the command line, each falling back to `previous` (a build's own) when not given. */
export function relationsFromArgs(
  values: { pairs?: string; gate?: string; 'relations-model'?: string; 'relations-labels'?: string },
  previous: BuildOptions['relations'] = { pairs: null, gate: DEFAULT_GATE },
): BuildOptions['relations'] {
  if (values['relations-labels'] && !values['relations-model']) throw new UsageError('--relations-labels applies to --relations-model only');
  return {
    pairs: values.pairs ? resolve(values.pairs) : previous.pairs,
    gate: values.gate === undefined ? previous.gate : numberOption(values.gate, 'gate', DEFAULT_GATE, (n) => n > 0 && n <= 1),
    crossEncoder: values['relations-model']
      ? { modelDir: resolve(values['relations-model']), labels: values['relations-labels'] ? parseRelationLabels(values['relations-labels']) : undefined }
      : previous.crossEncoder,
  };
}

/** `--relations-labels 'LABEL_0=synonym,LABEL_1=antonym,LABEL_2=co-hyponym'`. */
export function parseRelationLabels(text: string): Record<string, RelationLabel> {
  const map: Record<string, RelationLabel> = {};
  for (const part of text.split(',')) {
    const eq = part.lastIndexOf('=');
    const name = part.slice(0, eq).trim();
    const label = part.slice(eq + 1).trim() as RelationLabel;
    if (eq <= 0 || name === '' || !RELATION_LABELS.includes(label)) throw new UsageError(`--relations-labels: "${part}" is not NAME=synonym|antonym|co-hyponym`);
    map[name] = label;
  }
  return map;
}

/**
 * An inflected form (found by its lemma); polysemous words that keep their plainest synonym in
 * their primary sense (siyah / kara, sene / yıl, okul / mektep) with their other senses listed;
 * the paper's drift example (acı: spicy, bitter, pain, grief); an antonym pair; a circumflex spelling.
 */
const EXAMPLE_QUERIES = ['kitaplarımızdan', 'siyah', 'kara', 'sene', 'okul', 'yol', 'acı', 'sıcak', 'soğuk', 'kâr'];

/**
 * A user's own list on screen: its largest clusters, spellings joined into one term, an acronym,
 * phrases joined by a synonym word, and phrases kept apart (a number, a negation, an antonym).
 */
function printListExamples(service: SynonymService): void {
  const out = process.stdout;
  const db = service.db;
  const show = (label: string, term: string): void => {
    const a = service.query.term(term, { limit: 8 });
    const c = a?.cluster;
    if (!a || !c) return;
    out.write(`  ${label}: ${a.matched.norm} -> #${c.id} {${c.members.map((m) => m.term).join(', ')}${c.truncated ? ', ...' : ''}}\n`);
  };
  const counts = countEvidenceByKind(db);
  const total = Object.values(counts).reduce((x, y) => x + y, 0);
  out.write(`\nWhat the list says of itself (${total} pairs): ${Object.entries(counts).map(([k, n]) => `${k} ${n}`).join(', ') || 'nothing'}.\n\nExamples from your list:\n`);
  for (const { id } of readLargestClusters(db, 3)) {
    const c = service.query.clusterById(id, { limit: 10 });
    if (c) out.write(`  largest: #${c.id} [${c.representative}] {${c.members.map((m) => m.term).join(', ')}${c.truncated ? ', ...' : ''}} (${c.size} terms)\n`);
  }
  const seen = new Set<string>();
  for (const [label, kinds] of [
    ['spellings', ['surface', 'ascii', 'circumflex', 'inflection']],
    ['acronym', ['acronym']],
    ['synonym word', ['compositional']],
  ] as const) {
    for (const e of readEvidenceExamples(db, kinds, 2)) {
      if (seen.has(e.a)) continue;
      seen.add(e.a);
      show(`${label} (${e.detail})`, e.a);
    }
  }
  for (const e of readEvidenceExamples(db, ['number', 'negation', 'antonym'], 2)) {
    const a = service.query.term(e.a);
    const b = service.query.term(e.b);
    const apart = a?.cluster && b?.cluster && a.cluster.id !== b.cluster.id;
    out.write(`  kept apart (${e.kind}: ${e.detail}): ${e.a} / ${e.b}${apart ? ` in clusters #${a!.cluster!.id} and #${b!.cluster!.id}` : ''}\n`);
  }
}

/** What the finished database answers: the summary a user checks first, and a few lookups. */
function printClusterExamples(dbPath: string, userList: boolean): void {
  const out = process.stdout;
  const service = openService(dbPath);
  try {
    const c = databaseCounts(service.db);
    out.write(
      `\n${service.summary.terms} terms: ${c.clustered} in ${c.clusters} sense clusters of 2 or more (largest ${c.largest}), the rest alone; ` +
        `${c.polysemous} terms in more than one cluster (one per sense, the most common sense primary); ` +
        `${c.keptEdges} synonym edges kept, ${c.cannotLinks} antonym cannot-links.\n`,
    );
    if (userList) {
      printListExamples(service);
      return;
    }
    out.write('\nExamples:\n');
    const clusterOf = new Map<string, number>();
    const name = (m: { term: string; primary: boolean; sense: number | null }) => (m.primary ? m.term : `${m.term}[${m.sense ?? '?'}]`);
    for (const q of EXAMPLE_QUERIES) {
      const a = service.query.term(q, { limit: 12 });
      if (!a) {
        out.write(`  ${q}: not in the database\n`);
        continue;
      }
      const via = a.matched.via === 'exact' ? '' : ` (${a.matched.via} of "${q}")`;
      const c = a.cluster;
      if (c) clusterOf.set(a.matched.norm, c.id);
      const sense = a.primarySense === null ? '' : ` sense ${a.primarySense}`;
      out.write(`  ${a.matched.norm}${via}:${sense} #${c ? `${c.id} [${c.representative}] {${c.members.map(name).join(', ')}${c.truncated ? ', ...' : ''}}` : '(none)'}\n`);
      for (const s of a.alternativeSenses.slice(0, 3)) out.write(`      ${s.sense === null ? 'also' : `sense ${s.sense}`} #${s.clusterId} (support ${s.support.toFixed(2)}) {${s.members.slice(0, 8).map(name).join(', ')}}\n`);
      if (a.alternativeSenses.length > 3) out.write(`      ... ${a.alternativeSenses.length - 3} more senses\n`);
      if (a.antonyms.length > 0) out.write(`      antonyms: ${a.antonyms.slice(0, 6).map((x) => x.term).join(', ')}\n`);
    }
    out.write('  (term[N]: a member through its sense N, not its primary one)\n');
    const hot = clusterOf.get('sıcak');
    const cold = clusterOf.get('soğuk');
    if (hot !== undefined && cold !== undefined) out.write(`\n  sıcak and soğuk are ${hot === cold ? 'in the SAME cluster' : 'in different clusters'} (#${hot} / #${cold}).\n`);
  } finally {
    service.close();
  }
}

/** What the database already answers about a few words, before any clustering: the proof that the build is real. */
function exampleLookups(dbPath: string, queries: readonly string[]): (TermExample & { query: string })[] {
  const db = openDb(dbPath, { readonly: true });
  try {
    const lemmatizer = new Lemmatizer();
    return queries.map((q) => {
      const norm = normalizeTerm(q);
      return { query: q, ...readTermExample(db, norm, lemmatizer.lemmatize(norm)) };
    });
  } finally {
    db.close();
  }
}

/** `--knowledge eng,deu,...|none` and `--dictionary FILE[,FILE]`. */
function knowledgeFromArgs(values: { knowledge?: string; dictionary?: string }): BuildRequest['knowledge'] {
  let sources: string[] | undefined;
  if (values.knowledge !== undefined) {
    sources = values.knowledge === 'none' ? [] : values.knowledge.split(',').map((s) => s.trim()).filter((s) => s !== '');
    const unknown = sources.filter((s) => !KNOWLEDGE_SOURCES.includes(s as KnowledgeSource) || s === 'user');
    if (unknown.length > 0) throw new UsageError(`--knowledge takes ${KNOWLEDGE_SOURCES.filter((s) => s !== 'user').join(', ')} or none (got ${unknown.join(', ')})`);
  }
  const dictionaries = values.dictionary?.split(',').map((f) => f.trim()).filter((f) => f !== '');
  return { sources, dictionaries };
}

export async function buildCommand(argv: string[]): Promise<number> {
  const { values, flags } = parseCommand('build', argv);
  const backend = values.embedder ?? 'builtin';
  if (backend !== 'builtin' && backend !== 'transformers') throw new UsageError('--embedder must be builtin or transformers');
  if (backend === 'transformers' && !values.model) throw new UsageError('--embedder transformers needs --model DIR (a local transformers.js model folder)');
  if (backend === 'builtin' && (values.model || values.prefix)) throw new UsageError('--model and --prefix apply to --embedder transformers only');
  const until = (values.until ?? 'cluster') as Stage;
  if (!STAGES.includes(until)) throw new UsageError(`--until must be one of ${STAGES.join(', ')}`);
  if (values.format !== undefined && !['txt', 'tsv', 'jsonl'].includes(values.format)) throw new UsageError('--format must be txt, tsv or jsonl');
  if (values.algorithm !== undefined && !CLUSTER_ALGORITHMS.includes(values.algorithm as ClusterAlgorithm)) throw new UsageError(`--algorithm must be one of ${CLUSTER_ALGORITHMS.join(', ')}`);
  const request: BuildRequest = {
    db: values.db ?? DEFAULT_DB,
    holdout: flags.holdout,
    seed: integerOption(values.seed, 'seed', DEFAULT_SPLIT.seed),
    kenet: values.kenet,
    terms: values.terms ?? null,
    format: values.format as TermListFormat | undefined,
    until,
    threads: values.threads === undefined ? undefined : integerOption(values.threads, 'threads', 1, 1),
    memoryBudget: values.memory === undefined ? undefined : numberOption(values.memory, 'memory', 0, (n) => n > 0) * 2 ** 30,
    embedder: backend === 'builtin' ? { backend } : { backend, modelDir: resolve(values.model as string), prefix: values.prefix ?? '' },
    candidates: {
      topK: integerOption(values['top-k'], 'top-k', 100, 1),
      minCosine: values['min-cosine'] === undefined ? undefined : numberOption(values['min-cosine'], 'min-cosine', 0, (n) => n >= -1 && n <= 1),
    },
    relations: relationsFromArgs(values),
    cluster: { algorithm: (values.algorithm ?? 'synograph') as ClusterAlgorithm },
    knowledge: knowledgeFromArgs(values),
  };
  const report = await interruptible((signal) => buildDatabase(request, { progress: (stage, total) => progress(stage, total, PROGRESS_UNITS[stage] ?? 'terms'), signal }));
  if (flags.json) {
    printJson(report);
    return 0;
  }
  const out = process.stdout;
  out.write(`synograph build #${report.buildId} (${report.mode}, split seed ${report.splitSeed}) -> ${report.db}\n`);
  for (const [stage, s] of Object.entries(report.stages)) {
    if (!s) continue;
    const stats = s.stats ? ' ' + JSON.stringify(s.stats, (k, v) => (k === 'fingerprint' || k === 'warningExamples' ? undefined : v)) : '';
    out.write(`  ${stage.padEnd(11)} ${s.status.padEnd(13)} ${s.seconds.toFixed(1).padStart(6)} s${stats}\n`);
  }
  out.write(`  total ${report.totalSeconds.toFixed(1)} s\n`);
  // A stage's time leaves out the part of its early work that ran beside the stages before it.
  if (report.early.length > 0) out.write(`  begun early, beside the stages before: ${report.early.join(', ')}\n`);
  const cache = (report.stages.embed?.stats as { training?: { cache?: { outcome: string; dir: string } } } | undefined)?.training?.cache;
  if (cache?.outcome === 'hit') out.write(`  builtin embedder: the training an earlier build stored in ${cache.dir} (SYNOGRAPH_CACHE_DIR=off trains it anew)\n`);
  if (report.stages.cluster?.status === 'done' || report.stages.cluster?.status === 'skipped') printClusterExamples(report.db, request.terms !== null);
  else {
    out.write(`\nExamples: KeNet senses and nearest candidate pairs (before the relation filter):\n`);
    for (const ex of exampleLookups(report.db, EXAMPLE_QUERIES)) {
      out.write(`  ${ex.query} -> ${ex.term ?? '(unknown)'}${ex.lemma && ex.lemma !== ex.term ? ` [lemma ${ex.lemma}]` : ''}\n`);
      for (const s of ex.synsets.slice(0, 3)) out.write(`      ${s.id} {${s.members.join(', ')}}${s.definition ? `: ${s.definition}` : ''}\n`);
      if (ex.neighbours.length > 0) out.write(`      nearest candidates: ${ex.neighbours.map((n) => `${n.term} ${n.cosine.toFixed(2)}`).join(', ')}\n`);
    }
  }
  return 0;
}
