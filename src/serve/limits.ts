/** Input and result bounds shared by the query functions, the HTTP schemas and the CLI. */
import { MAX_TERM_LENGTH } from '../lexicon/index.js';
import { QueryInputError } from '../errors.js';

export const LIMITS = {
  /** Longest term accepted (characters): the longest term an ingest stores. */
  termLength: MAX_TERM_LENGTH,
  /** Longest free-text query for expansion (characters). */
  queryLength: 4096,
  /** Terms in one expansion request. */
  expandTerms: 64,
  /** Members, edges and antonyms per answer: default and ceiling. */
  defaultResults: 50,
  maxResults: 500,
  /** Expansions per input term: default and ceiling. */
  defaultExpansions: 10,
  maxExpansions: 100,
  /** Neighbourhood graphs: depth ceiling, nodes per answer, neighbours followed per node. */
  maxDepth: 3,
  maxGraphNodes: 300,
  neighboursPerNode: 40,
  /** Request bodies (bytes) and URLs (characters, before decoding). */
  bodyBytes: 64 * 1024,
  urlLength: 4096,
} as const;


export { QueryInputError };

export function clampLimit(value: number | undefined, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) throw new QueryInputError(`limit must be a positive integer, got ${value}`);
  return Math.min(value, max);
}
