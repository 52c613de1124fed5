/**
 * The pipeline through the library, without the CLI: stages run in order and are recorded; a
 * second build skips what is done with the same inputs; a changed input re-runs its stage and
 * the stages that read it, and nothing else.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDatabase, STAGES } from '../src/index.js';
import { STAGE_TABLE } from '../src/pipeline/index.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'synograph-pipeline-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the stage table', () => {
  it('lists every stage once, in order, each reading only stages before it', () => {
    expect(STAGE_TABLE.map((s) => s.name)).toEqual([...STAGES]);
    STAGE_TABLE.forEach((s, i) => {
      for (const r of s.reads) expect(STAGES.indexOf(r)).toBeLessThan(i);
    });
  });
});

describe('buildDatabase', () => {
  it('runs the stages in order, skips them when done, and re-runs only a stage whose input changed and those after it that read it', async () => {
    const terms = join(dir, 'terms.txt');
    writeFileSync(terms, 'kitap\neser\nyapıt\n');
    const pairs = join(dir, 'pairs.tsv');
    writeFileSync(pairs, 'kitap\teser\tsynonym\n');
    const db = join(dir, 'p.db');
    const request = { db, terms, until: 'lemmas' as const, relations: { pairs } };
    const seen: string[] = [];
    const first = await buildDatabase(request, { onStage: (stage) => seen.push(stage) });
    expect(seen).toEqual(['lexicon', 'terms', 'knowledge', 'lemmas']);
    expect(Object.values(first.stages).map((s) => s!.status)).toEqual(['done', 'done', 'done', 'done']);
    expect(first.stages.knowledge!.stats).toMatchObject({ user: { pairs: 1, stored: 1 } });

    const again = await buildDatabase(request);
    expect(Object.values(again.stages).map((s) => s!.status)).toEqual(['skipped', 'skipped', 'skipped', 'skipped']);

    // Another labelled-pairs file: the knowledge stage reads it; lemmas read only the terms.
    const more = join(dir, 'more.tsv');
    writeFileSync(more, 'kitap\teser\tsynonym\neser\tyapıt\tsynonym\n');
    const changed = await buildDatabase({ ...request, relations: { pairs: more } });
    expect(Object.fromEntries(Object.entries(changed.stages).map(([k, s]) => [k, s!.status]))).toEqual({ lexicon: 'skipped', terms: 'skipped', knowledge: 'done', lemmas: 'skipped' });
    expect(changed.stages.knowledge!.stats).toMatchObject({ user: { pairs: 2, stored: 2 } });
  }, 120_000);
});
