/**
 * Surface evidence of a term list (issue 13): spellings of one term, acronyms and compositional
 * relations of phrases, each with its rule and what it saw. Pure over arrays: the store and the
 * analyser come in through WordKnowledge.
 */
import { findAcronyms } from './acronyms.js';
import { findCompositional, type PairedWithin } from './compose.js';
import { surfaceKey } from './keys.js';
import { EVIDENCE_KINDS, FORBIDDING, LABEL_OF_KIND, SPELLING_KINDS, type Evidence, type EvidenceKind, type WordKnowledge } from './types.js';
import { findVariants, MAX_FAMILY } from './variants.js';

export { surfaceKey, asciiKey } from './keys.js';
export { wordKnowledge } from './word-knowledge.js';
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
  evidence: Evidence[];
  byKind: Record<EvidenceKind, number>;
  /** Variant families (two or more spellings, acronyms included) and the terms in them. */
  families: number;
  termsInFamilies: number;
  acronyms: number;
}

/** Families: union-find roots over the given pairs. */
function familiesOf(n: number, pairs: readonly Evidence[]): Int32Array {
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

/** Which evidence wins for one pair: a forbidding rule over any other, spellings over composition, siblings last. */
function rank(kind: EvidenceKind): number {
  if (FORBIDDING.has(kind)) return 0;
  return kind === 'sibling' ? 2 : 1;
}

/**
 * Completes every family of synonym evidence (spellings, acronyms, compositional names) into a
 * clique: the clusterer admits a term where more than half of a cluster are its synonyms, so
 * `aıhm` linked to the name alone would stay out of {name, `name (aihm)`}. Families stay small
 * (variants.ts MAX_FAMILY); a pair a forbidding rule speaks of is never added. An added pair is a
 * spelling only when spellings alone join its two terms (the clusterer draws spellings into one
 * node); a pair joined through a compositional synonym is compositional.
 */
function closeFamilies(n: number, best: Map<string, Evidence>, surface: readonly string[]): void {
  const synonyms = [...best.values()].filter((e) => LABEL_OF_KIND[e.kind] === 'synonym');
  const spellings = synonyms.filter((e) => SPELLING_KINDS.has(e.kind));
  const root = familiesOf(n, synonyms);
  const spellingRoot = familiesOf(n, spellings);
  const members = new Map<number, number[]>();
  const kindOf = new Map<number, Evidence>();
  for (const e of synonyms) {
    const r = root[e.a];
    const known = kindOf.get(r);
    if (!known || e.kind === 'acronym') kindOf.set(r, e);
  }
  const spellingOf = new Map<number, Evidence>();
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
  for (const [r, list] of members) {
    if (list.length < 3 || list.length > MAX_FAMILY) continue;
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const key = `${list[i]},${list[j]}`;
        if (best.has(key)) continue;
        const spelling = spellingRoot[list[i]] === spellingRoot[list[j]] ? spellingOf.get(spellingRoot[list[i]]) : undefined;
        const via = spelling ?? kindOf.get(r)!;
        const kind = spelling ? spelling.kind : 'compositional';
        best.set(key, { a: list[i], b: list[j], kind, detail: `one family through "${surface[via.a]}" and "${surface[via.b]}"` });
      }
    }
  }
}

export function findEvidence(input: EvidenceInput): EvidenceReport {
  const { terms, words } = input;
  const surface = terms.map(surfaceKey);
  const spellings = findVariants(terms, words, input.originals);
  const acronyms = findAcronyms(surface, input.originals, familiesOf(terms.length, spellings), words);
  // An acronym is not a word typed without Turkish letters: `SEF` (salma eğitim fonu) is no `şef`.
  const variants = spellings.filter((e) => e.kind !== 'ascii' || !(acronyms.expansions.has(surface[e.a]) || acronyms.expansions.has(surface[e.b])));
  const families = familiesOf(terms.length, [...variants, ...acronyms.evidence]);
  const composed = findCompositional({ surface, familyOf: families, expansions: acronyms.expansions, words, pairedWithin: input.pairedWithin });

  const best = new Map<string, Evidence>();
  for (const e of [...variants, ...acronyms.evidence, ...composed]) {
    const [a, b] = e.a < e.b ? [e.a, e.b] : [e.b, e.a];
    const key = `${a},${b}`;
    const known = best.get(key);
    if (!known || rank(e.kind) < rank(known.kind)) best.set(key, { ...e, a, b });
  }
  closeFamilies(terms.length, best, surface);
  const evidence = [...best.values()].sort((x, y) => x.a - y.a || x.b - y.b);
  const byKind = Object.fromEntries(EVIDENCE_KINDS.map((k) => [k, 0])) as Record<EvidenceKind, number>;
  for (const e of evidence) byKind[e.kind]++;
  const size = new Map<number, number>();
  for (const r of families) size.set(r, (size.get(r) ?? 0) + 1);
  let familyCount = 0;
  let inFamilies = 0;
  for (const n of size.values()) if (n >= 2) {
    familyCount++;
    inFamilies += n;
  }
  return { evidence, byKind, families: familyCount, termsInFamilies: inFamilies, acronyms: acronyms.expansions.size };
}
