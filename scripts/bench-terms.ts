/**
 * Real-term-list benchmark (issue 13): builds a database from a generated Turkish
 * legal/administrative list (scripts/generate-domain-terms.ts) and scores it against the planted
 * truth; prints JSON on stdout (progress on stderr).
 *
 *   npm run bench:terms [-- --terms 20000] [--seed 1] [--dir DIR] [--list DIR] [--db PATH]
 *       [--no-build] [--sample 40] [--threads N]
 *
 * The list is generated into --dir (default data/bench/domain-terms-N-sS) unless --list names a
 * directory already holding terms.txt and truth.json. The build is the user's command, run as a
 * child into a fresh database: `node bin/synograph.js build --terms LIST --db DB --json` (full
 * mode, builtin embedder). --no-build scores an existing database instead.
 *
 * Scores (two terms "share a cluster" when they share any membership; "primary" when both are
 * primary members of one cluster):
 * - coverage: share of the database's terms in clusters of two or more, beside its ceiling (the
 *   share the truth relates to another term of the list) and the clustered terms outside the truth;
 * - recall per planted family kind: the share of each family's member pairs sharing a cluster
 *   (micro over pairs, and the mean per family); `kenet-synonym` families (KeNet synonyms that
 *   happen to be in the list: what a full build is told) are reported apart;
 * - a precision PROXY: for each clustered member of a planted family, the share of its cluster
 *   co-members that are in its own family group or are its KeNet synonyms. Background terms have
 *   no truth, so a true synonym the generator did not plant counts against it: a proxy only; the
 *   hand-judged sample (sample.tsv, a seeded random 40 clusters of two or more) is the precision;
 * - forbidden pairs joined (must be 0): a pair is joined when any term of the first term's
 *   planted family group shares a cluster with any term of the second's; sibling pairs likewise
 *   (co-hyponyms, should be 0);
 * - the build's stage timings and wall time.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { openDb, readClusterGroups, readTermNorms } from '../src/store/index.js';
import { peakRssBytes } from '../src/util/memory.js';
import { mulberry32 } from '../src/util/random.js';
import { FORBIDDEN_KINDS, generateDomainTerms, PLANTED_FAMILY_KINDS, truthGroups, type DomainTruth, type Family, type GenerationSummary, type TruthPair } from './generate-domain-terms.js';

const round = (x: number, d = 4): number => (Number.isFinite(x) ? Number(x.toFixed(d)) : 0);
const ratio = (a: number, b: number): number => round(b === 0 ? 0 : a / b);
const log = (msg: string): void => void process.stderr.write(`[bench-terms] ${msg}\n`);
/** Joined pairs listed in full up to this many (the count is always exact). */
const LIST_CAP = 200;

interface StoredClusters {
  terms: number;
  /** Clusters of two or more distinct terms: id -> members (any sense). */
  members: Map<number, string[]>;
  /** Term -> the clusters of two or more it belongs to (any sense). */
  clustersOf: Map<string, number[]>;
  /** Term -> its primary cluster, when that cluster holds another primary member. */
  primaryOf: Map<string, number>;
  /** Term -> its primary cluster, whatever its size. */
  primaryCluster: Map<string, number>;
  present: Set<string>;
}

function readClusters(dbPath: string): StoredClusters {
  const db = openDb(dbPath, { readonly: true });
  try {
    const present = new Set(readTermNorms(db));
    const members = new Map([...readClusterGroups(db, 'any').groups].filter(([, m]) => m.length >= 2));
    const clustersOf = new Map<string, number[]>();
    for (const [id, list] of members)
      for (const term of list) {
        const own = clustersOf.get(term);
        if (own) own.push(id);
        else clustersOf.set(term, [id]);
      }
    const primaryOf = new Map<string, number>();
    const primaryCluster = new Map<string, number>();
    for (const [id, list] of readClusterGroups(db, 'primary').groups)
      for (const term of list) {
        primaryCluster.set(term, id);
        if (list.length >= 2) primaryOf.set(term, id);
      }
    return { terms: present.size, members, clustersOf, primaryOf, primaryCluster, present };
  } finally {
    db.close();
  }
}

