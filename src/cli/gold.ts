/** `synograph gold`: gold statistics from KeNet, and export as JSONL/TSV. */
import { resolve } from 'node:path';
import { kenetPath } from '../lexicon/index.js';
import { DEFAULT_COHYPONYM_CAP, DEFAULT_SPLIT, exportGold, loadGold, splitOf, summarizeGold, type SplitConfig } from '../eval/index.js';
import { integerOption, numberOption, printJson } from './args.js';
import { parseCommand } from './options.js';

export function splitFromArgs(values: { seed?: string; train?: string; dev?: string }): SplitConfig {
  return {
    seed: integerOption(values.seed, 'seed', DEFAULT_SPLIT.seed),
    train: numberOption(values.train, 'train', DEFAULT_SPLIT.train, (n) => n > 0 && n < 1),
    dev: numberOption(values.dev, 'dev', DEFAULT_SPLIT.dev, (n) => n >= 0 && n < 1),
  };
}


export async function goldCommand(argv: string[]): Promise<number> {
  const { values, flags } = parseCommand('gold', argv);
  const split = splitFromArgs(values);
  const cap = integerOption(values['cohyponym-cap'], 'cohyponym-cap', DEFAULT_COHYPONYM_CAP, 1);
  const kenet = resolve(values.kenet ?? kenetPath());
  const { gold } = await loadGold({ kenet, split, cohyponymCap: cap });
  const summary = summarizeGold(gold, (w) => splitOf(w, split));
  let exported: { synsetsFile: string; pairsFile: string } | null = null;
  if (values.export) exported = await exportGold(gold, resolve(values.export));
  if (flags.json) {
    printJson({ ...summary, source: kenet, ...(exported ? { exported } : {}) });
    return 0;
  }
  const out = process.stdout;
  out.write(`KeNet gold (${kenet})\n`);
  out.write(`  synsets (>= 2 literals) ${summary.synsets}\n  synonym pairs ${summary.synonymPairs}\n  antonym pairs ${summary.antonymPairs}\n  co-hyponym pairs ${summary.cohyponymPairs} (cap ${cap} per hypernym)\n`);
  out.write(`  vocabulary ${summary.vocabulary} words, ${summary.polysemousWords} polysemous\n`);
  out.write(`  lexical split (seed ${split.seed}, ${summary.shares.train}/${summary.shares.dev}/${summary.shares.test}):\n`);
  for (const name of ['train', 'dev', 'test', 'crossing'] as const) {
    const s = summary.split[name];
    out.write(`    ${name.padEnd(8)} synonym ${s.synonym}, antonym ${s.antonym}, co-hyponym ${s.cohyponym}${name === 'crossing' ? ' (dropped from every split)' : `, words ${s.words}`}\n`);
  }
  if (exported) out.write(`  wrote ${exported.synsetsFile} and ${exported.pairsFile}\n`);
  return 0;
}
