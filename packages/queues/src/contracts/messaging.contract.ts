import { z } from 'zod';
import { capped } from '../backoff.js';
import { defineQueue } from '../contract.js';
import { entityId } from './ids.schema.js';

/** Values a notification template may interpolate. */
export const notificationParams = z.record(
  z.string().regex(/^[a-zA-Z][a-zA-Z0-9_]{0,39}$/),
  z.union([z.string().max(2_000), z.number(), z.boolean(), z.null()]),
);

/**
 * Notification kinds the worker knows how to render (`notifications.<kind>` in the i18n
 * namespace `notifications`). Kept as a list, not a closed enum, in the schema so an outbox row
 * written by a newer release is rejected by the processor with a log line, not by every producer.
 */
export const NOTIFICATION_KINDS = [
  // Written by billing into the outbox (see @vpn/billing outbox-messages.ts, NotifyTemplate).
  'trial_activated',
  'payment_succeeded',
  'payment_failed',
  'payment_refunded',
  'promo_lost',
  'duplicate_charge_refunded',
  'referral_bonus',
  'referral_welcome_bonus',
  'referral_bonus_revoked',
  'referral_welcome_bonus_revoked',
  'renewal_charging',
  'renewal_succeeded',
  'renewal_failed_retry',
  'renewal_disabled',
  'balance_topped_up',
  'balance_short',
  'referral_commission',
  // Sent by the worker itself.
  'subscription_ready',
  /** No server could take the account yet: the link comes later than promised. */
  'provisioning_delayed',
  'key_reissued',
  'expiry_reminder',
  'subscription_expired',
  // Outage notices (the server-health schedule): reference `outage:<id>`.
  'server_outage',
  'server_restored',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/**
 * Callback data of the buttons the worker puts under notifications. The worker cannot send
 * `@grammyjs/menu` buttons (their data carries a hash of the rendered menu), so these are plain
 * strings the client bot handles itself; no slash, so the bot's forged-menu guard lets them by.
 */
export const NOTIFICATION_CALLBACKS = {
  /** Opens the config screen (link, QR, per-platform guides) as a new message. */
  openConfig: 'n:cfg',
  /** Under an outage notice: move to a healthy server (`n:mv:<outage id>`). */
  moveOffOutage: 'n:mv',
} as const satisfies Record<string, string>;

/** A notification job: who, which text, and the dedupe key. */
const notificationSchema = z
  .object({
    userId: entityId,
    kind: z.string().regex(/^[a-z][a-z0-9_]{0,47}$/),
    reference: z.string().min(1).max(200),
    params: notificationParams.default({}),
  })
  .strict();
const notificationJobId = (p: z.output<typeof notificationSchema>) => `notify:${p.userId}:${p.kind}:${p.reference}`;

/**
 * `notifications`: tell a customer something, as the client bot, once. `reference` is the dedupe
 * key recorded in sent_notifications with (user, kind): e.g. a payment id, or subscription id +
 * ends_at + offset for reminders, so an extension re-arms them. This is the transactional lane:
 * receipts, payment results, configs, renewal notices. What a sweep generates in bulk goes to
 * {@link sweepNotificationsQueue}, so a receipt never waits behind thousands of reminders.
 */
export const notificationsQueue = defineQueue({
  name: 'notifications',
  schema: notificationSchema,
  defaults: { attempts: 8, backoff: capped(1_000, 10 * 60_000) },
  jobId: notificationJobId,
});

/**
 * `notifications-sweep`: the same notifications (same payload, same processor, same once-only
 * key), generated in bulk by the sweeps (expiry reminders, "it has ended" notices). A queue of its
 * own, served by its own consumers, so a run that queues thousands of them never stands between
 * a customer and their receipt or config in `notifications`. The job id is the same as in
 * `notifications`, so the once-only record (sent_notifications) is shared whichever lane sent it.
 */
export const sweepNotificationsQueue = defineQueue({
  name: 'notifications-sweep',
  schema: notificationSchema,
  defaults: { attempts: 8, backoff: capped(1_000, 10 * 60_000) },
  jobId: notificationJobId,
});

/**
 * `support-relay`: copy one message between a customer's private chat and their forum topic (the
 * worker's support-relay processor). Many attempts: a burst of new customers waits for topic
 * creation at Telegram's pace (about 20 per minute per group), and no message may be lost.
 */
export const supportRelayQueue = defineQueue({
  name: 'support-relay',
  schema: z
    .object({
      direction: z.enum(['to_topic', 'to_customer']),
      userId: entityId,
      fromChatId: z.number().int(),
      messageId: z.number().int().positive(),
      /** The staff member, for to_customer (audit and signature). */
      staffTelegramId: z.number().int().optional(),
      /**
       * to_topic: text for staff posted with the relayed message, e.g. the "VPN doesn't work"
       * diagnosis of a ticket the customer opened from the doctor (HTML, below Telegram's 4096).
       */
      note: z.string().min(1).max(3_500).optional(),
      /**
       * The message was edited (Telegram's `edit_date`): its copy is edited to this text or caption
       * (with entities), within Telegram's 4096 / 1024 characters; neither: media only changed.
       */
      edit: z
        .object({
          editDate: z.number().int().positive(),
          text: z.string().min(1).max(4_096).optional(),
          caption: z.string().max(1_024).optional(),
          entities: z.array(z.record(z.string(), z.unknown())).max(100).optional(),
        })
        .strict()
        .optional(),
    })
    .strict(),
  defaults: { attempts: 40, backoff: capped(1_000, 60_000) },
  jobId: (p) =>
    p.edit
      ? `relay-edit:${p.direction}:${p.fromChatId}:${p.messageId}:${p.edit.editDate}`
      : `relay:${p.direction}:${p.fromChatId}:${p.messageId}`,
});

/** What an edited message's relay job carries: its new text or caption and entities, within Telegram's limits. */
export function supportEditOf(message: {
  edit_date?: number;
  text?: string;
  caption?: string;
  entities?: readonly object[];
  caption_entities?: readonly object[];
}): { editDate: number; text?: string; caption?: string; entities?: Record<string, unknown>[] } {
  const entities = (message.entities ?? message.caption_entities) as Record<string, unknown>[] | undefined;
  return {
    editDate: message.edit_date ?? Math.floor(Date.now() / 1000),
    ...(message.text ? { text: message.text.slice(0, 4_096) } : {}),
    ...(message.caption !== undefined ? { caption: message.caption.slice(0, 1_024) } : {}),
    ...(entities?.length ? { entities: entities.slice(0, 100) } : {}),
  };
}

/**
 * `deferred-send`: a bot's send that Telegram answered with a flood wait longer than a handler may
 * wait (`@vpn/telegram-kit` deferSend), made by the worker as that bot once the wait is over
 * (added with `delay`). The job id is the message's identity (update, method and payload hashed
 * by the kit), so the same send handed on twice is one job. Removed once sent: its text may carry
 * a subscription link, which must not stay at rest in Redis.
 */
export const deferredSendQueue = defineQueue({
  name: 'deferred-send',
  schema: z
    .object({
      bot: z.enum(['client']),
      id: z.string().regex(/^[0-9a-f]{16,64}$/),
      /** A Bot API method the kit hands on (`DEFERRABLE_METHODS`); the processor refuses any other. */
      method: z.string().regex(/^[a-zA-Z]{1,40}$/),
      payload: z.record(z.string(), z.unknown()),
    })
    .strict(),
  defaults: { attempts: 10, backoff: capped(5_000, 5 * 60_000), removeOnComplete: true, removeOnFail: { age: 24 * 3_600 } },
  jobId: (p) => `deferred-send:${p.bot}:${p.id}`,
});

/**
 * `broadcast`: `run` sends one broadcast from its rows until it is done, paused or cancelled
 * (one job per broadcast at a time by its id; removed when finished so a resume can add it
 * again); `tick` (repeatable) starts scheduled broadcasts whose time has come and gives every
 * running broadcast a `run` job (after a crash or a resume); `delete` deletes the sent copies
 * while Telegram still allows it (48 h).
 */
export const broadcastQueue = defineQueue({
  name: 'broadcast',
  schema: z.discriminatedUnion('scope', [
    z.object({ scope: z.literal('run'), broadcastId: entityId }).strict(),
    z.object({ scope: z.literal('tick') }).strict(),
    z.object({ scope: z.literal('delete'), broadcastId: entityId }).strict(),
  ]),
  defaults: { attempts: 5, backoff: capped(2_000, 60_000), removeOnComplete: true, removeOnFail: true },
  jobId: (p) => (p.scope === 'tick' ? undefined : `broadcast:${p.scope}:${p.broadcastId}`),
});
