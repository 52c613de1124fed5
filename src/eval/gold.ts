/**
 * Gold data from KeNet (docs/evaluation.md): synsets with >= 2 literals, synonym / antonym /
 * co-hyponym pairs, and the lexical split of every pair.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RelationLabel } from '../types.js';
import type { PairSplit } from './split.js';
import { buildGold, DEFAULT_COHYPONYM_CAP, type Gold, type GoldOptions, type GoldPair } from '../lexicon/labelled-pairs.js';

export { buildGold, DEFAULT_COHYPONYM_CAP, type Gold, type GoldOptions, type GoldPair };

type LabelCounts = { synonym: number; antonym: number; cohyponym: number };
const LABEL_KEY: Record<RelationLabel, keyof LabelCounts> = { synonym: 'synonym', antonym: 'antonym', 'co-hyponym': 'cohyponym' };

export interface GoldSummary {
  synsets: number;
  synonymPairs: number;
  antonymPairs: number;
  cohyponymPairs: number;
  vocabulary: number;
  polysemousWords: number;
  split: Record<PairSplit, LabelCounts & { words: number }>;
  seed: number;
  shares: { train: number; dev: number; test: number };
  cohyponymCap: number;
}

export function summarizeGold(gold: Gold, splitOfWord: (w: string) => PairSplit): GoldSummary {
  const empty = (): LabelCounts & { words: number } => ({ synonym: 0, antonym: 0, cohyponym: 0, words: 0 });
  const split: Record<PairSplit, LabelCounts & { words: number }> = { train: empty(), dev: empty(), test: empty(), crossing: empty() };
  const totals: LabelCounts = { synonym: 0, antonym: 0, cohyponym: 0 };
  for (const p of gold.pairs) {
    totals[LABEL_KEY[p.label]]++;
    split[p.split][LABEL_KEY[p.label]]++;
  }
  for (const w of gold.vocabulary) split[splitOfWord(w)].words++;
  const { seed, train, dev } = gold.options.split;
  return {
    synsets: gold.synsets.length,
    synonymPairs: totals.synonym,
    antonymPairs: totals.antonym,
    cohyponymPairs: totals.cohyponym,
    vocabulary: gold.vocabulary.size,
    polysemousWords: gold.polysemous.size,
    split,
    seed,
    shares: { train, dev, test: Number((1 - train - dev).toFixed(6)) },
    cohyponymCap: gold.options.cohyponymCap,
  };
}

const LABEL_ORDER: Record<RelationLabel, number> = { synonym: 0, antonym: 1, 'co-hyponym': 2 };

/** Writes `synsets.jsonl` and `pairs.tsv` (a, b, label, split; crossing pairs marked `crossing`). */
export async function exportGold(gold: Gold, dir: string): Promise<{ synsetsFile: string; pairsFile: string }> {
  await mkdir(dir, { recursive: true });
  const synsetsFile = join(dir, 'synsets.jsonl');
  const pairsFile = join(dir, 'pairs.tsv');
  await writeFile(synsetsFile, gold.synsets.map((s) => JSON.stringify({ id: s.id, members: s.members })).join('\n') + '\n');
  const rows = [...gold.pairs].sort((x, y) => LABEL_ORDER[x.label] - LABEL_ORDER[y.label] || (x.a < y.a ? -1 : x.a > y.a ? 1 : x.b < y.b ? -1 : x.b > y.b ? 1 : 0));
  const lines = ['a\tb\tlabel\tsplit', ...rows.map((p) => `${p.a}\t${p.b}\t${p.label}\t${p.split}`)];
  await writeFile(pairsFile, lines.join('\n') + '\n');
  return { synsetsFile, pairsFile };
}
