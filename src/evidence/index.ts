/**
 * Surface evidence of a term list (issue 13): spellings of one term, acronyms and compositional
 * relations of phrases, each with its rule and what it saw. Pure over arrays: the store and the
 * analyser come in through WordKnowledge.
 */
import { findAcronyms } from './acronyms.js';
import { canonicalIds, findCompositional, withExpansions, type CanonicalIds, type PairedWithin } from './compose.js';
import { surfaceKey } from './keys.js';
import { EvidenceList, EvidencePairs, winners, type Winners } from './pairs.js';
import { EVIDENCE_KINDS, LABEL_OF_KIND, SPELLING_KINDS, type Evidence, type EvidenceKind, type WordKnowledge } from './types.js';
import { findVariants, MAX_FAMILY } from './variants.js';

export { surfaceKey, asciiKey } from './keys.js';
export { wordKnowledge } from './word-knowledge.js';
export { EvidenceList } from './pairs.js';
export { EVIDENCE_KINDS, FORBIDDING, LABEL_OF_KIND, SPELLING_KINDS, type Evidence, type EvidenceKind, type LexiconWords, type WordKnowledge } from './types.js';

export interface EvidenceInput {
  /** Normalised terms. */
  terms: readonly string[];
  /** The spelling each term was first seen with (null: its normalised form). */
  originals: readonly (string | null)[];
  words: WordKnowledge;
  /** The candidate stage's pairs between the marked terms (see ComposeInput.pairedWithin). */
  pairedWithin?: PairedWithin;
}

export interface EvidenceReport {
  /** One pair per two terms (the strongest rule's), in (a, b) order. */
  evidence: EvidenceList;
  byKind: Record<EvidenceKind, number>;
  /** Variant families (two or more spellings, acronyms included) and the terms in them. */
  families: number;
  termsInFamilies: number;
  acronyms: number;
}

/** Families: union-find roots over the given pairs. */
function familiesOf(n: number, pairs: readonly { a: number; b: number }[]): Int32Array {
  const parent = new Int32Array(n);
  for (let i = 0; i < n; i++) parent[i] = i;
  const find = (x: number): number => {
    while (parent[x] !== x) x = parent[x] = parent[parent[x]];
    return x;
  };
  for (const { a, b } of pairs) {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
  for (let i = 0; i < n; i++) parent[i] = find(i);
  return parent;
}

/**
 * Completes every family of synonym evidence (spellings, acronyms, compositional names) into a
 * clique: the clusterer admits a term where more than half of a cluster are its synonyms, so
 * `aıhm` linked to the name alone would stay out of {name, `name (aihm)`}. Families stay small
 * (variants.ts MAX_FAMILY); a pair a forbidding rule speaks of is never added. An added pair is a
 * spelling only when spellings alone join its two terms (the clusterer draws spellings into one
 * node); a pair joined through a compositional synonym is compositional. Returns the pairs to add.
 */
function closeFamilies(n: number, pairs: EvidencePairs, won: Winners, surface: readonly string[]): Evidence[] {
  // The synonym pairs in the order they were first found (which one names a family's link).
  const order: number[] = [];
  for (let k = 0; k < won.index.length; k++) if (LABEL_OF_KIND[pairs.kindOf(won.index[k])] === 'synonym') order.push(k);
  order.sort((x, y) => won.first[x] - won.first[y]);
  const synonyms = order.map((k) => {
    const i = won.index[k];
    return { a: Math.min(pairs.a[i], pairs.b[i]), b: Math.max(pairs.a[i], pairs.b[i]), kind: pairs.kindOf(i) };
  });
  const spellings = synonyms.filter((e) => SPELLING_KINDS.has(e.kind));
  const root = familiesOf(n, synonyms);
  const spellingRoot = familiesOf(n, spellings);
  const members = new Map<number, number[]>();
  const kindOf = new Map<number, { a: number; b: number }>();
  for (const e of synonyms) {
    const r = root[e.a];
    const known = kindOf.get(r);
    if (!known || e.kind === 'acronym') kindOf.set(r, e);
  }
  const spellingOf = new Map<number, { a: number; b: number; kind: EvidenceKind }>();
  for (const e of spellings) {
    const r = spellingRoot[e.a];
    const known = spellingOf.get(r);
    if (!known || e.kind === 'acronym') spellingOf.set(r, e);
  }
  for (let i = 0; i < n; i++) {
    if (!kindOf.has(root[i])) continue;
    const list = members.get(root[i]);
    if (list) list.push(i);
    else members.set(root[i], [i]);
  }
  const known = pairLookup(pairs, won);
  const added: Evidence[] = [];
  for (const [r, list] of members) {
    if (list.length < 3 || list.length > MAX_FAMILY) continue;
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        if (known(list[i], list[j])) continue;
        const spelling = spellingRoot[list[i]] === spellingRoot[list[j]] ? spellingOf.get(spellingRoot[list[i]]) : undefined;
        const via = spelling ?? kindOf.get(r)!;
        const kind = spelling ? spelling.kind : 'compositional';
        added.push({ a: list[i], b: list[j], kind, detail: `one family through "${surface[via.a]}" and "${surface[via.b]}"` });
      }
    }
  }
  return added;
}

