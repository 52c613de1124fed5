import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createHash } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { createServer, openService } from '../src/serve/index.js';
import { expandAnswerSchema, termAnswerSchema } from '../src/serve/schemas.js';
import { buildServeFixture, CLUSTERS } from './serve-fixture.js';

let dir: string;
let file: string;
let app: FastifyInstance;
let digest: string;
const hash = () => createHash('sha256').update(readFileSync(file)).digest('hex');

beforeAll(async () => {
  ({ dir, file } = await buildServeFixture());
  digest = hash();
  app = await createServer(openService(file), { closeService: true });
});
afterAll(async () => {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

const get = (url: string) => app.inject({ method: 'GET', url });
const expand = (payload: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  app.inject({ method: 'POST', url: '/v1/expand', payload: typeof payload === 'string' || Buffer.isBuffer(payload) ? payload : JSON.stringify(payload), headers });

describe('routes', () => {
  it('GET /v1/terms/{term} answers any surface form with the cluster, senses, antonyms and edges', async () => {
    const r = await get(`/v1/terms/${encodeURIComponent('Kitaplarımızdan')}`);
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body).toMatchObject({ term: 'Kitaplarımızdan', found: true, matched: { norm: 'kitap', via: 'lemma' }, cluster: { id: 4, representative: 'kitap' } });
    expect(body.cluster.members.map((m: { term: string }) => m.term)).toEqual(['kitap', 'eser', 'yapıt']);
    expect(body.edges.find((e: { term: string }) => e.term === 'dergi')).toEqual({ term: 'dergi', pSynonym: 0.62, pAntonym: 0.03, pCohyponym: 0.35, label: 'synonym', gated: false, origin: 'model' });
    expect((await get('/v1/terms/kitap?limit=1')).json().cluster).toMatchObject({ truncated: true, members: [{ term: 'kitap' }] });
  });

  it('GET /v1/clusters/{id}, /v1/relations, /v1/graph/{term} and /healthz', async () => {
    expect((await get('/v1/clusters/2')).json()).toMatchObject({ id: 2, representative: 'siyah', members: [{ term: 'siyah', support: 1 }, { term: 'kara', support: 0.8 }] });
    expect((await get('/v1/relations?a=kâr&b=ZARAR')).json()).toMatchObject({ a: 'kâr', b: 'zarar', verdict: { label: 'antonym', origin: 'seed' }, cannotLink: { origin: 'seed' } });
    const noVerdict = await get('/v1/relations?a=kitap&b=kar');
    expect(noVerdict.statusCode).toBe(404);
    expect(noVerdict.json().message).toMatch(/no stored verdict between "kitap" and "kar"/);
    const senses = (await get('/v1/graph/kara?depth=1')).json();
    expect(senses.senses).toEqual([
      { clusterId: 2, primary: true, sense: 1, representative: 'siyah' },
      { clusterId: 3, primary: false, sense: 3, representative: 'toprak' },
      { clusterId: 7, primary: false, sense: 5, representative: 'zarar' },
    ]);
    expect(senses.nodes.find((n: { id: string }) => n.id === 'toprak')).toMatchObject({ clusterId: 3, clusters: [3], centerSense: 3, keptOut: false });
    expect(senses.nodes.find((n: { id: string }) => n.id === 'toprak').why[0]).toBe('in the same cluster as "kara" (#3, another of its senses (sense 3))');
    const g = (await get('/v1/graph/kitap?depth=1')).json();
    expect(g.nodes.find((n: { id: string }) => n.id === 'dergi').why[0]).toMatch(/below the 0.70 gate/);
    expect((await get('/healthz')).json()).toEqual({ status: 'ok', db: file, mode: 'full', algorithm: 'synograph', terms: 28, clusters: 12, relations: 16 });
  });

  it('POST /v1/expand takes terms or free text, with limit and minSupport', async () => {
    const byTerms = await expand({ terms: ['kara', 'yokyok'], limit: 2 });
    expect(byTerms.statusCode).toBe(200);
    expect(byTerms.json().results).toEqual([
      { input: 'kara', matched: { norm: 'kara', via: 'exact' }, expansions: [{ term: 'kara', weight: 1, source: 'term', clusterId: null }, { term: 'siyah', weight: 1, source: 'cluster', clusterId: 2 }] },
      { input: 'yokyok', matched: null, expansions: [] },
    ]);
    // Other senses only when asked: kara's land sense (support 0.6), discounted.
    const withSenses = (await expand({ terms: ['kara'], senses: true })).json().results[0].expansions;
    expect(withSenses.map((e: { term: string; source: string }) => `${e.term}:${e.source}`)).toEqual(['kara:term', 'siyah:cluster', 'toprak:sense', 'yer:sense']);
    expect((await expand({ terms: ['kara'], senses: 'yes' })).statusCode).toBe(400);
    const byQuery = (await expand({ query: 'beyaz kağıtlar', minSupport: 0.7 })).json().results;
    expect(byQuery.map((r: { matched: { norm: string } }) => r.matched.norm)).toEqual(['beyaz', 'kâğıt']);
    expect(byQuery[1].expansions.map((e: { term: string }) => e.term)).toEqual(['kâğıt']);
  });

  it('/openapi.json is an OpenAPI 3 document describing every route with its responses', async () => {
    const doc = (await get('/openapi.json')).json();
    expect(doc.openapi).toMatch(/^3\.\d+\.\d+$/);
    expect(doc.info).toMatchObject({ title: 'synograph', version: expect.any(String) });
    expect(Object.keys(doc.paths).sort()).toEqual(['/healthz', '/v1/clusters/{id}', '/v1/expand', '/v1/graph/{term}', '/v1/relations', '/v1/terms/{term}']);
    for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, { responses: Record<string, unknown>; parameters?: { in: string; name: string }[] }>>)) {
      for (const [method, op] of Object.entries(item)) {
        expect(['get', 'post'], `${method} ${path}`).toContain(method);
        expect(Object.keys(op.responses).length, `${method} ${path}`).toBeGreaterThan(0);
        for (const [code, response] of Object.entries(op.responses)) {
          expect(code).toMatch(/^[1-5]\d\d$/);
          expect(response).toHaveProperty('description');
        }
        for (const name of path.match(/\{(\w+)\}/g) ?? []) expect(op.parameters?.some((p) => p.in === 'path' && `{${p.name}}` === name)).toBe(true);
      }
    }
    expect(doc.paths['/v1/expand'].post.requestBody.content['application/json'].schema.properties).toHaveProperty('terms');
  });
});

