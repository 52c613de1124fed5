import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFile } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import sax from 'sax';
import { readClustersFile } from '../src/eval/index.js';
import { exportDatabase, openService, type ExportOptions, type SynonymService } from '../src/serve/index.js';
import { ALTERNATIVES, buildServeFixture, CLUSTERS } from './serve-fixture.js';

let dir: string;
let file: string;
let service: SynonymService;
beforeAll(async () => {
  ({ dir, file } = await buildServeFixture());
  service = openService(file);
});
afterAll(() => {
  service.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A slow consumer with a tiny buffer, so the export has to respect back-pressure. */
async function exportText(options: ExportOptions): Promise<string> {
  const chunks: Buffer[] = [];
  const out = new Writable({
    highWaterMark: 16,
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk);
      setImmediate(done);
    },
  });
  await exportDatabase(service, out, options);
  return Buffer.concat(chunks).toString('utf8');
}

/** Lucene's SolrSynonymParser split and unescape, as Solr, Elasticsearch and OpenSearch read a line. */
function luceneSplit(s: string, sep: string): string[] {
  const parts: string[] = [];
  let sb = '';
  for (let pos = 0; pos < s.length; ) {
    if (s.startsWith(sep, pos)) {
      if (sb.length > 0) parts.push(sb);
      sb = '';
      pos += sep.length;
      continue;
    }
    let ch = s[pos++];
    if (ch === '\\') {
      sb += ch;
      if (pos >= s.length) break;
      ch = s[pos++];
    }
    sb += ch;
  }
  if (sb.length > 0) parts.push(sb);
  return parts;
}
const luceneUnescape = (s: string) => s.replace(/\\(.)/gsu, '$1');

