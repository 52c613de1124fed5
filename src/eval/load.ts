/** Gold from a KeNet file in one call (what the CLI and benchmarks use). */
import { loadKenet, type KenetSynset } from '../lexicon/kenet.js';
import { kenetPath } from '../lexicon/resources.js';
import { buildGold, DEFAULT_COHYPONYM_CAP, type Gold } from './gold.js';
import { DEFAULT_SPLIT, validateSplit, type SplitConfig } from './split.js';

export async function loadGold(options: { kenet?: string; split?: SplitConfig; cohyponymCap?: number } = {}): Promise<{ gold: Gold; synsets: KenetSynset[] }> {
  const split = validateSplit(options.split ?? DEFAULT_SPLIT);
  const { synsets } = await loadKenet(options.kenet ?? kenetPath());
  return { gold: buildGold(synsets, { split, cohyponymCap: options.cohyponymCap ?? DEFAULT_COHYPONYM_CAP }), synsets };
}
