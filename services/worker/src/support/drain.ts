import type { RelayDirection, SupportRelay, User } from '@vpn/db';
import type { Logger } from '@vpn/logger';
import { classifyTelegramError } from '@vpn/telegram-kit';
import { relayBatches } from './relay-batches.js';
import { RELAY_LEASE_MS, RelayBusyError, type Copier, type SupportRelayDeps } from './relay-deps.js';

export interface DrainResult {
  sent: number;
  dropped: number;
}

/**
 * Relays every unfinished message of a customer in one direction, oldest first, each once. A
 * batch (one message, or one album) is claimed before it is copied and marked sent with its
 * copies' ids after Telegram answered. A batch claimed by a live attempt stops the drain
 * (RelayBusyError, retried), so nothing overtakes an earlier message. Network trouble and 429s
 * give the claim back and retry; a refusal Telegram will repeat drops that batch with a reason
 * and goes on. A worker killed between the copy and `markSent` leaves a claim that lapses after
 * the lease, and that one copy is sent again: the Bot API cannot tell whether it went out, and a
 * duplicate beats a lost message. `onSent` records the message links.
 */
export async function drainRelays(
  deps: SupportRelayDeps,
  user: User,
  direction: RelayDirection,
  copy: Copier,
  onSent: (batch: SupportRelay[], copyIds: number[]) => Promise<void>,
  log: Logger,
): Promise<DrainResult> {
  const repo = deps.db.repos.supportRelays;
  const result: DrainResult = { sent: 0, dropped: 0 };
  for (const batch of relayBatches(await repo.unfinished(user.id, direction))) {
    const ids = batch.map((r) => r.id);
    const claim = await repo.claim(ids, deps.leaseMs ?? RELAY_LEASE_MS);
    if (claim === 'done') continue;
    if (claim === 'busy') throw new RelayBusyError(user.id);
    let copyIds: number[];
    try {
      copyIds = await copy(batch, user);
    } catch (err) {
      const info = classifyTelegramError(err);
      if (info.kind === 'api') {
        await repo.drop(ids, `telegram: ${err instanceof Error ? err.message : String(err)}`);
        log.error(
          { err, userId: user.id, direction, messageIds: batch.map((r) => r.messageId) },
          'support relay refused by Telegram, dropped',
        );
        result.dropped += batch.length;
        continue;
      }
      await repo.release(ids);
      throw err;
    }
    deps.crashPoint?.('relay:after-copy');
    await repo.markSent(ids, copyIds);
    await onSent(batch, copyIds);
    result.sent += batch.length;
  }
  return result;
}