describe('exports', () => {
  it('solr: provenance comments, then one line of equivalent terms per cluster of two or more, read back exactly by Lucene', async () => {
    const text = await exportText({ format: 'solr' });
    const lines = text.split('\n').filter((l) => l.length > 0);
    const comments = lines.filter((l) => l.startsWith('#'));
    expect(comments.join('\n')).toMatch(/# build: 1\n# mode: full\n# codeVersion: .+\n# builtAt: \d{4}-.+\n# algorithm: synograph\n# exportedAt: \d{4}-/);
    const synonymLines = lines.filter((l) => !l.startsWith('#'));
    expect(synonymLines).toHaveLength(CLUSTERS.filter((c) => c.length >= 2).length);
    // kara is in toprak's line only as a comment: an equivalence line would expand every "kara" (black) query.
    expect(lines[lines.indexOf('toprak, yer') - 1]).toBe('# also through another sense: kara (3)');
    expect(synonymLines[0]).toBe('beyaz, ak');
    expect(synonymLines).toContain('kâr, kazanç');
    expect(synonymLines.at(-1)).toBe('\\#etiket, a\\,b, c\\=>d, ar&ge <"x">, ctl\u0001x, ters\\\\bölü');
    for (const line of synonymLines) {
      expect(luceneSplit(line, '=>')).toHaveLength(1);
      const terms = luceneSplit(line, ',').map((t) => luceneUnescape(t.trim()));
      expect(CLUSTERS.map((c) => c.map(([t]) => t).join('|'))).toContain(terms.join('|'));
    }
  });

  it('jsonl: one cluster a line with representative and members, readable by synograph eval', async () => {
    const text = await exportText({ format: 'jsonl' });
    const records = text.trim().split('\n').map((l) => JSON.parse(l));
    expect(records).toHaveLength(CLUSTERS.length);
    expect(records[3]).toEqual({ id: 4, representative: 'kitap', members: ['kitap', 'eser', 'yapıt'], support: [1, 0.85, 0.8], primary: [true, true, true], sense: [null, null, null], size: 3, algorithm: 'synograph', minPSynonym: 0.7, meanPSynonym: 0.85 });
    expect(records[5]).toMatchObject({ id: 6, members: ['kar'], minPSynonym: null });
    // kara is in toprak's cluster through its sense 3: listed, and marked.
    expect(records[2]).toMatchObject({ id: 3, members: ['toprak', 'yer', 'kara'], primary: [true, true, false], sense: [null, null, 3] });
    const path = join(dir, 'clusters.jsonl');
    writeFileSync(path, text);
    const clusters = await readClustersFile(path);
    const withSenses = CLUSTERS.map((c, k) => [...c.map(([t]) => t), ...ALTERNATIVES.filter((a) => a[1] === k + 1).map((a) => a[0])]);
    expect(clusters.map((c) => c.members)).toEqual(withSenses);
  });

  it('csv: every membership, RFC 4180 quoted, CRLF, other senses with is_primary 0 and their sense number', async () => {
    const text = await exportText({ format: 'csv' });
    const lines = text.split('\r\n');
    expect(lines[0]).toBe('term,cluster_id,representative,support,is_primary,sense');
    expect(lines.at(-1)).toBe('');
    expect(lines).toHaveLength(1 + CLUSTERS.flat().length + ALTERNATIVES.length + 1);
    expect(lines).toContain('kara,3,toprak,0.6,0,3');
    expect(lines).toContain('kara,2,siyah,0.8,1,1');
    expect(lines).toContain('"a,b",12,#etiket,0.9,1,');
    expect(lines).toContain('"ar&ge <""x"">",12,#etiket,0.7,1,');
    expect(lines).toContain('not defteri,8,defter,0.6,1,');
  });

  it('gexf: well-formed GEXF 1.3 of the whole graph, clusters on nodes, relation kinds and weights on edges', async () => {
    const text = await exportText({ format: 'gexf' });
    const nodes: Record<string, Record<string, string>> = {};
    const edges: Record<string, string>[] = [];
    let current: Record<string, string> | null = null;
    const parser = sax.parser(true);
    parser.onerror = (err) => {
      throw err;
    };
    parser.onopentag = (tag) => {
      const attrs = tag.attributes as Record<string, string>;
      if (tag.name === 'gexf') expect(attrs).toMatchObject({ xmlns: 'http://gexf.net/1.3', version: '1.3' });
      if (tag.name === 'node') nodes[attrs.label] = current = { ...attrs };
      if (tag.name === 'edge') edges.push((current = { ...attrs }));
      if (tag.name === 'attvalue' && current) current[attrs.for] = attrs.value;
    };
    parser.write(text).close();
    expect(Object.keys(nodes)).toHaveLength(28);
    expect(nodes.kitap.cluster).toBe('4');
    expect(nodes['ar&ge <"x">']).toMatchObject({ cluster: '12', representative: '#etiket' });
    expect(nodes.ctlx).toBeDefined();
    expect(edges).toHaveLength(17);
    const byPair = (a: string, b: string) => edges.find((e) => [e.source, e.target].sort().join() === [nodes[a].id, nodes[b].id].sort().join());
    expect(byPair('kitap', 'dergi')).toMatchObject({ relation: 'pruned', weight: '0.62', gated: 'false', p_cohyponym: '0.35' });
    expect(byPair('beyaz', 'siyah')).toMatchObject({ relation: 'antonym', cannot_link: 'true' });
    expect(byPair('ak', 'kara')).toMatchObject({ relation: 'antonym', cannot_link: 'true', origin: 'seed' });
    expect(byPair('ak', 'kara')!.weight).toBeUndefined();
  });

  it("gexf --term: one term's neighbourhood to a depth", async () => {
    const text = await exportText({ format: 'gexf', term: 'Kitaplar', depth: 1 });
    expect(text.match(/<node /g)).toHaveLength(6);
    expect(text.match(/<edge /g)).toHaveLength(6);
    expect(text).toContain('neighbourhood of &quot;kitap&quot; to depth 1');
    await expect(exportText({ format: 'gexf', term: 'yokyok' })).rejects.toThrow(/no stored term/);
    await expect(exportText({ format: 'csv', term: 'kitap' })).rejects.toThrow(/--format gexf/);
  });

  it('synograph export --out writes the file whole; bad options are usage errors', async () => {
    const run = promisify(execFile);
    const bin = join(process.cwd(), 'bin', 'synograph.js');
    const out = join(dir, 'synonyms.txt');
    const r = await run(process.execPath, [bin, 'export', '--db', file, '--format', 'solr', '--out', out]);
    expect(r.stderr).toContain('11 synonym lines');
    expect(readFileSync(out, 'utf8').split('\n').filter((l) => l && !l.startsWith('#'))).toHaveLength(11);
    await expect(run(process.execPath, [bin, 'export', '--db', file, '--format', 'xml'])).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('--format must be one of jsonl, solr, csv, gexf') });
  });
});
