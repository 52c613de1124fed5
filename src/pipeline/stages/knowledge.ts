/**
 * The knowledge stage: the labelled pairs the pipeline may learn from: those the lexicon's visible
 * synsets give (in a held-out build, none touching a held-out word), plus the user's own pairs
 * (in a held-out build, none that touches a held-out word: dropped and counted).
 */
import { buildGold, DEFAULT_COHYPONYM_CAP } from '../../lexicon/labelled-pairs.js';
import { readLabelledPairs } from '../../relations/pairs-file.js';
import { isHeldOut } from '../../split.js';
import { addPairsSource, clearGoldRelations, doneStats, storeGoldRelations } from '../../store/index.js';
import type { StageDefinition } from '../stage.js';

export const knowledgeStage: StageDefinition = {
  name: 'knowledge',
  reads: ['lexicon'],
  fingerprint: ({ options, stamp }) => {
    const pairs = options.relations.pairs;
    return [options.kenet, stamp(options.kenet), options.mode, options.split, pairs, pairs ? stamp(pairs) : null];
  },
  run: async ({ db, options, kenet }) => {
    const knowledge = buildGold(kenet.visible, { split: options.split, cohyponymCap: DEFAULT_COHYPONYM_CAP });
    const lexiconSource = doneStats(db, 'lexicon')?.sourceId;
    if (typeof lexiconSource !== 'number') throw new Error('the knowledge stage needs the lexicon stage');
    clearGoldRelations(db);
    const stored = storeGoldRelations(db, lexiconSource, knowledge.pairs);
    const byLabel: Record<string, number> = {};
    for (const p of knowledge.pairs) byLabel[p.label] = (byLabel[p.label] ?? 0) + 1;
    let user: object | null = null;
    const pairsFile = options.relations.pairs;
    if (pairsFile) {
      const all = await readLabelledPairs(pairsFile);
      const usable = options.mode === 'holdout' ? all.filter((p) => !isHeldOut(p.a, options.split) && !isHeldOut(p.b, options.split)) : all;
      const source = addPairsSource(db, 'labelled pairs', pairsFile, all.length);
      const inserted = storeGoldRelations(db, source, usable.map((p) => ({ a: p.a, b: p.b, label: p.label, split: 'train' as const })));
      user = { file: pairsFile, pairs: all.length, droppedHeldOut: all.length - usable.length, stored: inserted };
    }
    return { pairs: stored, byLabel, user };
  },
};
