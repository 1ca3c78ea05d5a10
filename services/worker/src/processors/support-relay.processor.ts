import { PermanentJobError, type PayloadOf, type Processor, type supportRelayQueue } from '@vpn/queues';
import type { SupportRelayDeps } from '../support/relay-deps.js';
import { mirrorEdit } from '../support/mirror-edit.js';
import { relayToCustomer } from '../support/to-customer.js';
import { relayToTopic } from '../support/to-topic.js';

/**
 * `support-relay`: one customer message into their forum topic (`to_topic`) or one staff message
 * to the customer (`to_customer`), both as the client bot. The job makes sure its message is
 * recorded (the client bot and the support bot record it before queueing, which fixes the order)
 * and then relays everything unfinished of that customer in that direction, oldest first: any
 * job of a customer may deliver the others' messages, each exactly once (see `drainRelays`).
 */
export function createSupportRelayProcessor(deps: SupportRelayDeps): Processor<PayloadOf<typeof supportRelayQueue>> {
  return async (payload, { log }) => {
    const user = await deps.db.repos.users.findById(Number(payload.userId));
    if (!user) throw new PermanentJobError(`user ${payload.userId} does not exist`, 'not_found');
    // An edit changes the copy already made; it is no new message to relay.
    if (payload.edit) return mirrorEdit(deps, user, payload, log);
    const direction = payload.direction === 'to_topic' ? 'in' : 'out';
    await deps.db.repos.supportRelays.record({
      userId: user.id,
      direction,
      fromChatId: payload.fromChatId,
      messageId: payload.messageId,
      ...(payload.note ? { note: payload.note } : {}),
      ...(payload.staffTelegramId ? { staffTelegramId: payload.staffTelegramId } : {}),
    });
    const result = direction === 'in' ? await relayToTopic(deps, user, log) : await relayToCustomer(deps, user, log);
    log.info({ userId: user.id, direction, ...result }, 'support relay done');
    return result;
  };
}
