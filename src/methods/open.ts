/**
 * A built database opened for lookups (read-only): a term's clusters and senses, query
 * expansion for retrieval, the verdict between two terms and a term's neighbourhood. Synchronous
 * reads, like better-sqlite3's own API; close it when done.
 */
import { openService, type ExpandOptions, type ExpandResult, type ClusterAnswer, type Neighbourhood, type NeighbourhoodOptions, type RelationAnswer, type SynonymService, type TermAnswer } from '../serve/index.js';

export interface SynographDatabase {
  /** The term's primary cluster (its most common sense), other senses, antonyms and stored verdicts; null when no form of it is stored. */
  lookup(term: string, options?: { limit?: number }): TermAnswer | null;
  /** Expansions of each term for retrieval: its primary sense's synonyms (other senses only with `senses: true`), never an antonym. */
  expand(terms: readonly string[], options?: ExpandOptions): ExpandResult[];
  /** The same for free text: words matched greedily, the longest known phrase first. */
  expandQuery(text: string, options?: ExpandOptions): ExpandResult[];
  /** The stored verdict and cannot-link between two terms. */
  relation(a: string, b: string): RelationAnswer | { unknown: string } | null;
  cluster(id: number, options?: { limit?: number }): ClusterAnswer | null;
  neighbourhood(term: string, options?: NeighbourhoodOptions): Neighbourhood | null;
  /** Terms, clusters and verdicts stored, the build's mode and the clustering served. */
  readonly summary: SynonymService['summary'];
  close(): void;
}

export function openDatabase(path: string, options: { algorithm?: string } = {}): SynographDatabase {
  const service = openService(path, options);
  return {
    lookup: (term, o) => service.query.term(term, o),
    expand: (terms, o) => service.expander.expandTerms(terms, o),
    expandQuery: (text, o) => service.expander.expandQuery(text, o),
    relation: (a, b) => service.query.relation(a, b),
    cluster: (id, o) => service.query.clusterById(id, o),
    neighbourhood: (term, o) => service.graph.neighbourhood(term, o),
    summary: service.summary,
    close: () => service.close(),
  };
}
