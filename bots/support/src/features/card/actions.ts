import type { Actor, Backoffice, Permission } from '@vpn/backoffice';
import type { Database, Server } from '@vpn/db';
import type { TranslationKey } from '@vpn/i18n';

/** What a press needs to run an action: the actor (fresh from the admins table), the target and the confirmed choice. */
export interface ActionCall {
  actor: Actor;
  userId: number;
  /** The choice made before confirming (days, server id, payment id), `-` when there is none. */
  arg: string;
  /** The confirmation's nonce: the back office's request id, so a repeated press is one change. */
  requestId: string;
  /** Why, for the audit entry and the subscription history: "support topic, <staff name>". */
  reason: string;
}

/** A choice offered before the confirmation (days to extend, a server to move to). */
export interface Choice {
  label: string;
  arg: string;
}

export interface CardAction {
  /** One or two letters of callback data. */
  verb: string;
  permission: Permission;
  label: TranslationKey;
  /** The confirmation question and, after the change, the line announced in the topic (`{{arg}}` is the choice). */
  confirm: TranslationKey;
  done: TranslationKey;
  /** Offered only when the customer is in this state (block vs unblock, a refundable payment). */
  when?: (state: ActionState) => boolean;
  choices?: (state: ActionState, deps: { db: Pick<Database, 'repos'> }) => Promise<Choice[]>;
  run(bo: Backoffice, call: ActionCall): Promise<unknown>;
}

/** The customer's state the menu depends on. */
export interface ActionState {
  userId: number;
  blocked: boolean;
  /** The newest succeeded payment (the one "refund the last payment" gives back). */
  lastPaidId: string | null;
}

export const EXTEND_DAYS = [1, 3, 7, 30] as const;

/** UUIDs travel in callback data without their dashes (32 characters) to stay under 64 bytes. */
export const compactId = (uuid: string) => uuid.replace(/-/g, '');
export const expandId = (hex: string) =>
  /^[0-9a-f]{32}$/i.test(hex) ? `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}` : hex;

/**
 * The card's actions, each one function of the back office (its permission check, validation
 * and audit row): extend by N days, reissue the key, reset traffic, refund the last payment,
 * block or unblock, move to another server. Every one is confirmed before it runs.
 */
export const CARD_ACTIONS: readonly CardAction[] = [
  {
    verb: 'x',
    permission: 'customers:extend',
    label: 'support.card.extend',
    confirm: 'support.card.confirmExtend',
    done: 'support.card.doneExtend',
    choices: async () => EXTEND_DAYS.map((d) => ({ label: `+${d}`, arg: String(d) })),
    run: (bo, c) => bo.customers.extend(c.actor, { userId: c.userId, days: Number(c.arg), reason: c.reason }),
  },
  {
    verb: 'r',
    permission: 'customers:reissue',
    label: 'support.card.reissue',
    confirm: 'support.card.confirmReissue',
    done: 'support.card.doneReissue',
    run: (bo, c) => bo.customers.reissueKey(c.actor, { userId: c.userId, requestId: c.requestId, reason: c.reason }),
  },
  {
    verb: 't',
    permission: 'customers:reset_traffic',
    label: 'support.card.resetTraffic',
    confirm: 'support.card.confirmResetTraffic',
    done: 'support.card.doneResetTraffic',
    run: (bo, c) => bo.customers.resetTraffic(c.actor, { userId: c.userId, requestId: c.requestId, reason: c.reason }),
  },
  {
    verb: 'p',
    permission: 'payments:refund',
    label: 'support.card.refund',
    confirm: 'support.card.confirmRefund',
    done: 'support.card.doneRefund',
    when: (s) => s.lastPaidId !== null,
    choices: async (s) => (s.lastPaidId ? [{ label: s.lastPaidId.slice(0, 8), arg: compactId(s.lastPaidId) }] : []),
    run: (bo, c) => bo.payments.refund(c.actor, { paymentId: expandId(c.arg), requestId: c.requestId, reason: c.reason }),
  },
  {
    verb: 'b',
    permission: 'customers:block',
    label: 'support.card.block',
    confirm: 'support.card.confirmBlock',
    done: 'support.card.doneBlock',
    when: (s) => !s.blocked,
    run: (bo, c) => bo.customers.block(c.actor, { userId: c.userId, reason: c.reason }),
  },
  {
    verb: 'u',
    permission: 'customers:block',
    label: 'support.card.unblock',
    confirm: 'support.card.confirmUnblock',
    done: 'support.card.doneUnblock',
    when: (s) => s.blocked,
    run: (bo, c) => bo.customers.unblock(c.actor, { userId: c.userId, reason: c.reason }),
  },
  {
    verb: 'v',
    permission: 'customers:move',
    label: 'support.card.move',
    confirm: 'support.card.confirmMove',
    done: 'support.card.doneMove',
    choices: async (_s, { db }) =>
      (await db.repos.servers.listActive()).slice(0, 20).map((s: Server) => ({ label: s.name, arg: String(s.id) })),
    run: (bo, c) => bo.customers.moveToServer(c.actor, { userId: c.userId, serverId: Number(c.arg), reason: c.reason }),
  },
];
