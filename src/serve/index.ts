export { LIMITS, QueryInputError } from './limits.js';
export { ServeReader } from './reader.js';
export { TermResolver, type MatchVia, type TermMatch } from './resolve.js';
export { SynonymQuery, type TermAnswer, type ClusterAnswer, type SenseAnswer, type AntonymAnswer, type EdgeAnswer, type RelationAnswer, type Member } from './query.js';
export { Expander, tokenize, type Expansion, type ExpandResult, type ExpandOptions } from './expand.js';
export { GraphReader, SYNONYM_GATE, edgeKind, explain, type Neighbourhood, type GraphNode, type GraphEdge, type EdgeKind, type NeighbourhoodOptions } from './graph.js';
export { SynonymService, openService, type ServiceOptions, type ServiceSummary } from './service.js';
export { createServer, type ServerOptions } from './server.js';