/** The cluster two terms share (any sense), or null. */
function shared(c: StoredClusters, a: string, b: string): number | null {
  const ca = c.clustersOf.get(a);
  const cb = c.clustersOf.get(b);
  if (!ca || !cb) return null;
  return ca.find((x) => cb.includes(x)) ?? null;
}
const sharePrimary = (c: StoredClusters, a: string, b: string): boolean => c.primaryOf.has(a) && c.primaryOf.get(a) === c.primaryOf.get(b);

interface Recall {
  families: number;
  pairs: number;
  pairsAny: number;
  pairsPrimary: number;
  pairRecallAny: number;
  pairRecallPrimary: number;
  /** Mean over families of the share of their pairs sharing a cluster (any sense). */
  familyMeanAny: number;
  /** Families whose every pair shares a cluster (any sense). */
  familiesComplete: number;
  membersMissingFromDb: number;
}

function recall(c: StoredClusters, families: readonly Family[]): Recall {
  let pairs = 0;
  let any = 0;
  let primary = 0;
  let meanSum = 0;
  let complete = 0;
  let missing = 0;
  for (const f of families) {
    missing += f.members.filter((m) => !c.present.has(m)).length;
    let fp = 0;
    let fa = 0;
    for (let i = 0; i < f.members.length; i++)
      for (let j = i + 1; j < f.members.length; j++) {
        fp++;
        if (shared(c, f.members[i], f.members[j]) !== null) fa++;
        if (sharePrimary(c, f.members[i], f.members[j])) primary++;
      }
    pairs += fp;
    any += fa;
    meanSum += fp === 0 ? 0 : fa / fp;
    if (fa === fp) complete++;
  }
  return {
    families: families.length,
    pairs,
    pairsAny: any,
    pairsPrimary: primary,
    pairRecallAny: ratio(any, pairs),
    pairRecallPrimary: ratio(primary, pairs),
    familyMeanAny: ratio(meanSum, families.length),
    familiesComplete: complete,
    membersMissingFromDb: missing,
  };
}

interface Relatedness {
  group: Map<string, number>;
  groupMembers: Map<number, string[]>;
  kenet: Set<string>;
}

function relatedness(truth: DomainTruth): Relatedness {
  const group = truthGroups(truth.families);
  const groupMembers = new Map<number, string[]>();
  for (const [term, g] of group) groupMembers.set(g, [...(groupMembers.get(g) ?? []), term]);
  const kenet = new Set<string>();
  for (const f of truth.families) if (f.kind === 'kenet-synonym') for (const a of f.members) for (const b of f.members) if (a !== b) kenet.add(`${a}\u0000${b}`);
  return { group, groupMembers, kenet };
}
/** A term and the other members of its planted family group. */
const closure = (r: Relatedness, t: string): string[] => (r.group.has(t) ? r.groupMembers.get(r.group.get(t)!)! : [t]);
/**
 * One planted family group, or KeNet synonyms through any spellings of the two (`* zalim`, a
 * punctuation variant of `zalim`, is related to `gaddar`).
 */
const related = (r: Relatedness, a: string, b: string): boolean =>
  (r.group.has(a) && r.group.get(a) === r.group.get(b)) || closure(r, a).some((x) => closure(r, b).some((y) => r.kenet.has(`${x}\u0000${y}`)));

