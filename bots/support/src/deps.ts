import type { Backoffice } from '@vpn/backoffice';
import type { Database } from '@vpn/db';
import type { Producers } from '@vpn/queues';
import type { CardRefresher } from './features/card/refresher.js';

/** What the support bot's features use. */
export interface FeatureDeps {
  db: Pick<Database, 'repos'>;
  producers: Pick<Producers, 'supportRelay'>;
  /** The staff forum: the bot acts only there, and only for its members. */
  supportChatId: number;
  /** The staff actions of the card's buttons (permission check and audit row in one place). */
  backoffice: Backoffice;
  /** Keeps each topic's pinned customer card current. */
  cards: CardRefresher;
}