/** Whether the winners hold a pair of terms a < b: a binary search in a's run. */
function pairLookup(pairs: EvidencePairs, won: Winners): (a: number, b: number) => boolean {
  return (a, b) => {
    let lo = won.offsets[a];
    let hi = won.offsets[a + 1];
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const i = won.index[mid];
      const other = Math.max(pairs.a[i], pairs.b[i]);
      if (other === b) return true;
      if (other < b) lo = mid + 1;
      else hi = mid;
    }
    return false;
  };
}

/** The winning pairs and the added ones (new pairs, a < b), merged into (a, b) order. */
function merged(n: number, pairs: EvidencePairs, sorted: Int32Array, added: readonly Evidence[]): Int32Array {
  const extra = added.map((e, t) => ({ key: e.a * n + e.b, t })).sort((x, y) => x.key - y.key);
  const base = pairs.length;
  for (const e of added) pairs.addEvidence(e);
  const out = new Int32Array(sorted.length + added.length);
  let k = 0;
  let x = 0;
  for (const i of sorted) {
    const key = Math.min(pairs.a[i], pairs.b[i]) * n + Math.max(pairs.a[i], pairs.b[i]);
    while (x < extra.length && extra[x].key < key) out[k++] = base + extra[x++].t;
    out[k++] = i;
  }
  while (x < extra.length) out[k++] = base + extra[x++].t;
  return out;
}

export function findEvidence(input: EvidenceInput): EvidenceReport {
  const { terms, words } = input;
  const surface = terms.map(surfaceKey);
  const spellings = findVariants(terms, words, input.originals, surface);
  // The terms' word ids, read once for the acronyms' phrase index and the compositional rules.
  let plain: CanonicalIds | undefined;
  const plainIds = (): CanonicalIds => (plain ??= canonicalIds(surface, new Map()));
  const acronyms = findAcronyms(surface, input.originals, familiesOf(terms.length, spellings), words, plainIds);
  // An acronym is not a word typed without Turkish letters: `SEF` (salma eğitim fonu) is no `şef`.
  const variants = spellings.filter((e) => e.kind !== 'ascii' || !(acronyms.expansions.has(surface[e.a]) || acronyms.expansions.has(surface[e.b])));
  const families = familiesOf(terms.length, [...variants, ...acronyms.evidence]);

  const pairs = new EvidencePairs();
  for (const e of variants) pairs.addEvidence(e);
  for (const e of acronyms.evidence) pairs.addEvidence(e);
  pairs.composedDetail = findCompositional({ surface, familyOf: families, expansions: acronyms.expansions, words, pairedWithin: input.pairedWithin, canonical: withExpansions(plainIds(), surface, acronyms.expansions) }, pairs);
  // The rules below need only what findCompositional kept.
  plain = undefined;
  const won = winners(pairs, terms.length);
  const evidence = new EvidenceList(pairs, merged(terms.length, pairs, won.index, closeFamilies(terms.length, pairs, won, surface)));
  const byKind = Object.fromEntries(EVIDENCE_KINDS.map((k) => [k, 0])) as Record<EvidenceKind, number>;
  for (let k = 0; k < evidence.length; k++) byKind[evidence.kind(k)]++;
  // Family roots are term indices: a count per term, not a Map with an entry per family (every
  // lone term is one, past V8's Map limit at 17M terms).
  const size = new Int32Array(terms.length);
  for (const r of families) size[r]++;
  let familyCount = 0;
  let inFamilies = 0;
  for (const n of size) if (n >= 2) {
    familyCount++;
    inFamilies += n;
  }
  return { evidence, byKind, families: familyCount, termsInFamilies: inFamilies, acronyms: acronyms.expansions.size };
}
