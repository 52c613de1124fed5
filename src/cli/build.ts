/**
 * `synograph build`: runs the pipeline stage by stage into one database, recording each stage.
 * With --until, the stages after it are not run (a later build resumes from there).
 */
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { kenetPath, kenetTermRecords, Lemmatizer, loadKenet, normalizeTerm, readTermBatches, WarningLog, type TermListFormat } from '../lexicon/index.js';
import { buildGold, DEFAULT_COHYPONYM_CAP, DEFAULT_SPLIT, visibleSynsets, type SplitConfig } from '../eval/index.js';
import { fillLemmas, finishBuild, ingestLexicon, ingestTerms, openDb, readEmbeddings, runStage, startBuild, storeGoldRelations, type Db } from '../store/index.js';
import type { BuildMode } from '../types.js';
import { integerOption, numberOption, printJson, UsageError } from './args.js';
import { progress } from './progress.js';
import { hash32 } from '../util/random.js';
import { createBuiltinEmbedder, createTransformersEmbedder, loadBuiltinModel, DEFAULT_BUILTIN_CONFIG, embedAllTerms, saveBuiltinModel, trainBuiltinEmbedderInWorker, type Embedder } from '../embed/index.js';
import { findCandidates, writeCandidates } from '../candidates/index.js';
import { DEFAULT_GATE, readLabelledPairs, RELATION_MODEL_VERSION, runRelationsStage } from '../relations/index.js';
import { isHeldOut } from '../eval/index.js';
import { RELATION_LABELS, type RelationLabel } from '../types.js';
import { statSync } from 'node:fs';
import { openService } from '../serve/index.js';
import { CLUSTER_ALGORITHMS, runClusterStage, type ClusterAlgorithm } from '../cluster/index.js';

export const STAGES = ['lexicon', 'terms', 'knowledge', 'lemmas', 'embed', 'candidates', 'relations', 'cluster'] as const;
export type Stage = (typeof STAGES)[number];

export type EmbedderChoice = { backend: 'builtin' } | { backend: 'transformers'; modelDir: string; prefix: string };

export const DEFAULT_DB = 'data/synograph.db';

/**
 * HNSW search beam of the candidates stage. The builtin embedder's held-out vectors have flat
 * neighbourhoods: ANN recall 0.88 at 128 and 0.925 at 256 (KeNet vocabulary, top-100), so the
 * build pays for 256 over the library default measured on synthetic clusters.
 */
const CANDIDATE_SEARCH_BEAM = 256;

export interface BuildOptions {
  db: string;
  mode: BuildMode;
  split: SplitConfig;
  kenet: string;
  terms: string | null;
  format?: TermListFormat;
  until: Stage;
  threads?: number;
  embedder: EmbedderChoice;
  candidates: { topK: number; minCosine: number };
  relations: {
    /** The user's labelled pairs (TSV term, related, label): training data and seeds. */
    pairs: string | null;
    gate: number;
    crossEncoder?: { modelDir: string; labels?: Record<string, RelationLabel> };
  };
  cluster: { algorithm: ClusterAlgorithm };
  /** Stages to run again even when their fingerprint says they are done (train-relations). */
  force?: readonly Stage[];
}

export interface BuildReport {
  db: string;
  buildId: number;
  mode: BuildMode;
  splitSeed: number;
  stages: Record<string, { status: 'done' | 'skipped'; seconds: number; stats?: object }>;
  totalSeconds: number;
}

function fingerprint(...parts: unknown[]): string {
  return hash32(JSON.stringify(parts)).toString(16);
}

/** Fingerprint of the latest completed run of a stage: downstream stages depend on it. */
function stageFingerprint(db: Db, stage: Stage): string | null {
  const value = db.prepare("SELECT json_extract(stats, '$.fingerprint') FROM build_stages WHERE stage = ? AND status = 'done' ORDER BY build_id DESC LIMIT 1").pluck().get(stage);
  return typeof value === 'string' ? value : null;
}

