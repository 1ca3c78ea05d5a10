import type { Database } from '@vpn/db';
import type { Producers } from '@vpn/queues';

/** What the support bot's features use. */
export interface FeatureDeps {
  db: Pick<Database, 'repos'>;
  producers: Pick<Producers, 'supportRelay'>;
  /** The staff forum: the bot acts only there, and only for its members. */
  supportChatId: number;
}
