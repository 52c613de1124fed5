import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GraphFileWriter } from '../src/cluster/binary.js';
import { synograph } from './cli-runner.js';


let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'synograph-cluster-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Hot and cold synonyms, plus the antonym pair sıcak/soğuk as a noisy top-confidence synonym edge.
const EDGES = [
  'a\tb\tconfidence',
  'Sıcak\tateşli\t0.9',
  'ateşli\tKIZGIN\t0.9',
  'kızgın\tsıcak\t0.9',
  'soğuk\tserin\t0.85',
  'serin\tbuz  gibi\t0.85',
  'buz gibi\tsoğuk\t0.85',
  'sıcak\tsoğuk\t0.95',
];
const read = (file: string): Array<{ id: string; members: string[] }> =>
  readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));

describe('synograph cluster', () => {
  it('clusters a TSV end to end, normalising Turkish terms and honouring cannot-links', async () => {
    const edges = join(dir, 'edges.tsv');
    const links = join(dir, 'antonyms.tsv');
    const out = join(dir, 'clusters.jsonl');
    writeFileSync(edges, EDGES.join('\n') + '\n');
    writeFileSync(links, 'SICAK\tSOĞUK\nsıcak\tdondurucu\n');
    const r = await synograph('cluster', '--edges', edges, '--cannot-link', links, '--out', out, '--json');
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary).toMatchObject({ nodes: 7, edges: 7, cannotLinks: 2, written: 2, algorithm: 'synograph' });
    expect(summary.peakRssBytes).toBeGreaterThan(0);
    expect(read(out)).toEqual([
      { id: 'c0', members: ['ateşli', 'kızgın', 'sıcak'] },
      { id: 'c1', members: ['buz gibi', 'serin', 'soğuk'] },
    ]);

    // Shuffled lines and swapped columns give the same file; --singletons adds the isolated word.
    const shuffled = join(dir, 'shuffled.tsv');
    writeFileSync(shuffled, [EDGES[7], EDGES[3], EDGES[5], 'ateşli\tsıcak\t0.9', EDGES[2], EDGES[6], EDGES[4]].join('\n'));
    const out2 = join(dir, 'clusters2.jsonl');
    const r2 = await synograph('cluster', '--edges', shuffled, '--cannot-link', links, '--out', out2, '--singletons');
    expect(r2.code).toBe(0);
    expect(JSON.parse(r2.stderr.trim().split('\n').pop()!)).toMatchObject({ written: 3, singletons: true });
    expect(read(out2)).toEqual([...read(out), { id: 'c2', members: ['dondurucu'] }]);
  });

  it('reports a malformed line with file and line number and exits 2', async () => {
    const edges = join(dir, 'bad.tsv');
    writeFileSync(edges, 'a\tb\t0.9\nc\td\tyes\n');
    const r = await synograph('cluster', '--edges', edges, '--out', join(dir, 'x.jsonl'));
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(`synograph cluster: ${edges}:2: confidence "yes" is not a number`);
    writeFileSync(edges, 'a\tb\t0.9\nc\td\n');
    const r2 = await synograph('cluster', '--edges', edges, '--out', join(dir, 'x.jsonl'));
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain(`${edges}:2: expected 3 tab-separated fields`);
    const r3 = await synograph('cluster', '--edges', edges, '--out', join(dir, 'x.jsonl'), '--algorithm', 'kmeans');
    expect(r3.code).toBe(2);
    expect(r3.stderr).toContain('--algorithm');
  });

  it('reads the binary graph format (ids as terms) with its cannot-links', async () => {
    const file = join(dir, 'g.bin');
    const w = new GraphFileWriter(file, 5, 2);
    w.edge(0, 1, 0.9);
    w.edge(1, 2, 0.9);
    w.edge(0, 2, 0.9);
    w.edge(3, 4, 0.8);
    w.cannotLink(3, 4);
    w.close();
    const out = join(dir, 'bin.jsonl');
    const r = await synograph('cluster', '--edges', file, '--out', out, '--algorithm', 'paper', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ nodes: 5, edges: 4, cannotLinks: 1, algorithm: 'paper' });
    // The paper ignores cannot-links: {3,4} opens; synograph keeps them apart.
    expect(read(out).map((c) => c.members)).toEqual([['0', '1', '2'], ['3', '4']]);
    await synograph('cluster', '--edges', file, '--out', out);
    expect(read(out).map((c) => c.members)).toEqual([['0', '1', '2']]);
  });
});
