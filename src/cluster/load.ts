/**
 * Loading a graph for the `cluster` command: TSV edge lists with string terms (or the binary
 * format of binary.ts, detected by its magic), with bounded memory: terms are interned once in
 * one Map<string, number>, edges go into growing typed arrays.
 *
 * TSV: `a<TAB>b<TAB>confidence` (confidence in [0, 1]); cannot-links `a<TAB>b`. An optional
 * header line (first line whose confidence field is not a number) is skipped. Terms are
 * normalised with normalizeTerm. A malformed line is an InputError naming file and line.
 * Node ids are then renumbered in sorted term order, so the input line order cannot change the
 * result (ties in the algorithms break by id).
 */
import { InputError, WarningLog } from '../lexicon/diagnostics.js';
import { readLineBatches } from '../lexicon/lines.js';
import { normalizeTerm } from '../lexicon/normalize.js';
import { binaryCannotLinkSource, binaryEdgeSource, isBinaryGraph, readGraphHeader } from './binary.js';
import { buildGraph, type EdgeSource, type SynonymGraph } from './graph.js';
import { GrowableFloat32, GrowableInt32 } from '../util/growable.js';

export interface LoadedGraph {
  graph: SynonymGraph;
  /** node id -> term (normalised string; the decimal id for binary input). */
  terms: (node: number) => string;
  warnings: WarningLog;
}

class Interner {
  readonly ids = new Map<string, number>();
  readonly terms: string[] = [];
  id(term: string): number {
    let id = this.ids.get(term);
    if (id === undefined) {
      id = this.terms.length;
      this.ids.set(term, id);
      this.terms.push(term);
    }
    return id;
  }
}

interface PairLists {
  a: GrowableInt32;
  b: GrowableInt32;
  w: GrowableFloat32;
}

async function readPairs(file: string, weighted: boolean, interner: Interner, warnings: WarningLog): Promise<PairLists> {
  const out: PairLists = { a: new GrowableInt32(1 << 16), b: new GrowableInt32(1 << 16), w: new GrowableFloat32(weighted ? 1 << 16 : 4) };
  const fields = weighted ? 3 : 2;
  let first = true;
  for await (const batch of readLineBatches(file, { warnings })) {
    for (const { lineNo, text } of batch) {
      if (text.trim() === '') continue;
      const parts = text.split('\t');
      const isFirst = first;
      first = false;
      if (parts.length !== fields) throw new InputError(file, lineNo, `expected ${fields} tab-separated fields (${weighted ? 'a, b, confidence' : 'a, b'}), found ${parts.length}`);
      let w = 1;
      if (weighted) {
        const raw = parts[2].trim();
        w = Number(raw);
        if (raw === '' || !Number.isFinite(w)) {
          if (isFirst) continue; // header line
          throw new InputError(file, lineNo, `confidence "${parts[2]}" is not a number`);
        }
        if (w < 0 || w > 1) throw new InputError(file, lineNo, `confidence ${w} outside [0, 1]`);
      } else if (isFirst && /^(a|term|term_?a|source|word)$/i.test(parts[0].trim())) {
        continue; // header line of a cannot-link file
      }
      const ta = normalizeTerm(parts[0]);
      const tb = normalizeTerm(parts[1]);
      if (ta === '' || tb === '') throw new InputError(file, lineNo, 'empty term');
      out.a.push(interner.id(ta));
      out.b.push(interner.id(tb));
      if (weighted) out.w.push(w);
    }
  }
  return out;
}

/** Old id -> rank of its term in plain string order. */
function sortedRanks(terms: string[]): { rank: Int32Array; sorted: string[] } {
  const order = Array.from(terms.keys()).sort((x, y) => (terms[x] < terms[y] ? -1 : terms[x] > terms[y] ? 1 : 0));
  const rank = new Int32Array(terms.length);
  order.forEach((old, r) => (rank[old] = r));
  return { rank, sorted: order.map((i) => terms[i]) };
}

export async function loadGraph(edgesFile: string, cannotLinkFile?: string): Promise<LoadedGraph> {
  const warnings = new WarningLog();
  if (isBinaryGraph(edgesFile)) {
    if (cannotLinkFile) throw new InputError(cannotLinkFile, null, 'a binary graph carries its own cannot-links; --cannot-link goes with TSV input');
    const header = readGraphHeader(edgesFile);
    let graph: SynonymGraph;
    try {
      graph = buildGraph(header.nodeCount, binaryEdgeSource(edgesFile, header), { cannotLinks: binaryCannotLinkSource(edgesFile, header) });
    } catch (err) {
      if (err instanceof RangeError) throw new InputError(edgesFile, null, err.message);
      throw err;
    }
    return { graph, terms: (node) => String(node), warnings };
  }
  const interner = new Interner();
  const edges = await readPairs(edgesFile, true, interner, warnings);
  const links = cannotLinkFile ? await readPairs(cannotLinkFile, false, interner, warnings) : null;
  const { rank, sorted } = sortedRanks(interner.terms);
  interner.ids.clear();
  const remap = (list: GrowableInt32): Int32Array => {
    const v = list.view();
    for (let i = 0; i < v.length; i++) v[i] = rank[v[i]];
    return v;
  };
  const source = (p: PairLists, weighted: boolean): EdgeSource => {
    const a = remap(p.a);
    const b = remap(p.b);
    return () => [{ a, b, w: weighted ? p.w.view() : undefined }];
  };
  const graph = buildGraph(sorted.length, source(edges, true), links ? { cannotLinks: source(links, false) } : {});
  return { graph, terms: (node) => sorted[node], warnings };
}