/** Precision proxy over clustered members of planted families (see the header: not a precision). */
function precisionProxy(c: StoredClusters, r: Relatedness, families: readonly Family[]) {
  const seen = new Set<string>();
  let members = 0;
  let coMembers = 0;
  let relatedCo = 0;
  let meanSum = 0;
  let primaryCo = 0;
  let primaryRelated = 0;
  for (const f of families)
    for (const m of f.members) {
      if (seen.has(m) || !c.clustersOf.has(m)) continue;
      seen.add(m);
      const co = new Set<string>();
      for (const id of c.clustersOf.get(m)!) for (const x of c.members.get(id)!) if (x !== m) co.add(x);
      const ok = [...co].filter((x) => related(r, m, x)).length;
      members++;
      coMembers += co.size;
      relatedCo += ok;
      meanSum += co.size === 0 ? 0 : ok / co.size;
      const p = c.primaryOf.get(m);
      if (p !== undefined)
        for (const x of c.members.get(p)!) {
          if (x === m || c.primaryOf.get(x) !== p) continue;
          primaryCo++;
          if (related(r, m, x)) primaryRelated++;
        }
    }
  return {
    note: 'PROXY, not precision: co-members outside the truth count as errors even when they are true synonyms the generator did not plant; judge sample.tsv by hand',
    clusteredFamilyMembers: members,
    coMembers,
    relatedCoMembers: relatedCo,
    shareAny: ratio(relatedCo, coMembers),
    meanPerMemberAny: ratio(meanSum, members),
    primaryCoMembers: primaryCo,
    sharePrimary: ratio(primaryRelated, primaryCo),
  };
}

/** Truth pairs whose two sides (extended to their planted family groups) share a cluster. */
function joinedPairs<K extends string>(c: StoredClusters, r: Relatedness, pairs: readonly TruthPair<K>[], kinds: readonly K[]) {
  const byKind = Object.fromEntries(kinds.map((k) => [k, { pairs: 0, joined: 0, joinedPrimary: 0 }])) as Record<K, { pairs: number; joined: number; joinedPrimary: number }>;
  const list: { kind: K; a: string; b: string; via: [string, string]; cluster: number }[] = [];
  let joined = 0;
  let joinedPrimary = 0;
  for (const p of pairs) {
    const k = byKind[p.kind];
    k.pairs++;
    let hit: { via: [string, string]; cluster: number } | null = null;
    let primary = false;
    for (const x of closure(r, p.a))
      for (const y of closure(r, p.b)) {
        const id = shared(c, x, y);
        if (id !== null) hit ??= { via: [x, y], cluster: id };
        if (sharePrimary(c, x, y)) primary = true;
      }
    if (hit) {
      joined++;
      k.joined++;
      if (list.length < LIST_CAP) list.push({ kind: p.kind, a: p.a, b: p.b, ...hit });
    }
    if (primary) {
      joinedPrimary++;
      k.joinedPrimary++;
    }
  }
  return { pairs: pairs.length, joined, joinedPrimary, byKind, list, listTruncated: joined > list.length };
}

function sizeHistogram(c: StoredClusters): Record<string, number> {
  const bins: [string, number][] = [['2', 2], ['3', 3], ['4-5', 5], ['6-10', 10], ['11-50', 50], ['51-150', 150], ['>150', Infinity]];
  const out: Record<string, number> = Object.fromEntries(bins.map(([k]) => [k, 0]));
  for (const m of c.members.values()) out[bins.find(([, hi]) => m.length <= hi)![0]]++;
  return out;
}

