import type { SubscriptionEvent } from '../models/index.js';
import { plainAll, type RepoDeps, type TxOptions } from './base.js';

export type SubscriptionEventInput = Pick<SubscriptionEvent, 'subscriptionId' | 'kind'> &
  Partial<Pick<SubscriptionEvent, 'fromStatus' | 'toStatus' | 'fromEndsAt' | 'toEndsAt' | 'paymentId' | 'actor' | 'data'>>;

/** The subscription's history; write one row in the same transaction as every lifecycle change. */
export function createSubscriptionEventsRepository({ models }: RepoDeps) {
  const { SubscriptionEvent: Events } = models;
  return {
    async append(input: SubscriptionEventInput, opts: TxOptions = {}): Promise<SubscriptionEvent> {
      return (await Events.create(input, { transaction: opts.transaction })).get({ plain: true });
    },
    async listBySubscription(subscriptionId: number, opts: TxOptions = {}): Promise<SubscriptionEvent[]> {
      return plainAll(
        await Events.findAll({
          where: { subscriptionId },
          order: [['id', 'ASC']],
          transaction: opts.transaction,
        }),
      );
    },
    async listByPayment(paymentId: string, opts: TxOptions = {}): Promise<SubscriptionEvent[]> {
      return plainAll(
        await Events.findAll({
          where: { paymentId },
          order: [['id', 'ASC']],
          transaction: opts.transaction,
        }),
      );
    },
  };
}

export type SubscriptionEventsRepository = ReturnType<typeof createSubscriptionEventsRepository>;
