/** The discriminator's training data as the store holds it (src/relations/training-data.ts draws from it). */
import { PAIR_KEY_BASE, type TrainingSource } from '../relations/index.js';
import { candidatePairKeys, readDerivationPairs, readGoldRelationsWithTermIds, type Db } from '../store/index.js';
import { storedWordPairs } from './term-table.js';

/** Reads on demand: each call reads again (evaluation trains several models from one database). */
export function storedTrainingSource(db: Db): TrainingSource {
  return {
    labelledRows: () => readGoldRelationsWithTermIds(db),
    derivationPairs: () => readDerivationPairs(db),
    wordPairs: () => storedWordPairs(db, { derivations: false }),
    candidateKeys: () => candidatePairKeys(db, PAIR_KEY_BASE),
  };
}
