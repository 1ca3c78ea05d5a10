import type { Backoffice } from '@vpn/backoffice';
import type { Database } from '@vpn/db';
import type { Authenticate } from '../auth/authenticate.js';
import type { Sessions, SessionTtl } from '../auth/sessions.js';
import type { RateLimiter } from '../http/rate-limit.js';

/** What the route modules need; built once by `createAdminApi`. */
export interface RouteDeps {
  db: Pick<Database, 'repos' | 'transaction'>;
  backoffice: Backoffice;
  sessions: Sessions;
  authenticate: Authenticate;
  rateLimiter: RateLimiter;
  ttl: SessionTtl;
  /** The admin bot's token: the Login Widget's data is signed with it. Without it only one-time codes sign in. */
  adminBotToken?: string;
  /**
   * The admin bot's username for the Login Widget button (the widget is tied to the bot's domain
   * in BotFather); null when it cannot be learnt, and the page offers codes only.
   */
  widgetBot?: () => Promise<string | null>;
  now: () => Date;
}
