import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { rmSync } from 'node:fs';
import { openService, QueryInputError, ServeReader, tokenize, type SynonymService } from '../src/serve/index.js';
import { buildServeFixture } from './serve-fixture.js';
import { openDb, runStage, startBuild } from '../src/store/index.js';

let dir: string;
let service: SynonymService;
beforeAll(async () => {
  const fixture = await buildServeFixture();
  dir = fixture.dir;
  service = openService(fixture.file);
});
afterAll(() => {
  service.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('term lookup', () => {
  it('finds a term by its normalised, circumflex-folded or lemmatised form, the exact spelling first', () => {
    expect(service.query.term('İSTANBUL')).toBeNull();
    expect(service.query.term('  KİTAP ')!.matched).toEqual({ norm: 'kitap', via: 'exact' });
    expect(service.query.term('Kitaplarımızdan')!.matched).toEqual({ norm: 'kitap', via: 'lemma' });
    expect(service.query.term('kağıt')!.matched).toEqual({ norm: 'kâğıt', via: 'folded' });
    // kâr (profit) and kar (snow) are both stored: each spelling finds its own word.
    expect(service.query.term('kar')!.cluster!.members.map((m) => m.term)).toEqual(['kar']);
    expect(service.query.term('KÂR')!.cluster!.members.map((m) => m.term)).toEqual(['kâr', 'kazanç']);
  });

  it("returns the term's cluster, alternative senses, antonyms and the provenance of every edge", () => {
    const kara = service.query.term('kara')!;
    expect(kara.primarySense).toBe(1);
    expect(kara.cluster).toMatchObject({ id: 2, representative: 'siyah', size: 2, truncated: false, members: [{ term: 'siyah', support: 1, primary: true, sense: 1 }, { term: 'kara', support: 0.8, primary: true, sense: 1 }] });
    // Its other senses in the lexicon's order, each cluster listing kara as there through that sense.
    expect(kara.alternativeSenses).toEqual([
      { clusterId: 3, support: 0.6, sense: 3, representative: 'toprak', members: [{ term: 'toprak', support: 1, primary: true, sense: null }, { term: 'yer', support: 0.7, primary: true, sense: null }, { term: 'kara', support: 0.6, primary: false, sense: 3 }] },
      { clusterId: 7, support: 0.3, sense: 5, representative: 'zarar', members: [{ term: 'zarar', support: 1, primary: true, sense: null }, { term: 'ziyan', support: 0.75, primary: true, sense: null }, { term: 'kara', support: 0.3, primary: false, sense: 5 }] },
    ]);
    // A cluster lists kara among its members, marked as there through another sense.
    expect(service.query.term('toprak')!.cluster!.members.map((m) => `${m.term}:${m.primary}`)).toEqual(['toprak:true', 'yer:true', 'kara:false']);
    expect(kara.antonyms).toEqual([{ term: 'ak', pAntonym: null, origin: 'seed', cannotLink: true }]);
    const beyaz = service.query.term('beyaz')!;
    expect(beyaz.antonyms).toEqual([{ term: 'siyah', pAntonym: 0.85, origin: 'model', cannotLink: true }]);
    expect(beyaz.edges).toEqual([
      { term: 'ak', pSynonym: 0.95, pAntonym: 0.02, pCohyponym: 0.03, label: 'synonym', gated: true, origin: 'seed' },
      { term: 'siyah', pSynonym: 0.05, pAntonym: 0.85, pCohyponym: 0.1, label: 'antonym', gated: false, origin: 'model' },
    ]);
  });

  it('cuts members at the limit and says so; refuses empty and over-long terms', () => {
    const c = service.query.term('kitap', { limit: 2 })!.cluster!;
    expect(c.members).toHaveLength(2);
    expect(c).toMatchObject({ size: 3, truncated: true });
    expect(() => service.query.term('   ')).toThrow(QueryInputError);
    expect(() => service.query.term('a'.repeat(600))).toThrow(/longer than 512/);
  });

  it('answers the stored verdict between two terms, and null when nothing is stored', () => {
    expect(service.query.relation('Siyah', 'beyaz')).toEqual({ a: 'siyah', b: 'beyaz', verdict: { pSynonym: 0.05, pAntonym: 0.85, pCohyponym: 0.1, label: 'antonym', gated: false, origin: 'model' }, cannotLink: { origin: 'seed' } });
    expect(service.query.relation('ak', 'kara')).toMatchObject({ verdict: null, cannotLink: { origin: 'seed' } });
    expect(service.query.relation('kitap', 'kar')).toBeNull();
    expect(service.query.relation('kitap', 'yokyok')).toEqual({ unknown: 'yokyok' });
  });
});

describe('read snapshots', () => {
  it('answers inside one shared read transaction, ended after a short window or on release, even when the input is refused', async () => {
    service.reader.release();
    expect(service.db.inTransaction).toBe(false);
    let inside = false;
    expect(service.reader.snapshot(() => (inside = service.db.inTransaction))).toBe(true);
    expect(inside).toBe(true);
    expect(service.query.term('kara')!.cluster!.id).toBe(2);
    expect(service.expander.expandTerms(['kara', 'yokyok'])).toHaveLength(2);
    expect(() => service.query.term('   ')).toThrow(QueryInputError);
    expect(() => service.expander.expandTerms(['kara'], { limit: 0 })).toThrow(QueryInputError);
    expect(service.db.inTransaction).toBe(true);
    service.reader.release();
    expect(service.db.inTransaction).toBe(false);
    // The window closes by itself.
    expect(service.query.term('kitap')!.matched.norm).toBe('kitap');
    expect(service.db.inTransaction).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(service.db.inTransaction).toBe(false);
    // Inside a transaction opened by someone else, an answer simply reads in it.
    service.db.transaction(() => expect(service.query.term('kitap')!.cluster!.id).toBe(4))();
    expect(service.db.inTransaction).toBe(false);
  });

  it('retries the release while a statement is still iterating', () => {
    service.reader.release();
    service.query.term('kara');
    const it = service.db.prepare('SELECT id FROM terms').pluck().iterate();
    it.next();
    service.reader.release();
    expect(service.db.inTransaction).toBe(true);
    it.return!();
    service.reader.release();
    expect(service.db.inTransaction).toBe(false);
  });
});

describe('cluster cache', () => {
  it("serves only the chosen algorithm's memberships, from cached cluster rows", () => {
    const kara = service.reader.termByNorm('kara')!;
    expect(service.reader.memberships(kara.id).map((m) => [m.clusterId, m.primary, m.cluster.representative])).toEqual([[2, true, 'siyah'], [3, false, 'toprak'], [7, false, 'zarar']]);
    const hits = service.reader.clusterCache.hits;
    expect(service.reader.memberships(kara.id)).toHaveLength(3);
    expect(service.reader.clusterCache.hits).toBe(hits + 3);
    // Another algorithm's reader sees the same cluster rows but no membership of its own.
    const other = new ServeReader(service.db, 'other-algorithm');
    expect(other.memberships(kara.id)).toEqual([]);
    expect(other.cluster(2)?.representative).toBe('siyah');
    expect(other.cluster(999)).toBeUndefined();
  });
});

describe('indexes', () => {
  it('finds the verdicts and cannot-links on the b side of a pair through an index, never a table scan', () => {
    for (const table of ['relation_predictions', 'cannot_links']) {
      const plan = (service.db.prepare(`EXPLAIN QUERY PLAN SELECT * FROM ${table} WHERE b = ?`).all(1) as { detail: string }[]).map((r) => r.detail).join(' ');
      expect(plan).toMatch(new RegExp(`SEARCH ${table} USING (COVERING )?INDEX ${table}_b`));
    }
  });
});

describe('expansion', () => {
  it('tokenises free text: Turkish case, apostrophe suffixes, hyphenated words', () => {
    expect(tokenize("İstanbul'da AR-GE, kitaplar!")).toEqual(['istanbul', 'ar-ge', 'kitaplar']);
  });

  it('expands through the primary sense only, other senses when asked (discounted, never a weak one), never an antonym', () => {
    const [kara] = service.expander.expandTerms(['KARA']);
    expect(kara.matched).toEqual({ norm: 'kara', via: 'exact' });
    expect(kara.expansions).toEqual([
      { term: 'kara', weight: 1, source: 'term', clusterId: null },
      { term: 'siyah', weight: 1, source: 'cluster', clusterId: 2 },
    ]);
    // Asked for senses: land (support 0.6) at half its weight; loss (support 0.3) is too weak to use.
    expect(service.expander.expandTerms(['kara'], { senses: true })[0].expansions).toEqual([
      { term: 'kara', weight: 1, source: 'term', clusterId: null },
      { term: 'siyah', weight: 1, source: 'cluster', clusterId: 2 },
      { term: 'toprak', weight: 0.3, source: 'sense', clusterId: 3 },
      { term: 'yer', weight: 0.21, source: 'sense', clusterId: 3 },
    ]);
    // toprak's cluster holds kara through its sense 3: a plain expansion of toprak leaves it out.
    expect(service.expander.expandTerms(['toprak'])[0].expansions.map((e) => e.term)).toEqual(['toprak', 'yer']);
    expect(service.expander.expandTerms(['toprak'], { senses: true })[0].expansions.map((e) => `${e.term}:${e.source}`)).toEqual(['toprak:term', 'yer:cluster', 'kara:sense']);
    expect(service.expander.expandTerms(['kara'], { minSupport: 0.5, limit: 1 })[0].expansions.map((e) => e.term)).toEqual(['kara']);
    for (const r of service.expander.expandTerms(['beyaz', 'kâr', 'ak'])) {
      const terms = r.expansions.map((e) => e.term);
      for (const bad of ['siyah', 'zarar', 'kara']) expect(terms).not.toContain(bad);
    }
  });

  it('reads free text, matching the longest stored phrase and lemmatising inflected words', () => {
    const results = service.expander.expandQuery('Not defteri ve kitaplarımızdan');
    expect(results.map((r) => [r.input, r.matched?.norm ?? null])).toEqual([
      ['not defteri', 'not defteri'],
      ['ve', null],
      ['kitaplarımızdan', 'kitap'],
    ]);
    expect(results[0].expansions.map((e) => e.term)).toEqual(['not defteri', 'defter']);
  });
});

describe('neighbourhood graph', () => {
  it('colours edges by relation and says why each neighbour was kept out', () => {
    const g = service.graph.neighbourhood('kitap')!;
    const kind = Object.fromEntries(g.edges.filter((e) => e.source === 'kitap' || e.target === 'kitap').map((e) => [e.source === 'kitap' ? e.target : e.source, e.kind]));
    expect(kind).toEqual({ eser: 'synonym', yapıt: 'synonym', cilt: 'synonym', dergi: 'pruned', defter: 'co-hyponym' });
    const node = Object.fromEntries(g.nodes.map((n) => [n.id, n]));
    expect(node.kitap.center).toBe(true);
    expect(node.eser.keptOut).toBe(false);
    expect(node.dergi.why.join(' ')).toMatch(/P\(synonym\) 0\.62 is below the 0\.70 gate/);
    expect(node.defter.why.join(' ')).toMatch(/labelled co-hyponym/);
    expect(node.cilt.why.join(' ')).toMatch(/clustered elsewhere: cluster #10/);
    // The edge between two neighbours is there too.
    expect(g.edges.some((e) => [e.source, e.target].sort().join() === 'eser,yapıt')).toBe(true);
  });

  it('shows antonyms and cannot-links, and follows them to the given depth', () => {
    const g = service.graph.neighbourhood('beyaz', { depth: 2 })!;
    const siyah = g.nodes.find((n) => n.id === 'siyah')!;
    expect(siyah.why.join(' ')).toMatch(/cannot-link.*labelled antonym/);
    expect(g.edges.find((e) => e.id.includes('-') && [e.source, e.target].includes('siyah') && [e.source, e.target].includes('beyaz'))).toMatchObject({ kind: 'antonym', cannotLink: true });
    expect(g.nodes.find((n) => n.id === 'kara')).toMatchObject({ depth: 2, keptOut: true });
    expect(service.graph.neighbourhood('beyaz', { depth: 0 })!.nodes.map((n) => n.id)).toEqual(['beyaz']);
    expect(() => service.graph.neighbourhood('beyaz', { depth: 9 })).toThrow(QueryInputError);
  });
});

describe('the gate a database was built with', () => {
  it('judges edges against the stored gate, not a constant', async () => {
    const fixture = await buildServeFixture();
    try {
      // A relations stage recorded with --gate 0.6: dergi's P(synonym) 0.62 passes it.
      const db = openDb(fixture.file);
      const buildId = startBuild(db, { mode: 'full', split: { seed: 42, train: 0.6, dev: 0.1 } }, {});
      await runStage(db, buildId, 'relations', 'gate-0.6', async () => ({ gate: 0.6 }));
      db.close();
      const gated = openService(fixture.file);
      try {
        expect(gated.reader.gate).toBe(0.6);
        const g = gated.graph.neighbourhood('kitap')!;
        expect(g.gate).toBe(0.6);
        expect(g.nodes.find((n) => n.id === 'dergi')!.why.join(' ')).not.toMatch(/below the/);
      } finally {
        gated.close();
      }
      expect(service.reader.gate).toBe(0.7); // no relations stage recorded: the default
    } finally {
      rmSync(fixture.dir, { recursive: true, force: true });
    }
  });
});
