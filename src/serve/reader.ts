/** The serving read side lives with the store (every query in one place); re-exported for the serving code. */
export { ServeReader, round6, cut, type TermRow, type MembershipRow, type ClusterRow, type MemberRow, type VerdictRow, type EdgeRow, type CannotLinkRow, type Neighbours } from '../store/reader.js';