/**
 * What a schema serializer writes for `value`: properties in schema order and only those, the
 * `anyOf` branch by null-ness, JSON.stringify for scalars (fast-json-stringify's string escaping
 * falls back to it; finite numbers print alike). A hand-written body must equal it byte for byte.
 */
type Schema = { type?: string | string[]; properties?: Record<string, Schema>; items?: Schema; anyOf?: Schema[] };
function bySchema(schema: Schema, value: unknown): string {
  if (schema.anyOf) return value === null ? 'null' : bySchema(schema.anyOf.find((b) => b.type !== 'null')!, value);
  if (value === null) return 'null';
  if (schema.type === 'object') {
    const o = value as Record<string, unknown>;
    return `{${Object.entries(schema.properties!).map(([k, p]) => `${JSON.stringify(k)}:${bySchema(p, o[k])}`).join(',')}}`;
  }
  if (schema.type === 'array') return `[${(value as unknown[]).map((x) => bySchema(schema.items!, x)).join(',')}]`;
  return JSON.stringify(value);
}

describe('hand-written bodies', () => {
  it('GET /v1/terms/{term} writes exactly what the schema serializer would, for every stored term and limit', async () => {
    const terms = [...CLUSTERS.flat().map(([t]) => t), 'KARA', 'kağıt', 'Kitaplarımızdan'];
    let checked = 0;
    for (const term of terms) {
      for (const query of ['', '?limit=1', '?limit=2', '?limit=500']) {
        for (let twice = 0; twice < 2; twice++) {
          // The second lookup answers from the cached cluster part.
          const r = await get(`/v1/terms/${encodeURIComponent(term)}${query}`);
          expect(r.statusCode).toBe(200);
          expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
          expect(r.body).toBe(bySchema(termAnswerSchema as Schema, JSON.parse(r.body)));
          checked++;
        }
      }
    }
    expect(checked).toBe(terms.length * 8);
    // Escapes (quotes, backslash, a control character) come out as the schema serializer writes them.
    expect((await get(`/v1/terms/${encodeURIComponent('#etiket')}`)).body).toContain(String.raw`{"term":"ar&ge <\"x\">","support":0.7,"primary":true,"sense":null},{"term":"ctl\u0001x","support":0.6,"primary":true,"sense":null},{"term":"ters\\bölü","support":0.5,"primary":true,"sense":null}`);
  });
});

