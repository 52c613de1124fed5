import type { SynonymService } from '../service.js';

/** What every route plugin is registered with. */
export interface RouteOptions {
  service: SynonymService;
}
