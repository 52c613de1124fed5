/**
 * Versioned schema. Each migration runs once, in order, inside a transaction, and bumps
 * `PRAGMA user_version`; a database newer than this code is refused rather than guessed at.
 *
 * The tables of later stages (embeddings, candidates, relation predictions, clusters) are
 * designed here, once, so that every stage writes into a shape the others already know.
 * Pairs are stored once per unordered pair, with `a < b` by term id.
 */
import type Database from 'better-sqlite3';
import { STORED_ORIGINS, insertCandidateBlocks } from './candidate-blocks.js';

type Db = Database.Database;

export interface Migration {
  version: number;
  description: string;
  sql: string;
  /** Moves data the SQL cannot (run after it, in the same transaction). */
  data?: (db: Db) => void;
  /** Tables whose foreign keys are checked before the migration commits (it ran with them off). */
  foreignKeyCheck?: readonly string[];
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'lexicon, gold, builds and pipeline tables',
    sql: `
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

-- Every file or resource that contributed data, with what its ingest counted.
CREATE TABLE sources (
  id        INTEGER PRIMARY KEY,
  kind      TEXT NOT NULL CHECK (kind IN ('kenet', 'terms', 'pairs', 'corpus')),
  name      TEXT NOT NULL,
  path      TEXT,
  added_at  TEXT NOT NULL,
  records   INTEGER NOT NULL DEFAULT 0,
  inserted  INTEGER NOT NULL DEFAULT 0,
  warnings  TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE terms (
  id          INTEGER PRIMARY KEY,
  norm        TEXT NOT NULL UNIQUE,   -- normalizeTerm(): the identity of a term
  folded      TEXT,                   -- circumflex-folded form (kâr -> kar); NULL when equal to norm
  original    TEXT,                   -- first spelling seen; NULL when equal to norm
  lemma       TEXT,                   -- filled by the lemma stage; NULL until then
  source_id   INTEGER NOT NULL,       -- sources(id); not a declared foreign key: checked per row on the hottest insert
  external_id TEXT                    -- the user's own id, if the term list had one
);
-- NULLs keep the ingest hot path to one full index (norm) plus a small partial one.
CREATE INDEX terms_folded ON terms(folded) WHERE folded IS NOT NULL;
CREATE INDEX terms_lemma ON terms(lemma) WHERE lemma IS NOT NULL;

-- Lexical resource (KeNet or a user's thesaurus). A held-out build stores only the synsets
-- it may see, so that no later stage can read what KeNet says about held-out words.
CREATE TABLE synsets (
  id         TEXT PRIMARY KEY,
  pos        TEXT,
  source_id  INTEGER NOT NULL REFERENCES sources(id)
) WITHOUT ROWID;

-- Members by normalised form, not term id: a resource describes words whether or not they are
-- in the term list being clustered (join on terms.norm).
CREATE TABLE synset_members (
  synset_id TEXT NOT NULL REFERENCES synsets(id),
  norm      TEXT NOT NULL,
  sense     INTEGER,
  PRIMARY KEY (synset_id, norm)
) WITHOUT ROWID;
CREATE INDEX synset_members_norm ON synset_members(norm);

CREATE TABLE synset_relations (
  synset_id TEXT NOT NULL,
  type      TEXT NOT NULL,
  target_id TEXT NOT NULL,
  PRIMARY KEY (synset_id, type, target_id)
) WITHOUT ROWID;

-- Definitions and examples, of a synset (KeNet) or of a term (a user's TSV/JSONL).
CREATE TABLE definitions (
  id        INTEGER PRIMARY KEY,
  synset_id TEXT REFERENCES synsets(id),
  term_id   INTEGER REFERENCES terms(id),
  kind      TEXT NOT NULL CHECK (kind IN ('definition', 'example')),
  text      TEXT NOT NULL,
  source_id INTEGER NOT NULL REFERENCES sources(id),
  CHECK ((synset_id IS NULL) <> (term_id IS NULL))
);
CREATE INDEX definitions_synset ON definitions(synset_id) WHERE synset_id IS NOT NULL;
CREATE INDEX definitions_term ON definitions(term_id) WHERE term_id IS NOT NULL;

-- Labelled pairs by normalised form: KeNet gold (with its lexical split) and user-supplied pairs.
CREATE TABLE gold_relations (
  a         TEXT NOT NULL,
  b         TEXT NOT NULL,
  label     TEXT NOT NULL CHECK (label IN ('synonym', 'antonym', 'co-hyponym')),
  split     TEXT NOT NULL CHECK (split IN ('train', 'dev', 'test', 'crossing')),
  source_id INTEGER NOT NULL REFERENCES sources(id),
  PRIMARY KEY (a, b, source_id),
  CHECK (a < b)
) WITHOUT ROWID;

CREATE TABLE builds (
  id            INTEGER PRIMARY KEY,
  mode          TEXT NOT NULL CHECK (mode IN ('holdout', 'full')),
  split_seed    INTEGER NOT NULL,
  config        TEXT NOT NULL,        -- JSON: every option that shaped the result
  code_version  TEXT NOT NULL,
  started_at    TEXT NOT NULL,
  finished_at   TEXT,
  status        TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed'))
);

-- One row per stage run: timings, counts, and what a resumed build may skip.
CREATE TABLE build_stages (
  build_id    INTEGER NOT NULL REFERENCES builds(id),
  stage       TEXT NOT NULL,
  started_at  TEXT NOT NULL,
  finished_at TEXT,
  seconds     REAL,
  status      TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed')),
  stats       TEXT NOT NULL DEFAULT '{}',
  PRIMARY KEY (build_id, stage)
) WITHOUT ROWID;

-- Term vectors of the active embedder (model named in the build config); float32 or int8 blobs.
CREATE TABLE embeddings (
  term_id INTEGER PRIMARY KEY REFERENCES terms(id),
  vector  BLOB NOT NULL
);

CREATE TABLE candidate_edges (
  a      INTEGER NOT NULL,
  b      INTEGER NOT NULL,
  cosine REAL NOT NULL,
  PRIMARY KEY (a, b),
  CHECK (a < b)
) WITHOUT ROWID;

-- Discriminator verdicts with their probabilities, so a user can ask why an edge was kept.
CREATE TABLE relation_predictions (
  a           INTEGER NOT NULL,
  b           INTEGER NOT NULL,
  p_synonym   REAL NOT NULL,
  p_antonym   REAL NOT NULL,
  p_cohyponym REAL NOT NULL,
  label       TEXT NOT NULL CHECK (label IN ('synonym', 'antonym', 'co-hyponym')),
  gated       INTEGER NOT NULL CHECK (gated IN (0, 1)),  -- 1: kept as a synonym edge
  origin      TEXT NOT NULL CHECK (origin IN ('model', 'seed')),
  PRIMARY KEY (a, b),
  CHECK (a < b)
) WITHOUT ROWID;

CREATE TABLE cannot_links (
  a      INTEGER NOT NULL,
  b      INTEGER NOT NULL,
  origin TEXT NOT NULL CHECK (origin IN ('model', 'seed')),
  PRIMARY KEY (a, b),
  CHECK (a < b)
) WITHOUT ROWID;

CREATE TABLE clusters (
  id             INTEGER PRIMARY KEY,
  algorithm      TEXT NOT NULL,
  representative INTEGER REFERENCES terms(id),
  size           INTEGER NOT NULL,
  min_p_synonym  REAL,
  mean_p_synonym REAL
);
CREATE INDEX clusters_algorithm ON clusters(algorithm);

-- is_primary = 1: the term's one hard cluster; 0: a losing soft membership (alternative sense).
CREATE TABLE memberships (
  term_id    INTEGER NOT NULL REFERENCES terms(id),
  cluster_id INTEGER NOT NULL REFERENCES clusters(id),
  support    REAL NOT NULL,
  is_primary INTEGER NOT NULL CHECK (is_primary IN (0, 1)),
  PRIMARY KEY (term_id, cluster_id)
) WITHOUT ROWID;
CREATE INDEX memberships_cluster ON memberships(cluster_id, term_id);
`,
  },
  {
    version: 2,
    description: 'trained artifacts (the builtin embedder, classifiers)',
    sql: `
-- Models a build trained, so that later stages and the server embed or score new strings with
-- exactly the model the database was built with. Arrays are stored as raw little-endian blobs.
CREATE TABLE artifacts (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL,
  part       TEXT NOT NULL,
  kind       TEXT NOT NULL,
  meta       TEXT NOT NULL DEFAULT '{}',
  data       BLOB,
  created_at TEXT NOT NULL,
  UNIQUE (name, part)
);
`,
  },
  {
    version: 3,
    description: 'term provenance line',
    sql: `
-- Line of the term's first occurrence in its source file: provenance, and how an ingest finds
-- which later lines were duplicates without a per-row lookup.
ALTER TABLE terms ADD COLUMN source_line INTEGER;
`,
  },
  {
    version: 4,
    description: 'reverse pair lookups for serving',
    sql: `
-- Pairs are stored once with a < b, so "every verdict touching term t" needs the b side too:
-- without these a lookup scans the whole table (a 15M-term build's tens of millions of pairs).
-- In a WITHOUT ROWID table an index on (b) also carries a, so each lookup is one range scan.
CREATE INDEX relation_predictions_b ON relation_predictions(b);
CREATE INDEX cannot_links_b ON cannot_links(b);
`,
  },
  {
    version: 5,
    description: 'sense of each membership',
    sql: `
-- Clusters are made of senses (a word belongs to a cluster through one of its senses): the
-- lexicon's sense number of the membership (TDK numbers senses by frequency, 1 the most
-- common), NULL for a sense induced from the neighbourhood or a word with no numbered sense.
ALTER TABLE memberships ADD COLUMN sense INTEGER;
`,
  },
  {
    version: 6,
    description: 'surface evidence between terms',
    sql: `
-- What the evidence stage read off the term list itself (src/evidence): spellings of one term,
-- acronyms, compositional relations of phrases, and phrases that must never share a cluster
-- (a number, a negation). One row per pair, the strongest rule; the relations stage turns them
-- into seeds and cannot-links, and a user can read why two terms were joined or kept apart.
CREATE TABLE term_evidence (
  a      INTEGER NOT NULL,
  b      INTEGER NOT NULL,
  kind   TEXT NOT NULL,
  detail TEXT NOT NULL,
  PRIMARY KEY (a, b),
  CHECK (a < b)
) WITHOUT ROWID;
CREATE INDEX term_evidence_b ON term_evidence(b);
`,
  },
  {
    version: 7,
    description: 'interrupted builds and superseded stage records',
    // SQLite cannot change a CHECK in place: each table is copied into a new one (migrate()
    // runs migrations with foreign keys off and checks them before committing).
    sql: `
-- A build stopped by a signal, or found 'running' by a later build after its process died, is
-- 'interrupted'. A stage's 'done' record is 'superseded' when a later run of that stage, or of a
-- stage it reads, starts rewriting the tables it describes: only records that still describe the
-- data in the tables are 'done', so only they let a later build skip the stage.
CREATE TABLE builds_v7 (
  id            INTEGER PRIMARY KEY,
  mode          TEXT NOT NULL CHECK (mode IN ('holdout', 'full')),
  split_seed    INTEGER NOT NULL,
  config        TEXT NOT NULL,
  code_version  TEXT NOT NULL,
  started_at    TEXT NOT NULL,
  finished_at   TEXT,
  status        TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed', 'interrupted'))
);
INSERT INTO builds_v7 SELECT id, mode, split_seed, config, code_version, started_at, finished_at, status FROM builds;
CREATE TABLE build_stages_v7 (
  build_id    INTEGER NOT NULL REFERENCES builds(id),
  stage       TEXT NOT NULL,
  started_at  TEXT NOT NULL,
  finished_at TEXT,
  seconds     REAL,
  status      TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed', 'interrupted', 'superseded')),
  stats       TEXT NOT NULL DEFAULT '{}',
  PRIMARY KEY (build_id, stage)
) WITHOUT ROWID;
INSERT INTO build_stages_v7 SELECT build_id, stage, started_at, finished_at, seconds, status, stats FROM build_stages;
DROP TABLE build_stages;
DROP TABLE builds;
ALTER TABLE builds_v7 RENAME TO builds;
ALTER TABLE build_stages_v7 RENAME TO build_stages;
`,
    foreignKeyCheck: ['build_stages'],
  },
  {
    version: 8,
    description: 'independent knowledge: bilingual dictionaries and WordNet antonymy',
    sql: `
-- What the knowledge stage read from dictionaries that are not KeNet (issue 11), kept for the
-- build's terms only, with provenance: the dictionary (source), its foreign headword and sense
-- ('0' when it gives none). Two terms of one sense, or of one headword in several languages,
-- become candidates; the discriminator reads how much their translations overlap.
CREATE TABLE knowledge_translations (
  term     TEXT NOT NULL,
  source   TEXT NOT NULL,
  headword TEXT NOT NULL,
  sense    TEXT NOT NULL,
  PRIMARY KEY (term, source, headword, sense)
) WITHOUT ROWID;
-- Foreign headwords a source makes opposites (WordNet's antonymy between English words).
CREATE TABLE knowledge_opposites (
  a      TEXT NOT NULL,
  b      TEXT NOT NULL,
  source TEXT NOT NULL,
  kind   TEXT NOT NULL,
  PRIMARY KEY (a, b, source),
  CHECK (a < b)
) WITHOUT ROWID;
-- Why a pair is a candidate: the embedding's neighbours ('knn') or the knowledge ('knowledge').
ALTER TABLE candidate_edges ADD COLUMN origin TEXT NOT NULL DEFAULT 'knn';
`,
  },
  {
    version: 9,
    description: 'candidate pairs in blocks',
    sql: `
-- The candidate pairs, sorted by (a, b) with a < b, in blocks of up to 8,192: each column a
-- little-endian array (a, b: int32 term ids; cosine: float32; origin: uint8, 0 = 'knn' and
-- 1 = 'knowledge'). A row per pair took 28 bytes and was read at a pair per SQLite step; every
-- later stage reads all of them, hundreds of millions at the paper's scale (src/store/candidates.ts).
CREATE TABLE candidate_blocks (
  seq     INTEGER PRIMARY KEY,
  n       INTEGER NOT NULL CHECK (n > 0),
  first_a INTEGER NOT NULL,
  first_b INTEGER NOT NULL,
  last_a  INTEGER NOT NULL,
  last_b  INTEGER NOT NULL,
  max_b   INTEGER NOT NULL,
  a       BLOB NOT NULL,
  b       BLOB NOT NULL,
  cosine  BLOB NOT NULL,
  origin  BLOB NOT NULL
);
CREATE INDEX candidate_blocks_first ON candidate_blocks(first_a, first_b);
`,
    data: (db) => {
      moveCandidateRows(db);
      db.exec('DROP TABLE candidate_edges');
    },
  },
  {
    version: 10,
    description: 'candidate blocks stored shorter',
    sql: `
-- No table changes: a block's a column may now be runs (term id, count) when that is shorter (its
-- length, 8 bytes a run, tells it from n int32s), and its origin column empty when every pair is
-- 'knn' (src/store/candidate-blocks.ts). Blocks written before still read as they are. An older
-- synograph would fail on the new ones with a bare length error; the version tells it to upgrade.
`,
  },
];

/** Copies candidate_edges into candidate_blocks, a page of rows at a time. */
function moveCandidateRows(db: Db): void {
  const PAGE = 1 << 20;
  const page = db.prepare('SELECT a, b, cosine, origin FROM candidate_edges WHERE (a, b) > (?, ?) ORDER BY a, b LIMIT ?').raw();
  const names = [...STORED_ORIGINS] as string[];
  let lastA = -1;
  let lastB = -1;
  for (;;) {
    const rows = page.all(lastA, lastB, PAGE) as [number, number, number, string][];
    if (rows.length === 0) return;
    const n = rows.length;
    const a = new Int32Array(n);
    const b = new Int32Array(n);
    const cosine = new Float32Array(n);
    const origin = new Uint8Array(n);
    rows.forEach(([x, y, c, o], i) => {
      a[i] = x;
      b[i] = y;
      cosine[i] = c;
      let code = names.indexOf(o);
      if (code < 0) code = names.push(o) - 1; // refused by insertCandidateBlocks, naming the origin
      origin[i] = code;
    });
    insertCandidateBlocks(db, { a, b, cosine, origin, originNames: names, length: n });
    [lastA, lastB] = rows[n - 1];
  }
}

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;
