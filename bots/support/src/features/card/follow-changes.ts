import type { ChangeFeed, Database } from '@vpn/db';
import type { CardRefresher } from './refresher.js';

/**
 * Turns committed row changes into card refreshes: a subscription, payment, ticket, topic or
 * block of a customer (keyed by user id), or their VPN account (keyed by subscription id, looked
 * up). A lost feed connection drops announcements; the next change of that customer, or "Refresh",
 * brings the card up to date.
 */
export function followChanges(feed: ChangeFeed, db: Pick<Database, 'repos'>, cards: CardRefresher): () => void {
  return feed.subscribe((change) => {
    if ('reset' in change) return;
    if (change.table !== 'vpn_accounts') return cards.request(change.key);
    void db.repos.subscriptions.get(change.key).then(
      (sub) => sub && cards.request(sub.userId),
      () => undefined,
    );
  });
}
