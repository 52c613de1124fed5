/**
 * End to end: a held-out build hides everything KeNet says about held-out words (membership,
 * definitions, relations, labelled pairs, the embedder's training text with the dictionary
 * editions), and `eval --db` of a small held-out build gives figures bounded on both sides:
 * counts equal to what the gold says independently, scores neither broken (below) nor leaked
 * (above).
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { synograph } from './cli-runner.js';
import { buildGold, DEFAULT_SPLIT, isHeldOut, splitOf, type Gold } from '../src/eval/index.js';
import { loadKenet, kenetPath, DICTIONARY_EDITIONS, dictionaryEditionPath, type KenetSynset } from '../src/lexicon/index.js';
import { trainingDocuments } from '../src/embed/builtin/corpus.js';
import { tokenize } from '../src/embed/builtin/tokenize.js';

let dir: string;
let synsets: KenetSynset[];
let gold: Gold;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'synograph-holdout-'));
  synsets = (await loadKenet(kenetPath())).synsets;
  gold = buildGold(synsets, { split: DEFAULT_SPLIT, cohyponymCap: 100 });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const heldOut = (w: string): boolean => isHeldOut(w, DEFAULT_SPLIT);
const holdsHeldOut = (s: KenetSynset): boolean => s.literals.some((l) => heldOut(l.norm));

describe('a held-out build', () => {
  it('stores nothing KeNet says about a held-out word', async () => {
    const db = join(dir, 'knowledge.db');
    const b = await synograph('build', '--holdout', '--db', db, '--until', 'knowledge', '--json');
    expect(b.code).toBe(0);
    const excluded = new Set(synsets.filter(holdsHeldOut).map((s) => s.id));
    expect(excluded.size).toBeGreaterThan(30_000);
    const conn = new Database(db, { readonly: true });
    try {
      const all = (sql: string) => conn.prepare(sql).pluck().all() as string[];
      const members = all('SELECT norm FROM synset_members');
      expect(members.length).toBeGreaterThan(40_000);
      expect(members.filter(heldOut)).toEqual([]);
      expect(all('SELECT id FROM synsets').filter((id) => excluded.has(id))).toEqual([]);
      expect(all('SELECT synset_id FROM definitions WHERE synset_id IS NOT NULL').filter((id) => excluded.has(id))).toEqual([]);
      expect(all('SELECT synset_id FROM synset_relations UNION SELECT target_id FROM synset_relations').filter((id) => excluded.has(id))).toEqual([]);
      const labelled = conn.prepare('SELECT a, b FROM gold_relations').raw().all() as [string, string][];
      expect(labelled.length).toBeGreaterThan(20_000);
      expect(labelled.filter(([a, b]) => heldOut(a) || heldOut(b))).toEqual([]);
      // The vocabulary is every KeNet word, numbered so that no line groups the words of a synset.
      const lines = conn.prepare('SELECT count(*) AS n, count(DISTINCT source_line) AS distinct_lines FROM terms').get() as { n: number; distinct_lines: number };
      expect(lines.n).toBe(gold.vocabulary.size);
      expect(lines.distinct_lines).toBe(lines.n);
    } finally {
      conn.close();
    }
  }, 120_000);

  it("trains the embedder on no definition, example or gloss of a synset holding a held-out word, in KeNet or any dictionary edition", async () => {
    // Without the news corpus, whose short sentences ('çok iyi', 'panel') coincide with some
    // examples by accident: every document left comes from a synset of KeNet or an edition.
    const { documents, stats } = await trainingDocuments({ mode: 'holdout', split: DEFAULT_SPLIT, kenet: synsets, news: false });
    expect(stats.excludedSynsets).toBeGreaterThan(100_000);
    // No gloss pairs a held-out word with a definition.
    expect(documents.filter((d) => d.heads.some(heldOut))).toEqual([]);
    // Texts of excluded synsets, computed independently per resource, minus any text that a
    // visible synset also carries (identical definitions are common across editions).
    const text = (t: string): string => tokenize(t).join(' ');
    const hidden = new Set<string>();
    const shown = new Set<string>();
    const collect = (list: readonly KenetSynset[]) => {
      for (const s of list) {
        const into = holdsHeldOut(s) ? hidden : shown;
        for (const t of [s.definition, ...s.examples]) if (t && text(t) !== '') into.add(text(t));
      }
    };
    collect(synsets);
    for (const year of DICTIONARY_EDITIONS) collect((await loadKenet(dictionaryEditionPath(year))).synsets);
    for (const t of shown) hidden.delete(t);
    expect(hidden.size).toBeGreaterThan(50_000);
    const leaked = documents.filter((d) => hidden.has(d.tokens.join(' ')));
    expect(leaked.map((d) => d.tokens.join(' ')).slice(0, 5)).toEqual([]);
  }, 300_000);

  it('eval --db of a small held-out build: counts match the gold, scores are bounded on both sides', async () => {
    // 120 test-split synonym pairs, 40 test antonym pairs, 120 train synonym pairs and 40 dev pairs.
    const pick = (split: string, label: string, n: number) => gold.pairs.filter((p) => p.split === split && p.label === label).slice(0, n);
    const chosen = [...pick('test', 'synonym', 120), ...pick('test', 'antonym', 40), ...pick('train', 'synonym', 120), ...pick('dev', 'synonym', 40)];
    const words = [...new Set(chosen.flatMap((p) => [p.a, p.b]))].sort();
    const terms = join(dir, 'small.txt');
    writeFileSync(terms, words.join('\n') + '\n');
    const db = join(dir, 'small.db');
    const b = await synograph('build', '--holdout', '--db', db, '--terms', terms, '--top-k', '20', '--min-cosine', '0.3', '--json');
    expect(b.code).toBe(0);
    const e = await synograph('eval', '--db', db, '--json', '--no-diagnostics');
    expect(e.code).toBe(0);
    const r = JSON.parse(e.stdout);

    // Counts the gold gives independently.
    const testWords = words.filter((w) => splitOf(w, DEFAULT_SPLIT) === 'test');
    const goldWords = new Set(gold.synsets.flatMap((s) => s.members));
    const inList = new Set(words);
    const testPairs = gold.pairs.filter((p) => p.split === 'test' && inList.has(p.a) && inList.has(p.b));
    expect(r.lexiconSize).toBe(testWords.filter((w) => goldWords.has(w)).length);
    expect(r.clusters.lexiconSize).toBe(r.lexiconSize);
    for (const baseline of Object.values(r.baselines) as { lexiconSize: number }[]) expect(baseline.lexiconSize).toBe(r.lexiconSize);
    expect(r.candidates.goldSynonymPairs).toBe(testPairs.filter((p) => p.label === 'synonym').length);
    expect(r.relations.pairs).toBe(testPairs.length);
    expect(r.relations.perClass.antonym.support).toBe(testPairs.filter((p) => p.label === 'antonym').length);

    // Bounded on both sides: a broken stage scores at the floor, a leak (held-out pairs learned as
    // seeds) near the ceiling. Measured at 7cc59c5: lexicon 134, cluster recall 0 and coverage 0
    // at the 0.70 gate, candidate recall@100 0.21. Relations after the issue 18 model: gated
    // macro-F1 0.13 (synonym P 0.90 R 0.12; 3 co-hyponym pairs weigh a third), argmax 0.29.
    const c = r.clusters;
    for (const x of [c.precision, c.recall, c.pairedF1, c.coverage, c.antonymIntrusion]) {
      expect(Number.isFinite(x)).toBe(true);
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThanOrEqual(1);
    }
    expect(c.coverage).toBeLessThan(0.5);
    expect(c.recall).toBeLessThan(0.5);
    expect(r.candidates.recallAt['100']).toBeGreaterThan(0.05);
    expect(r.candidates.recallAt['100']).toBeLessThan(0.8);
    expect(r.relations.macroF1).toBeGreaterThan(0.05);
    expect(r.relations.argmax.macroF1).toBeGreaterThan(0.15);
    expect(r.relations.macroF1).toBeLessThan(0.8);
    expect(r.relations.perClass.synonym.recall).toBeLessThan(0.8);
  }, 300_000);
});