/** A seeded random sample of clusters of two or more, with what the truth says of their members. */
function writeSample(file: string, c: StoredClusters, r: Relatedness, truth: DomainTruth, size: number, seed: number): number {
  const rand = mulberry32(seed);
  const ids = [...c.members.keys()].sort((a, b) => a - b);
  for (let i = ids.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [ids[i], ids[j]] = [ids[j], ids[i]];
  }
  const chosen = ids.slice(0, size).sort((a, b) => a - b);
  const kindOf = new Map<string, string[]>();
  for (const f of truth.families) for (const m of f.members) kindOf.set(m, [...(kindOf.get(m) ?? []), f.kind]);
  const noiseOf = new Map(truth.noise.filter((n) => n.norm !== null).map((n) => [n.norm as string, n.kind]));
  const rows = ['cluster_id\tsize\tmembers\ttruth\tjudgement'];
  for (const id of chosen) {
    const list = c.members.get(id)!;
    // `[s]`: a member through another of its senses (this is not its primary cluster).
    const members = list.map((m) => (c.primaryCluster.get(m) === id ? m : `${m} [s]`)).join(' | ');
    const notes = new Set<string>();
    for (const m of list) {
      for (const k of kindOf.get(m) ?? []) notes.add(k);
      const n = noiseOf.get(m);
      if (n) notes.add(`noise:${n}`);
    }
    const groups = new Set(list.map((m) => r.group.get(m)).filter((g) => g !== undefined));
    if (groups.size > 1) notes.add(`${groups.size} family groups`);
    rows.push(`${id}\t${list.length}\t${members}\t${[...notes].join(', ')}\t`);
  }
  writeFileSync(file, rows.join('\n') + '\n');
  return chosen.length;
}

interface BuildJson {
  totalSeconds: number;
  stages: Record<string, { status: string; seconds: number }>;
}

