import type { AdminBotDeps } from '../deps.js';

/** What every section factory receives: the bot's dependencies with their defaults filled in. */
export interface FeatureDeps extends AdminBotDeps {
  timeZone: string;
  now: () => Date;
}