export async function runBuild(options: BuildOptions): Promise<BuildReport> {
  const started = performance.now();
  const db: Db = openDb(options.db);
  const identity = { mode: options.mode, splitSeed: options.split.seed };
  // Every option that shapes the result, with the embedder's own defaults.
  const config = { ...options, db: undefined, builtinEmbedder: DEFAULT_BUILTIN_CONFIG };
  let buildId = -1;
  try {
    buildId = startBuild(db, identity, config);
    const report: BuildReport = { db: options.db, buildId, mode: options.mode, splitSeed: options.split.seed, stages: {}, totalSeconds: 0 };
    const { synsets } = await loadKenet(options.kenet);
    const visible = options.mode === 'holdout' ? visibleSynsets(synsets, options.split).visible : synsets;
    const lastIndex = STAGES.indexOf(options.until);
    const force = new Set(options.force ?? []);
    let lexiconSource: number | null = null;

    for (const stage of STAGES.slice(0, lastIndex + 1)) {
      let outcome;
      switch (stage) {
        case 'lexicon':
          // Only what the mode may see of KeNet: in a held-out build, no synset with a held-out word.
          outcome = await runStage(db, buildId, stage, fingerprint(stage, options.kenet, options.mode, options.split), () =>
            ingestLexicon(db, visible, { name: 'KeNet', path: options.kenet }),
          );
          lexiconSource = outcome.stats.sourceId;
          break;
        case 'terms': {
          const warnings = new WarningLog();
          const file = options.terms;
          const bar = progress('terms', null);
          outcome = await runStage(db, buildId, stage, fingerprint(stage, file ?? options.kenet), async () => {
            // The default vocabulary is KeNet's literals as a plain term list (nothing else about them).
            const records = file ? readTermBatches(file, { warnings, format: options.format }) : kenetTermRecords(synsets);
            const r = await ingestTerms(db, records, { name: file ?? 'KeNet vocabulary', path: file ?? options.kenet, kind: file ? 'terms' : 'kenet', warnings, onProgress: (n) => bar.update(n), progressEvery: 10_000 });
            bar.finish(r.records);
            return { records: r.records, inserted: r.inserted, duplicates: r.duplicates, warnings: warnings.counts, warningExamples: warnings.format().slice(0, 10) };
          });
          break;
        }
        case 'knowledge': {
          // Labelled pairs the pipeline may learn from: derived from the visible synsets only,
          // plus the user's own pairs (in a held-out build, none that touches a held-out word).
          const pairsFile = options.relations.pairs;
          const pairsStamp = pairsFile ? fileStamp(pairsFile) : null;
          outcome = await runStage(db, buildId, stage, fingerprint(stage, options.kenet, options.mode, options.split, pairsFile, pairsStamp), async () => {
            const knowledge = buildGold(visible, { split: options.split, cohyponymCap: DEFAULT_COHYPONYM_CAP });
            if (lexiconSource === null) throw new Error('the knowledge stage needs the lexicon stage');
            db.prepare('DELETE FROM gold_relations').run();
            const stored = storeGoldRelations(db, lexiconSource, knowledge.pairs);
            const byLabel: Record<string, number> = {};
            for (const p of knowledge.pairs) byLabel[p.label] = (byLabel[p.label] ?? 0) + 1;
            let user: object | null = null;
            if (pairsFile) {
              const all = await readLabelledPairs(pairsFile);
              const usable = options.mode === 'holdout' ? all.filter((p) => !isHeldOut(p.a, options.split) && !isHeldOut(p.b, options.split)) : all;
              const source = Number(
                db.prepare("INSERT INTO sources(kind, name, path, added_at, records) VALUES ('pairs', ?, ?, ?, ?)").run('labelled pairs', pairsFile, new Date().toISOString(), all.length).lastInsertRowid,
              );
              const inserted = storeGoldRelations(db, source, usable.map((p) => ({ a: p.a, b: p.b, label: p.label, split: 'train' as const })));
              user = { file: pairsFile, pairs: all.length, droppedHeldOut: all.length - usable.length, stored: inserted };
            }
            return { pairs: stored, byLabel, user };
          });
          break;
        }
        case 'lemmas': {
          const bar = progress('lemmas', null);
          outcome = await runStage(db, buildId, stage, fingerprint(stage, 'nlptoolkit-morphologicalanalysis', stageFingerprint(db, 'terms')), async () => {
            const r = await fillLemmas(db, { threads: options.threads, onProgress: (done) => bar.update(done) });
            bar.finish(r.terms);
            return r;
          });
          break;
        }
        case 'embed': {
          const bar = progress('embed', null);
          outcome = await runStage(db, buildId, stage, fingerprint(stage, options.embedder, options.mode, options.split, options.kenet, DEFAULT_BUILTIN_CONFIG, stageFingerprint(db, 'terms')), async () => {
            let embedder: Embedder;
            let training: object | null = null;
            if (options.embedder.backend === 'builtin') {
              // Trained from the text this mode may see (held-out synsets excluded), stored with the build.
              const trained = await trainBuiltinEmbedderInWorker({ mode: options.mode, split: options.split, kenet: synsets, knownSynonyms: [] });
              saveBuiltinModel(db, trained.model);
              training = trained.report;
              embedder = createBuiltinEmbedder(trained.model, { threads: options.threads });
            } else {
              embedder = await createTransformersEmbedder({ modelDir: options.embedder.modelDir, prefix: options.embedder.prefix, threads: options.threads });
            }
            try {
              const r = await embedAllTerms(db, embedder, { onProgress: (done) => bar.update(done) });
              bar.finish(r.terms);
              return { ...embedder.info, ...r, training };
            } finally {
              await embedder.close();
            }
          });
          break;
        }
        case 'candidates':
          outcome = await runStage(db, buildId, stage, fingerprint(stage, options.candidates, stageFingerprint(db, 'embed')), async () => {
            const { termIds, vectors, dimensions } = readEmbeddings(db);
            const result = findCandidates(vectors, dimensions, { topK: options.candidates.topK, minCosine: options.candidates.minCosine, expansionSearch: CANDIDATE_SEARCH_BEAM, threads: options.threads, seed: options.split.seed });
            await writeCandidates(db, termIds, result.pairs);
            return { pairs: result.pairs.a.length, topK: options.candidates.topK, minCosine: options.candidates.minCosine, annRecall: result.annRecall, annSample: result.sampleSize, seconds: result.seconds };
          });
          break;
        case 'relations': {
          const bar = progress('relations', db.prepare('SELECT count(*) FROM candidate_edges').pluck().get() as number);
          const print = fingerprint(stage, options.relations, options.split.seed, RELATION_MODEL_VERSION, stageFingerprint(db, 'candidates'), stageFingerprint(db, 'knowledge'), stageFingerprint(db, 'embed'));
          outcome = await runStage(db, buildId, stage, print, async () => {
            // Words that labelled pairs mention but the term list lacks get vectors from the build's
            // own embedder, loaded only when there are such words (a KeNet-vocabulary build has none).
            const choice = options.embedder;
            const lazy: { embedder: Embedder | null } = { embedder: null };
            try {
              const r = await runRelationsStage(db, {
                seed: options.split.seed,
                // Mined training pairs: in a held-out build only between train-split words (EVALUATION.md).
                mayLearnFrom: options.mode === 'holdout' ? (w) => !isHeldOut(w, options.split) : undefined,
                gate: options.relations.gate,
                threads: options.threads,
                crossEncoder: options.relations.crossEncoder,
                embedOutside: async (words) => {
                  lazy.embedder ??=
                    choice.backend === 'builtin'
                      ? createBuiltinEmbedder(loadBuiltinModel(db), { threads: options.threads })
                      : await createTransformersEmbedder({ modelDir: choice.modelDir, prefix: choice.prefix, threads: options.threads });
                  return lazy.embedder.embed(words);
                },
                onProgress: (done) => bar.update(done),
              });
              bar.finish(r.scored);
              return r;
            } finally {
              await lazy.embedder?.close();
            }
          }, { force: force.has(stage) });
          break;
        }
        case 'cluster':
          outcome = await runStage(db, buildId, stage, fingerprint(stage, options.cluster, options.split.seed, stageFingerprint(db, 'relations')), async () =>
            runClusterStage(db, { algorithm: options.cluster.algorithm, seed: options.split.seed, gate: options.relations.gate }),
          { force: force.has(stage) });
          break;
      }
      if (outcome) report.stages[stage] = { status: outcome.skipped ? 'skipped' : 'done', seconds: outcome.seconds, stats: outcome.stats };
    }
    finishBuild(db, buildId, 'done');
    report.totalSeconds = (performance.now() - started) / 1000;
    return report;
  } catch (err) {
    if (buildId > 0) finishBuild(db, buildId, 'failed');
    throw err;
  } finally {
    db.close();
  }
}