/** Runs the user's build command into a fresh database; stdout is its JSON report. */
async function runBuild(root: string, list: string, db: string, threads: string | undefined): Promise<{ report: BuildJson; wallSeconds: number }> {
  for (const f of [db, `${db}-wal`, `${db}-shm`]) rmSync(f, { force: true });
  const args = [join(root, 'bin', 'synograph.js'), 'build', '--terms', list, '--db', db, '--json', ...(threads ? ['--threads', threads] : [])];
  log(`node ${args.join(' ')}`);
  const started = performance.now();
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  const code = await new Promise<number | null>((done, fail) => child.on('error', fail).on('close', done));
  const wallSeconds = (performance.now() - started) / 1000;
  if (code !== 0) throw new Error(`build failed (exit ${code})`);
  return { report: JSON.parse(out) as BuildJson, wallSeconds };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      terms: { type: 'string', default: '20000' },
      seed: { type: 'string', default: '1' },
      dir: { type: 'string' },
      list: { type: 'string' },
      db: { type: 'string' },
      'no-build': { type: 'boolean', default: false },
      sample: { type: 'string', default: '40' },
      threads: { type: 'string' },
    },
  });
  const terms = Number(values.terms);
  const seed = Number(values.seed);
  if (!Number.isInteger(terms) || terms < 100 || !Number.isInteger(seed)) throw new Error('--terms (>= 100) and --seed must be integers');
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const dir = resolve(values.list ?? values.dir ?? join('data', 'bench', `domain-terms-${terms}-s${seed}`));
  const db = resolve(values.db ?? join(dir, 'bench.db'));
  const listFile = join(dir, 'terms.txt');
  const truthFile = join(dir, 'truth.json');

  let generated: GenerationSummary | 'given' = 'given';
  let generationSeconds = 0;
  if (!values.list) {
    log(`generating ${terms} terms (seed ${seed}) into ${dir}`);
    const t = performance.now();
    generated = (await generateDomainTerms({ terms, seed, out: dir })).summary;
    generationSeconds = (performance.now() - t) / 1000;
  } else if (!existsSync(listFile) || !existsSync(truthFile)) throw new Error(`--list ${dir}: terms.txt and truth.json expected`);
  const truth = JSON.parse(readFileSync(truthFile, 'utf8')) as DomainTruth;

  const buildFile = join(dir, 'build.json');
  let build: { report: BuildJson; wallSeconds: number | null };
  if (values['no-build']) {
    if (!existsSync(db)) throw new Error(`--no-build: no database at ${db}`);
    build = { report: existsSync(buildFile) ? (JSON.parse(readFileSync(buildFile, 'utf8')) as BuildJson) : { totalSeconds: 0, stages: {} }, wallSeconds: null };
  } else {
    build = await runBuild(root, listFile, db, values.threads);
    writeFileSync(buildFile, JSON.stringify(build.report, null, 2) + '\n');
  }

  log('scoring');
  const scoringStarted = performance.now();
  const c = readClusters(db);
  const r = relatedness(truth);
  const planted = truth.families.filter((f) => f.kind !== 'kenet-synonym');
  const byKind = Object.fromEntries(PLANTED_FAMILY_KINDS.map((k) => [k, recall(c, planted.filter((f) => f.kind === k))]));
  const clustered = [...c.present].filter((t) => c.clustersOf.has(t)).length;
  const clusteredPrimary = [...c.present].filter((t) => c.primaryOf.has(t)).length;
  // The ceiling: terms the truth relates to another term of the list (planted or KeNet synonyms).
  const related = new Set(truth.families.flatMap((f) => f.members.filter((m) => c.present.has(m))));
  const inTruthClustered = [...related].filter((t) => c.clustersOf.has(t)).length;
  // Duplicates and same-normalised lines are other terms again: only their line count says anything.
  const noiseKinds = [...new Set(truth.noise.map((n) => n.kind))];
  const noise = Object.fromEntries(
    noiseKinds.map((k) => {
      const lines = truth.noise.filter((n) => n.kind === k).length;
      if (k === 'duplicate' || k === 'same-normalised') return [k, { lines }];
      const norms = [...new Set(truth.noise.filter((n) => n.kind === k && n.norm !== null).map((n) => n.norm as string))];
      return [k, { lines, termsInDb: norms.filter((n) => c.present.has(n)).length, clustered: norms.filter((n) => c.clustersOf.has(n)).length }];
    }),
  );
  const sampleFile = join(dir, 'sample.tsv');
  const sampled = writeSample(sampleFile, c, r, truth, Number(values.sample), seed);
  const largest = Math.max(0, ...[...c.members.values()].map((m) => m.length));

  process.stdout.write(
    JSON.stringify(
      {
        benchmark: 'terms',
        list: { dir, lines: truth.terms, seed: truth.seed, generated, generationSeconds: round(generationSeconds, 2) },
        build: {
          db,
          wallSeconds: build.wallSeconds === null ? null : round(build.wallSeconds, 1),
          totalSeconds: round(build.report.totalSeconds, 1),
          stages: Object.fromEntries(Object.entries(build.report.stages).map(([k, s]) => [k, { status: s.status, seconds: round(s.seconds, 1) }])),
        },
        database: { terms: c.terms, clustersOf2OrMore: c.members.size, largestCluster: largest, sizeHistogram: sizeHistogram(c) },
        coverage: {
          any: ratio(clustered, c.terms),
          primary: ratio(clusteredPrimary, c.terms),
          termsClusteredAny: clustered,
          termsClusteredPrimary: clusteredPrimary,
          ceiling: ratio(related.size, c.terms),
          clusteredOutsideTruth: clustered - inTruthClustered,
        },
        recall: { planted: recall(c, planted), byKind, kenetSynonym: recall(c, truth.families.filter((f) => f.kind === 'kenet-synonym')) },
        precisionProxy: precisionProxy(c, r, planted),
        forbidden: { mustBeZero: true, ...joinedPairs(c, r, truth.forbidden, FORBIDDEN_KINDS) },
        siblings: joinedPairs(c, r, truth.siblings, ['institution', 'kenet-cohyponym'] as const),
        noise,
        sample: { file: sampleFile, clusters: sampled, seed },
        scoringSeconds: round((performance.now() - scoringStarted) / 1000, 2),
        scoringPeakRssBytes: peakRssBytes(),
        cores: availableParallelism(),
        cpu: cpus()[0]?.model,
      },
      null,
      2,
    ) + '\n',
  );
}

await main();
