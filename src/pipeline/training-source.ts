/** The discriminator's training data as the store holds it (src/relations/training-data.ts draws from it). */
import { PAIR_KEY_BASE, type TrainingSource } from '../relations/index.js';
import { candidatePairKeyPages, readDerivationPairs, readGoldRelationsWithTermIds, type Db } from '../store/index.js';
import { storedWordPairs } from './term-table.js';

/** Candidate pairs per page read: 0.5 MB of keys. */
const CANDIDATE_PAGE = 65_536;

/** Reads on demand: each call reads again (evaluation trains several models from one database). */
export function storedTrainingSource(db: Db): TrainingSource {
  return {
    labelledRows: () => readGoldRelationsWithTermIds(db),
    derivationPairs: () => readDerivationPairs(db),
    wordPairs: () => storedWordPairs(db, { derivations: false }),
    candidateKeys: () => candidatePairKeyPages(db, PAIR_KEY_BASE, CANDIDATE_PAGE),
  };
}