describe('hand-written expansion bodies', () => {
  it('POST /v1/expand writes exactly what the schema serializer would', async () => {
    const terms = [...CLUSTERS.flat().map(([t]) => t), 'KARA', 'yokyok'];
    for (const body of [{ terms }, { terms, limit: 1 }, { terms, minSupport: 0.8 }, { query: 'beyaz kağıtlar ve #etiket, yokyok', limit: 3 }]) {
      const r = await expand(body);
      expect(r.statusCode).toBe(200);
      expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(r.body).toBe(bySchema(expandAnswerSchema as Schema, JSON.parse(r.body)));
    }
    expect((await expand({ terms: ['#etiket'] })).body).toContain(String.raw`{"term":"ctl\u0001x","weight":0.6,"source":"cluster","clusterId":12}`);
  });
});

describe('hostile input', () => {
  const clientError = (status: number) => expect(status >= 400 && status < 500, `status ${status}`).toBe(true);

  it('unknown, empty, over-long and badly encoded terms get clean 4xx JSON', async () => {
    const unknown = await get('/v1/terms/yokyok');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toEqual({ error: 'not_found', message: 'no stored term matches "yokyok"', term: 'yokyok', found: false });
    const cases: [string, number][] = [
      ['/v1/terms/', 400],
      ['/v1/terms/%20%20', 400],
      [`/v1/terms/${'a'.repeat(600)}`, 400],
      [`/v1/terms/${'a'.repeat(10_240)}`, 414],
      ['/v1/terms/%ZZ', 400],
      ['/v1/terms/%C3', 400],
      ['/v1/terms/%FF%FE', 400],
      ['/v1/terms/kitap?limit=0', 400],
      ['/v1/terms/kitap?limit=abc', 400],
      ['/v1/terms/kitap?nope=1', 400],
      ['/v1/clusters/abc', 400],
      ['/v1/clusters/0', 400],
      ['/v1/clusters/99999', 404],
      ['/v1/clusters/1e400', 400],
      ['/v1/relations?a=kitap', 400],
      [`/v1/relations?a=kitap&b=${'b'.repeat(10_240)}`, 414],
      ['/v1/graph/kitap?depth=99', 400],
      ['/v1/graph/kitap?depth=-1', 400],
      ['/v1/graph/yokyok', 404],
    ];
    for (const [url, status] of cases) {
      const r = await get(url);
      expect(r.statusCode, url.slice(0, 80)).toBe(status);
      expect(r.json(), url.slice(0, 80)).toEqual({ error: expect.any(String), message: expect.any(String) });
    }
  });

  it('SQL metacharacters are data, never SQL', async () => {
    for (const t of ["'; DROP TABLE terms; --", '" OR 1=1 --', 'kitap%', '_', '%25']) {
      const r = await get(`/v1/terms/${encodeURIComponent(t)}`);
      expect(r.statusCode, t).toBe(404);
    }
    expect((await get(`/v1/relations?a=${encodeURIComponent("x' OR '1'='1")}&b=kitap`)).statusCode).toBe(404);
    expect((await expand({ terms: ["'; DELETE FROM memberships; --"] })).json().results[0].matched).toBeNull();
    expect((await get('/healthz')).json()).toMatchObject({ terms: 28, clusters: 12 });
  });

  it('static files cannot be escaped by path traversal', async () => {
    for (const url of ['/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/%2e%2e%2f%2e%2e%2fetc%2fpasswd', '/..%2f..%2fpackage.json', '/vendor/../../package.json', '/vendor/%2e%2e%2fsigma%2fpackage.json', '/index.html/../../../etc/passwd', '/app.js%00.html', '/node_modules/sigma/package.json']) {
      const r = await get(url);
      clientError(r.statusCode);
      expect(r.body).not.toMatch(/root:|"dependencies"/);
    }
    const index = await get('/');
    expect(index.statusCode).toBe(200);
    expect(index.headers['content-type']).toMatch(/text\/html/);
  });

  it('oversize, mistyped and malformed bodies are refused', async () => {
    const big = await expand({ query: 'kitap '.repeat(20_000) });
    expect(big.statusCode).toBe(413);
    expect(big.json().error).toBe('payload_too_large');
    const wrongType = await expand('terms=kitap', { 'content-type': 'text/plain' });
    expect(wrongType.statusCode).toBe(415);
    expect((await expand('{"terms": ["kitap"', { 'content-type': 'application/json' })).statusCode).toBe(400);
    const bodies: unknown[] = [{}, { terms: [] }, { terms: 5 }, { terms: ['kitap'], query: 'kitap' }, { terms: ['kitap'], extra: 1 }, { terms: Array(65).fill('kitap') }, { terms: [''] }, { terms: ['a'.repeat(600)] }, { query: 'q'.repeat(5000) }, { query: 'kitap', limit: 0 }, { query: 'kitap', minSupport: 2 }, ['kitap'], 'null'];
    for (const b of bodies) {
      const r = await expand(b);
      expect(r.statusCode, JSON.stringify(b).slice(0, 60)).toBe(400);
      expect(r.json().error).toBe('bad_request');
    }
    // Invalid UTF-8 inside a JSON string decodes to U+FFFD: a clean answer, not a crash.
    const invalidUtf8 = await expand(Buffer.concat([Buffer.from('{"terms": ["kit'), Buffer.from([0xff, 0xfe]), Buffer.from('ap"]}')]));
    expect(invalidUtf8.statusCode).toBe(200);
    expect(invalidUtf8.json().results[0].matched).toBeNull();
  });

  it('a real listening server survives raw hostile requests, and the database file is unchanged', async () => {
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = new URL(address);
    const raw = (bytes: Buffer) =>
      new Promise<string>((resolve, reject) => {
        const socket = connect(Number(port), '127.0.0.1', () => socket.end(bytes));
        const chunks: Buffer[] = [];
        socket.on('data', (c) => chunks.push(c));
        socket.on('end', () => resolve(Buffer.concat(chunks).toString('latin1')));
        socket.on('error', reject);
      });
    const invalidUtf8Path = await raw(Buffer.concat([Buffer.from('GET /v1/terms/'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from(' HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')]));
    expect(invalidUtf8Path).toMatch(/^HTTP\/1\.1 4\d\d/);
    const garbage = await raw(Buffer.from('\x00\x01\x02 NOT HTTP\r\n\r\n'));
    expect(garbage).toMatch(/^HTTP\/1\.1 4\d\d|^$/);
    const smuggle = await raw(Buffer.from('POST /v1/expand HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 999999\r\nConnection: close\r\n\r\n{"terms":["kitap"]}'));
    expect(smuggle).toMatch(/^HTTP\/1\.1 413/);
    const ok = await fetch(`${address}/v1/terms/${encodeURIComponent('kitap')}`);
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { cluster: { members: unknown[] } }).cluster.members).toHaveLength(3);
    expect(hash()).toBe(digest);
  });
});
