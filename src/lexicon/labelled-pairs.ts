/**
 * The labelled pairs a lexical resource gives (KeNet's format): synsets with >= 2 literals,
 * synonym / antonym / co-hyponym pairs, and each pair's lexical split. The pipeline learns from
 * them (what a build may see of the resource) and evaluation scores against them (the gold):
 * one derivation for both (docs/evaluation.md, "Gold").
 */
import type { KenetSynset } from './kenet.js';
import type { Cluster, RelationLabel } from '../types.js';
import { hash32, mulberry32 } from '../util/random.js';
import { pairSplit, type PairSplit, type SplitConfig } from '../split.js';

export interface GoldOptions {
  split: SplitConfig;
  /** Most co-hyponym pairs sampled under one direct hypernym, so huge families do not dominate. */
  cohyponymCap: number;
}

export const DEFAULT_COHYPONYM_CAP = 100;

export interface GoldPair {
  a: string;
  b: string;
  label: RelationLabel;
  split: PairSplit;
}

export interface Gold {
  options: GoldOptions;
  /** KeNet synsets with >= 2 distinct normalised literals. */
  synsets: Cluster[];
  /** One label per unordered pair (a < b); synonym wins over antonym, antonym over co-hyponym. */
  pairs: GoldPair[];
  /** Every normalised KeNet literal. */
  vocabulary: Set<string>;
  /** Words in >= 2 KeNet synsets. */
  polysemous: Set<string>;
}

function ordered(x: string, y: string): [string, string] {
  return x < y ? [x, y] : [y, x];
}

function distinctLiterals(s: KenetSynset): string[] {
  return [...new Set(s.literals.map((l) => l.norm))].sort();
}

export function buildGold(synsets: readonly KenetSynset[], options: GoldOptions): Gold {
  const labels = new Map<string, { a: string; b: string; label: RelationLabel }>();
  const add = (x: string, y: string, label: RelationLabel): void => {
    if (x === y) return;
    const [a, b] = ordered(x, y);
    const key = `${a}\u0000${b}`;
    if (!labels.has(key)) labels.set(key, { a, b, label });
  };

  const literalsOf = new Map<string, string[]>();
  const vocabulary = new Set<string>();
  const senses = new Map<string, number>();
  for (const s of synsets) {
    const lits = distinctLiterals(s);
    literalsOf.set(s.id, lits);
    for (const w of lits) {
      vocabulary.add(w);
      senses.set(w, (senses.get(w) ?? 0) + 1);
    }
  }

  // Precedence by insertion order: synonyms first, then antonyms, then co-hyponyms.
  const goldSynsets: Cluster[] = [];
  for (const s of synsets) {
    const lits = literalsOf.get(s.id) ?? [];
    if (lits.length < 2) continue;
    goldSynsets.push({ id: s.id, members: lits });
    for (let i = 0; i < lits.length; i++) for (let j = i + 1; j < lits.length; j++) add(lits[i], lits[j], 'synonym');
  }

  for (const s of synsets) {
    for (const r of s.relations) {
      if (r.type !== 'ANTONYM') continue;
      const other = literalsOf.get(r.target);
      if (!other) continue;
      for (const x of literalsOf.get(s.id) ?? []) for (const y of other) add(x, y, 'antonym');
    }
  }

  const children = new Map<string, string[]>();
  for (const s of synsets) {
    for (const r of s.relations) {
      if (r.type !== 'HYPERNYM' || !literalsOf.has(r.target)) continue;
      let list = children.get(r.target);
      if (!list) children.set(r.target, (list = []));
      list.push(s.id);
    }
  }
  for (const hypernym of [...children.keys()].sort()) {
    const kids = [...new Set(children.get(hypernym))].sort();
    if (kids.length < 2) continue;
    for (const [x, y] of sampleSiblingPairs(kids.map((k) => literalsOf.get(k) ?? []), options.cohyponymCap, hash32(hypernym, options.split.seed))) {
      add(x, y, 'co-hyponym');
    }
  }

  const pairs: GoldPair[] = [];
  for (const { a, b, label } of labels.values()) pairs.push({ a, b, label, split: pairSplit(a, b, options.split) });
  const polysemous = new Set<string>();
  for (const [w, n] of senses) if (n >= 2) polysemous.add(w);
  return { options, synsets: goldSynsets, pairs, vocabulary, polysemous };
}

/**
 * Up to `cap` distinct literal pairs drawn from different sibling synsets: all of them when there
 * are few enough, otherwise a seeded uniform sample over literal occurrences.
 */
function sampleSiblingPairs(siblings: readonly string[][], cap: number, seed: number): [string, string][] {
  const occurrences: { child: number; word: string }[] = [];
  siblings.forEach((lits, child) => lits.forEach((word) => occurrences.push({ child, word })));
  let total = 0;
  let seen = 0;
  for (const lits of siblings) {
    total += seen * lits.length;
    seen += lits.length;
  }
  const out: [string, string][] = [];
  if (total <= cap) {
    for (let i = 0; i < occurrences.length; i++)
      for (let j = i + 1; j < occurrences.length; j++)
        if (occurrences[i].child !== occurrences[j].child) out.push([occurrences[i].word, occurrences[j].word]);
    return out;
  }
  const rand = mulberry32(seed);
  const taken = new Set<string>();
  for (let attempts = 0; out.length < cap && attempts < cap * 50; attempts++) {
    const i = Math.floor(rand() * occurrences.length);
    const j = Math.floor(rand() * occurrences.length);
    if (occurrences[i].child === occurrences[j].child) continue;
    const [a, b] = ordered(occurrences[i].word, occurrences[j].word);
    const key = `${a}\u0000${b}`;
    if (a === b || taken.has(key)) continue;
    taken.add(key);
    out.push([a, b]);
  }
  return out;
}

