import type { SynonymService } from '../service.js';

/** What every route plugin is registered with. */
export interface RouteOptions {
  service: SynonymService;
  /** Where a server-side failure is written, one line each. */
  logError: (line: string) => void;
}
