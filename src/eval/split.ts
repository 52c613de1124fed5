/** The lexical split lives with the domain types (src/split.ts): re-exported for evaluation code. */
export { DEFAULT_SPLIT, isHeldOut, pairSplit, splitOf, validateSplit, visibleSynsets, type PairSplit, type SplitConfig } from '../split.js';
