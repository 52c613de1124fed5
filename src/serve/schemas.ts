/**
 * JSON schemas of the HTTP API: they validate every input, serialise every answer (fast, and
 * nothing leaks that the schema does not name) and become the OpenAPI document.
 */
import { LIMITS } from './limits.js';

const num = { type: 'number' } as const;
const nullableNum = { type: ['number', 'null'] } as const;
const str = { type: 'string' } as const;
const nullableStr = { type: ['string', 'null'] } as const;
const int = { type: 'integer' } as const;
const bool = { type: 'boolean' } as const;
const label = { type: 'string', enum: ['synonym', 'antonym', 'co-hyponym'] } as const;
const origin = { type: 'string', enum: ['model', 'seed'] } as const;
const via = { type: 'string', enum: ['exact', 'folded', 'lemma'] } as const;

function object(properties: Record<string, unknown>, required = Object.keys(properties)) {
  return { type: 'object', additionalProperties: false, properties, required } as const;
}

export const errorSchema = object({ error: str, message: str });

export const termNotFoundSchema = object({ error: str, message: str, term: str, found: { type: 'boolean', enum: [false] } });

export const termParam = { type: 'string', minLength: 1, maxLength: LIMITS.termLength } as const;

export const limitQuery = (fallback: number, max: number) => ({ type: 'integer', minimum: 1, maximum: max, default: fallback, description: `at most ${max}` }) as const;

const nullableInt = { type: ['integer', 'null'] } as const;
/** primary: the cluster is the member's primary one; sense: the lexicon's sense number it belongs through. */
const member = object({ term: str, support: num, primary: bool, sense: nullableInt });
const matched = object({ norm: str, via });

export const clusterSchema = object({
  id: int,
  algorithm: str,
  representative: nullableStr,
  size: int,
  members: { type: 'array', items: member },
  truncated: bool,
  minPSynonym: nullableNum,
  meanPSynonym: nullableNum,
});

export const termAnswerSchema = object({
  term: str,
  found: bool,
  matched,
  primarySense: nullableInt,
  cluster: { anyOf: [clusterSchema, { type: 'null' }] },
  alternativeSenses: { type: 'array', items: object({ clusterId: int, support: num, sense: nullableInt, representative: nullableStr, members: { type: 'array', items: member } }) },
  antonyms: { type: 'array', items: object({ term: str, pAntonym: nullableNum, origin, cannotLink: bool }) },
  edges: { type: 'array', items: object({ term: str, pSynonym: num, pAntonym: num, pCohyponym: num, label, gated: bool, origin }) },
});

export const expandBodySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    terms: { type: 'array', minItems: 1, maxItems: LIMITS.expandTerms, items: termParam },
    query: { type: 'string', minLength: 1, maxLength: LIMITS.queryLength },
    limit: { type: 'integer', minimum: 1, maximum: LIMITS.maxExpansions },
    minSupport: { type: 'number', minimum: 0, maximum: 1 },
    senses: { type: 'boolean', description: "also expand through the term's other senses (and its cluster's members that are there through theirs)" },
  },
  oneOf: [{ required: ['terms'] }, { required: ['query'] }],
} as const;

export const expandAnswerSchema = object({
  results: {
    type: 'array',
    items: object({
      input: str,
      matched: { anyOf: [matched, { type: 'null' }] },
      expansions: { type: 'array', items: object({ term: str, weight: num, source: { type: 'string', enum: ['term', 'cluster', 'sense'] }, clusterId: { type: ['integer', 'null'] } }) },
    }),
  },
});

export const relationAnswerSchema = object({
  a: str,
  b: str,
  verdict: { anyOf: [object({ pSynonym: num, pAntonym: num, pCohyponym: num, label, gated: bool, origin }), { type: 'null' }] },
  cannotLink: { anyOf: [object({ origin }), { type: 'null' }] },
});

export const healthSchema = object({ status: str, db: str, mode: nullableStr, algorithm: nullableStr, terms: int, clusters: int, relations: int });
export const unavailableSchema = object({ status: str, error: str, db: str, message: str });

export const graphSchema = object({
  center: str,
  matched,
  depth: int,
  gate: num,
  truncated: bool,
  senses: { type: 'array', items: object({ clusterId: int, primary: bool, sense: nullableInt, representative: nullableStr }) },
  nodes: {
    type: 'array',
    items: object({ id: str, termId: int, depth: int, clusterId: nullableInt, representative: nullableStr, clusters: { type: 'array', items: int }, centerSense: nullableInt, center: bool, keptOut: bool, why: { type: 'array', items: str } }),
  },
  edges: {
    type: 'array',
    items: object({
      id: str,
      source: str,
      target: str,
      kind: { type: 'string', enum: ['synonym', 'antonym', 'co-hyponym', 'pruned'] },
      label: { type: ['string', 'null'], enum: ['synonym', 'antonym', 'co-hyponym', null] },
      pSynonym: nullableNum,
      pAntonym: nullableNum,
      pCohyponym: nullableNum,
      gated: bool,
      origin: { type: ['string', 'null'], enum: ['model', 'seed', null] },
      cannotLink: bool,
    }),
  },
});

/** The error answers every route may give, for the OpenAPI document. */
export const errorResponses = { 400: errorSchema, 404: errorSchema } as const;