/** Size and modification time: a changed file gets a new stage fingerprint. */
function fileStamp(file: string): string {
  const info = statSync(file, { throwIfNoEntry: false });
  return info ? `${info.size}:${info.mtimeMs}` : 'missing';
}

/** The relations stage's options, shared by `build` and `train-relations`. */
export const RELATION_OPTIONS = {
  pairs: { type: 'string' },
  gate: { type: 'string' },
  'relations-model': { type: 'string' },
  'relations-labels': { type: 'string' },
} as const;

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
 * An inflected form (found by its lemma), a polysemous word with its alternative senses, the
 * paper's drift example (acı: spicy, bitter, pain, grief), an antonym pair, a circumflex spelling.
 */
const EXAMPLE_QUERIES = ['kitaplarımızdan', 'yol', 'acı', 'sıcak', 'soğuk', 'kâr'];

/** What the finished database answers: the summary a user checks first, and a few lookups. */
function printClusterExamples(dbPath: string): void {
  const out = process.stdout;
  const service = openService(dbPath);
  try {
    const db = service.db;
    const count = (sql: string): number => db.prepare(sql).pluck().get() as number;
    const clusters = count('SELECT count(*) FROM clusters WHERE size >= 2');
    const clustered = count('SELECT coalesce(sum(size), 0) FROM clusters WHERE size >= 2');
    const largest = count('SELECT coalesce(max(size), 0) FROM clusters');
    out.write(
      `\n${service.summary.terms} terms: ${clustered} in ${clusters} clusters of 2 or more (largest ${largest}), the rest singletons; ` +
        `${count('SELECT count(*) FROM relation_predictions WHERE gated = 1')} synonym edges kept, ${count('SELECT count(*) FROM cannot_links')} antonym cannot-links.\n\nExamples:\n`,
    );
    const clusterOf = new Map<string, number>();
    for (const q of EXAMPLE_QUERIES) {
      const a = service.query.term(q, { limit: 12 });
      if (!a) {
        out.write(`  ${q}: not in the database\n`);
        continue;
      }
      const via = a.matched.via === 'exact' ? '' : ` (${a.matched.via} of "${q}")`;
      const c = a.cluster;
      if (c) clusterOf.set(a.matched.norm, c.id);
      out.write(`  ${a.matched.norm}${via}: cluster ${c ? `#${c.id} [${c.representative}] {${c.members.map((m) => m.term).join(', ')}${c.truncated ? ', ...' : ''}}` : '(none)'}\n`);
      for (const sense of a.alternativeSenses.slice(0, 3)) out.write(`      also sense #${sense.clusterId} (support ${sense.support.toFixed(2)}) [${sense.representative}] {${sense.members.slice(0, 8).map((m) => m.term).join(', ')}}\n`);
      if (a.antonyms.length > 0) out.write(`      antonyms: ${a.antonyms.slice(0, 6).map((x) => x.term).join(', ')}\n`);
    }
    const hot = clusterOf.get('sıcak');
    const cold = clusterOf.get('soğuk');
    if (hot !== undefined && cold !== undefined) out.write(`\n  sıcak and soğuk are ${hot === cold ? 'in the SAME cluster' : 'in different clusters'} (#${hot} / #${cold}).\n`);
  } finally {
    service.close();
  }
}

interface ExampleLookup {
  query: string;
  term: string | null;
  lemma: string | null;
  synsets: { id: string; members: string[]; definition: string | null }[];
  /** Nearest candidate neighbours by cosine (empty before the candidates stage). */
  neighbours: { term: string; cosine: number }[];
}

/** What the database already answers about a few words: the proof that the build is real. */
export function exampleLookups(dbPath: string, queries: readonly string[]): ExampleLookup[] {
  const db = openDb(dbPath, { readonly: true });
  try {
    const byNorm = db.prepare('SELECT norm, lemma FROM terms WHERE norm = ? OR folded = ? ORDER BY norm = ? DESC LIMIT 1');
    const byLemma = db.prepare('SELECT norm, lemma FROM terms WHERE lemma = ? ORDER BY length(norm) LIMIT 1');
    const synsetsOf = db.prepare(
      `SELECT m.synset_id AS id, (SELECT group_concat(norm, '|') FROM synset_members WHERE synset_id = m.synset_id) AS members,
              (SELECT text FROM definitions WHERE synset_id = m.synset_id AND kind = 'definition' LIMIT 1) AS definition
       FROM synset_members m WHERE m.norm = ? ORDER BY m.synset_id LIMIT 5`,
    );
    const neighboursOf = db.prepare(
      `SELECT t.norm AS term, c.cosine AS cosine FROM terms me
       JOIN candidate_edges c ON c.a = me.id OR c.b = me.id
       JOIN terms t ON t.id = CASE WHEN c.a = me.id THEN c.b ELSE c.a END
       WHERE me.norm = ? ORDER BY c.cosine DESC, t.norm LIMIT 8`,
    );
    const lemmatizer = new Lemmatizer();
    type Row = { norm: string; lemma: string | null } | undefined;
    return queries.map((q) => {
      const norm = normalizeTerm(q);
      const lemma = lemmatizer.lemmatize(norm);
      const row = (byNorm.get(norm, norm, norm) ?? byNorm.get(lemma, lemma, lemma) ?? byLemma.get(lemma)) as Row;
      const term = row?.norm ?? null;
      const synsets = term
        ? (synsetsOf.all(term) as { id: string; members: string; definition: string | null }[]).map((s) => ({ id: s.id, members: s.members.split('|'), definition: s.definition }))
        : [];
      const neighbours = term ? (neighboursOf.all(term) as { term: string; cosine: number }[]) : [];
      return { query: q, term, lemma: row?.lemma ?? null, synsets, neighbours };
    });
  } finally {
    db.close();
  }
}

export async function buildCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      db: { type: 'string' },
      terms: { type: 'string' },
      format: { type: 'string' },
      holdout: { type: 'boolean', default: false },
      seed: { type: 'string' },
      until: { type: 'string' },
      kenet: { type: 'string' },
      threads: { type: 'string' },
      embedder: { type: 'string' },
      model: { type: 'string' },
      prefix: { type: 'string' },
      'top-k': { type: 'string' },
      'min-cosine': { type: 'string' },
      ...RELATION_OPTIONS,
      algorithm: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const backend = values.embedder ?? 'builtin';
  if (backend !== 'builtin' && backend !== 'transformers') throw new UsageError('--embedder must be builtin or transformers');
  if (backend === 'transformers' && !values.model) throw new UsageError('--embedder transformers needs --model DIR (a local transformers.js model folder)');
  if (backend === 'builtin' && (values.model || values.prefix)) throw new UsageError('--model and --prefix apply to --embedder transformers only');
  const until = (values.until ?? 'cluster') as Stage;
  if (!STAGES.includes(until)) throw new UsageError(`--until must be one of ${STAGES.join(', ')}`);
  if (values.format && !['txt', 'tsv', 'jsonl'].includes(values.format)) throw new UsageError('--format must be txt, tsv or jsonl');
  const options: BuildOptions = {
    db: resolve(values.db ?? DEFAULT_DB),
    mode: values.holdout ? 'holdout' : 'full',
    split: { ...DEFAULT_SPLIT, seed: integerOption(values.seed, 'seed', DEFAULT_SPLIT.seed) },
    kenet: resolve(values.kenet ?? kenetPath()),
    terms: values.terms ? resolve(values.terms) : null,
    format: values.format as TermListFormat | undefined,
    until,
    threads: values.threads === undefined ? undefined : integerOption(values.threads, 'threads', 1, 1),
    embedder: backend === 'builtin' ? { backend } : { backend, modelDir: resolve(values.model as string), prefix: values.prefix ?? '' },
    candidates: {
      topK: integerOption(values['top-k'], 'top-k', 100, 1),
      minCosine: numberOption(values['min-cosine'], 'min-cosine', 0.7, (n) => n >= -1 && n <= 1),
    },
    relations: relationsFromArgs(values),
    cluster: { algorithm: (values.algorithm ?? 'synograph') as ClusterAlgorithm },
  };
  if (values.algorithm !== undefined && !CLUSTER_ALGORITHMS.includes(values.algorithm as ClusterAlgorithm)) throw new UsageError(`--algorithm must be one of ${CLUSTER_ALGORITHMS.join(', ')}`);
  const report = await runBuild(options);
  if (values.json) {
    printJson(report);
    return 0;
  }
  const out = process.stdout;
  out.write(`synograph build #${report.buildId} (${report.mode}, split seed ${report.splitSeed}) -> ${report.db}\n`);
  for (const [stage, s] of Object.entries(report.stages)) {
    const stats = s.stats ? ' ' + JSON.stringify(s.stats, (k, v) => (k === 'fingerprint' || k === 'warningExamples' ? undefined : v)) : '';
    out.write(`  ${stage.padEnd(11)} ${s.status.padEnd(13)} ${s.seconds.toFixed(1).padStart(6)} s${stats}\n`);
  }
  out.write(`  total ${report.totalSeconds.toFixed(1)} s\n`);
  if (report.stages.cluster?.status === 'done' || report.stages.cluster?.status === 'skipped') printClusterExamples(report.db);
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
