/** The lexicon stage: KeNet's synsets into the store, only those the build's mode may see. */
import { ingestLexicon } from '../../store/index.js';
import type { StageDefinition } from '../stage.js';

export const lexiconStage: StageDefinition = {
  name: 'lexicon',
  reads: [],
  fingerprint: ({ options, stamp }) => [stamp(options.kenet), options.mode, options.split],
  // In a held-out build, no synset holding a held-out word (docs/evaluation.md).
  run: async ({ db, options, kenet }) => ingestLexicon(db, kenet.visible, { name: 'KeNet', path: options.kenet }),
};
