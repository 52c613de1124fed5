import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { synograph } from './cli-runner.js';


let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'synograph-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('synograph gold', () => {
  it('--json prints the gold counts and per-split pair counts', async () => {
    const r = await synograph('gold', '--json');
    expect(r.code).toBe(0);
    const g = JSON.parse(r.stdout);
    expect(g.synsets).toBe(17038);
    expect(g.synonymPairs).toBeGreaterThan(70_000);
    expect(g.antonymPairs).toBeGreaterThan(4_000);
    expect(g.cohyponymPairs).toBeGreaterThan(10_000);
    for (const split of ['train', 'dev', 'test']) {
      expect(g.split[split].synonym).toBeGreaterThan(0);
      expect(g.split[split].antonym).toBeGreaterThan(0);
      expect(g.split[split].cohyponym).toBeGreaterThan(0);
    }
    const inSplits = (label: string) => ['train', 'dev', 'test', 'crossing'].reduce((n, s) => n + g.split[s][label], 0);
    expect(inSplits('synonym')).toBe(g.synonymPairs);
    expect(g.seed).toBe(42);
  });

  it('--export writes synsets.jsonl and pairs.tsv that score F1 = 1 against themselves', async () => {
    const out = join(dir, 'gold');
    expect((await synograph('gold', '--export', out)).code).toBe(0);
    const synsets = readFileSync(join(out, 'synsets.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(synsets).toHaveLength(17038);
    expect(synsets[0]).toEqual({ id: expect.any(String), members: expect.any(Array) });
    const pairs = readFileSync(join(out, 'pairs.tsv'), 'utf8').trim().split('\n');
    expect(pairs[0]).toBe('a\tb\tlabel\tsplit');
    expect(new Set(pairs.slice(1).map((l) => l.split('\t')[2]))).toEqual(new Set(['synonym', 'antonym', 'co-hyponym']));

    const r = await synograph('eval', '--clusters', join(out, 'synsets.jsonl'), '--json');
    expect(r.code).toBe(0);
    const e = JSON.parse(r.stdout);
    expect(e.clusters.pairedF1).toBe(1);
    expect(e.clusters.precision).toBe(1);
    expect(e.clusters.recall).toBe(1);
    expect(e.clusters.lexiconSize).toBeGreaterThan(1000);
    expect(e.clusters.antonymIntrusion).toBe(0);
    // Connected components chain polysemous words: perfect recall, poor precision, antonyms inside.
    expect(e.baselines.components.recall).toBe(1);
    expect(e.baselines.components.precision).toBeLessThan(0.5);
    expect(e.baselines.components.antonymIntrusion).toBeGreaterThan(0);
    expect(e.baselines.louvain.pairedF1).toBeGreaterThan(e.baselines.components.pairedF1);
  }, 120_000);

  it('eval names the file and line of a malformed clustering', async () => {
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, '{"id": 1, "members": ["a", "b"]}\n{"id": 2, "members": "a"}\n');
    const r = await synograph('eval', '--clusters', bad, '--json');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${bad}:2`);
  });
});

describe('synograph build', () => {
  it('a held-out build of a user term list records its mode and is the only kind eval accepts', async () => {
    const terms = join(dir, 'terms.txt');
    writeFileSync(terms, 'Kitaplarımızdan\nsıcak\n\nSoğuk\nsıcak\n');
    const db = join(dir, 'holdout.db');
    const b = await synograph('build', '--db', db, '--terms', terms, '--holdout', '--until', 'lemmas', '--json');
    expect(b.code).toBe(0);
    const report = JSON.parse(b.stdout);
    expect(report.mode).toBe('holdout');
    expect(report.stages.terms.stats).toMatchObject({ records: 4, inserted: 3, duplicates: 1, warnings: { 'empty-line': 1, 'duplicate-term': 1 } });
    expect(report.stages.lemmas.status).toBe('done');
    // A held-out build stores no synset that holds a held-out word.
    const knowledge = report.stages.knowledge.stats.byLabel;
    expect(knowledge.synonym).toBeLessThan(79378 / 2);

    const e = await synograph('eval', '--db', db, '--json');
    expect(e.code).toBe(0);
    expect(JSON.parse(e.stdout).build).toMatchObject({ mode: 'holdout', splitSeed: 42, status: 'done' });

    const full = await synograph('build', '--db', db, '--until', 'lexicon');
    expect(full.code).toBe(3); // the database refuses: a store failure
    expect(full.stderr).toMatch(/holds a holdout \(split seed 42, train 0.6, dev 0.1\) build/);
  }, 120_000);

  it('a held-out build through candidates: builtin embedder, kNN pairs, and the candidates section of eval', async () => {
    const terms = join(dir, 'pipeline.tsv');
    const words = ['sıcak', 'ılık', 'soğuk', 'serin', 'kitap', 'eser', 'yapıt', 'dergi', 'hekim', 'doktor', 'tabip', 'ev', 'konut', 'mesken', 'araba', 'otomobil', 'güzel', 'çirkin', 'hızlı', 'yavaş'];
    writeFileSync(terms, 'term\n' + words.join('\n') + '\n');
    const db = join(dir, 'pipeline.db');
    // What a killed build spilled beside the database is removed by the next one.
    mkdirSync(join(dir, 'pipeline.db.pairs-killed'));
    writeFileSync(join(dir, 'pipeline.db.pairs-killed', '0.pairs'), Buffer.alloc(12));
    const b = await synograph('build', '--db', db, '--terms', terms, '--holdout', '--until', 'candidates', '--min-cosine', '0.2', '--top-k', '5', '--json');
    expect(b.code).toBe(0);
    const report = JSON.parse(b.stdout);
    expect(report.stages.embed).toMatchObject({ status: 'done', stats: { backend: 'builtin', dimensions: 128, terms: 20 } });
    // The embedder's training reads no stage's output: it began with the build, beside the terms.
    expect(report.early).toEqual(['embed']);
    expect(report.stages.candidates.stats.pairs).toBeGreaterThan(0);
    expect(report.stages.candidates.stats.pairs).toBeLessThanOrEqual(20 * 5);
    expect(report.stages.candidates.stats.annRecall).toBeGreaterThan(0.9);
    // The raw pairs were spilled beside the database (pipeline.db.pairs-*): nothing of them is left.
    expect(readdirSync(dir).filter((f) => f.includes('.pairs-'))).toEqual([]);

    const e = await synograph('eval', '--db', db, '--json');
    expect(e.code).toBe(0);
    const c = JSON.parse(e.stdout).candidates;
    expect(c.pairs).toBe(report.stages.candidates.stats.pairs);
    expect(Object.keys(c.recallAt)).toEqual(['10', '50', '100']);
    expect(Object.keys(c.composition).sort()).toEqual(['antonym', 'cohyponym', 'synonym', 'unlabelled']);
    expect(c.annRecall).toBe(report.stages.candidates.stats.annRecall);

    // Resuming: every finished stage is skipped, nothing is recomputed.
    const again = await synograph('build', '--db', db, '--terms', terms, '--holdout', '--until', 'candidates', '--min-cosine', '0.2', '--top-k', '5', '--json');
    const stages = JSON.parse(again.stdout).stages;
    for (const stage of ['lexicon', 'terms', 'knowledge', 'lemmas', 'embed', 'candidates']) expect(stages[stage].status).toBe('skipped');
    // Nor is the embedder trained for an embed stage that will be skipped.
    expect(JSON.parse(again.stdout).early).toEqual([]);
  }, 240_000);

  it('relations: user pairs are checked line by line, seeds and verdicts are stored, eval reports the lexical split', async () => {
    const terms = join(dir, 'pipeline.tsv');
    const db = join(dir, 'pipeline.db');
    const common = ['build', '--db', db, '--terms', terms, '--holdout', '--min-cosine', '0.2', '--top-k', '5'];
    const bad = join(dir, 'bad-pairs.tsv');
    writeFileSync(bad, 'term\trelated\tlabel\nhekim\tdoktor\tsynonym\nsıcak\tsoğuk\tzıt\n');
    const refused = await synograph(...common, '--until', 'relations', '--pairs', bad);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`${bad}:3: unknown label "zıt"`);

    // Under split seed 42: hekim, ılık and serin are train words; doktor, sıcak and soğuk are test words.
    const pairs = join(dir, 'pairs.tsv');
    writeFileSync(pairs, 'hekim\tdoktor\tsynonym\nsıcak\tsoğuk\tantonym\nılık\tserin\tco-hyponym\n');
    // The term table and the model read no evidence, and are made beside the evidence stage when
    // the two fit the memory budget (trust.test.ts sees them there); in 10 kB they wait for their stage.
    const b = await synograph(...common, '--until', 'relations', '--pairs', pairs, '--memory', '0.00001', '--json');
    expect(b.code).toBe(0);
    const stages = JSON.parse(b.stdout).stages;
    expect(stages.candidates.status).toBe('skipped');
    expect(JSON.parse(b.stdout).early).toEqual([]);
    expect(stages.evidence.status).toBe('done');
    const r = stages.relations.stats;
    expect(r.scored).toBe(r.candidates);
    expect(r.training.examples).toBeGreaterThan(1000); // KeNet's visible knowledge, embedded although outside the 20-word list
    expect(r.wordsOutsideTerms).toBeGreaterThan(1000);
    // Each step of the preparation timed: the outside words were embedded, and the model trained.
    expect(Object.keys(r.preparationSeconds)).toEqual(['outsideWords', 'termTable', 'training']);
    expect(r.preparationSeconds.outsideWords).toBeGreaterThan(0);
    expect(r.preparationSeconds.training).toBeGreaterThan(0);
    // In a held-out build, user pairs touching a held-out word are dropped (leakage), and counted;
    // the pair of two train words is kept, so a filter that dropped everything would fail too.
    expect(stages.knowledge.stats.user).toEqual({ file: pairs, pairs: 3, droppedHeldOut: 2, stored: 1 });
    const stored = new Database(db, { readonly: true });
    try {
      const userPairs = stored.prepare("SELECT a, b, label FROM gold_relations WHERE source_id = (SELECT id FROM sources WHERE kind = 'pairs')").all();
      expect(userPairs).toEqual([{ a: 'serin', b: 'ılık', label: 'co-hyponym' }]); // stored a < b: ı (U+0131) sorts after s
      const touching = stored.prepare("SELECT count(*) FROM gold_relations WHERE a IN ('doktor', 'sıcak', 'soğuk') OR b IN ('doktor', 'sıcak', 'soğuk')").pluck().get();
      expect(touching).toBe(0);
    } finally {
      stored.close();
    }

    const e = await synograph('eval', '--db', db, '--json');
    expect(e.code).toBe(0);
    const rel = JSON.parse(e.stdout).relations;
    expect(rel.split).toBe('lexical');
    expect(Object.keys(rel.perClass).sort()).toEqual(['antonym', 'cohyponym', 'synonym']);
    expect(rel.confusion.labels).toEqual(['synonym', 'antonym', 'co-hyponym']);
    for (const k of ['macroF1', 'randomSplitMacroF1', 'singleWordBaselineMacroF1']) expect(typeof rel[k]).toBe('number');
    expect(rel.heldOut).toBe('test');
    expect(rel.derivations.pairs).toBe(rel.derivations.gated.synonym + rel.derivations.gated.antonym + rel.derivations.gated.none);

    // Defaults are chosen on dev words: every section is scored on them instead of the test words.
    const dev = JSON.parse((await synograph('eval', '--db', db, '--json', '--no-diagnostics', '--split', 'dev')).stdout);
    expect(dev.split).toBe('dev');
    expect(dev.relations.heldOut).toBe('dev');
    expect(dev.relations.pairs).not.toBe(rel.pairs);
    expect((await synograph('eval', '--db', db, '--split', 'train')).stderr).toContain('--split must be test or dev');

    const again = await synograph('train-relations', '--db', db, '--json');
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).stages.relations.stats.scored).toBe(r.scored);

    // The whole pipeline: clusters stored for every term, queried by any surface form.
    const full = await synograph(...common, '--pairs', pairs, '--json');
    expect(full.code).toBe(0);
    const cluster = JSON.parse(full.stdout).stages.cluster;
    expect(cluster.status).toBe('done');
    expect(cluster.stats).toMatchObject({ algorithm: 'synograph', nodes: 20 });
    const q = await synograph('query', 'DOKTORLAR', '--db', db, '--json');
    expect(q.code).toBe(0);
    const answer = JSON.parse(q.stdout);
    expect(answer).toMatchObject({ term: 'DOKTORLAR', matched: { norm: 'doktor', via: 'lemma' } });
    expect(answer.cluster.members.map((m: { term: string }) => m.term)).toContain('doktor');
    const scored = JSON.parse((await synograph('eval', '--db', db, '--json', '--no-diagnostics')).stdout);
    expect(Object.keys(scored.baselines).sort()).toEqual(['chineseWhispers', 'components', 'louvain', 'paper', 'synograph-words', 'watset']);
    expect(scored.clusters).toHaveProperty('pairedF1');
  }, 300_000);

  it('relation options are checked before any work: labels need a model, the gate is a probability, memory is positive', async () => {
    const db = join(dir, 'never.db');
    const labels = await synograph('build', '--db', db, '--relations-labels', 'LABEL_0=synonym');
    expect(labels.code).toBe(2);
    expect(labels.stderr).toContain('--relations-labels applies to --relations-model only');
    const gate = await synograph('build', '--db', db, '--gate', '1.5');
    expect(gate.code).toBe(2);
    expect(gate.stderr).toContain('--gate');
    const memory = await synograph('build', '--db', db, '--memory', '0');
    expect(memory.code).toBe(2);
    expect(memory.stderr).toContain('--memory: invalid value "0"');
    expect(existsSync(db)).toBe(false);
  });

  it('eval refuses a full build, and missing inputs get one clear line', async () => {
    const db = join(dir, 'full.db');
    expect((await synograph('build', '--db', db, '--until', 'lexicon')).code).toBe(0);
    const e = await synograph('eval', '--db', db, '--json');
    expect(e.code).toBe(2);
    expect(e.stderr).toMatch(/full build has seen the gold.*--kept reports what a full build keeps/);
    // --kept is no accuracy figure: it reads a full build too.
    const kept = await synograph('eval', '--db', db, '--kept', '--json');
    expect(kept.code).toBe(0);
    expect(JSON.parse(kept.stdout).kept).toMatchObject({ synonymPairs: 0, antonymsSharingACluster: { kept: 0 } });
    const missing = await synograph('ingest', '--db', db, '--terms', join(dir, 'nope.txt'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.txt: file not found');
    const emptyFormat = await synograph('ingest', '--db', db, '--terms', join(dir, 'nope.txt'), '--format', '');
    expect(emptyFormat.code).toBe(2);
    expect(emptyFormat.stderr).toContain('--format must be txt, tsv or jsonl');
  }, 120_000);
});
