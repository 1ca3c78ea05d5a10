import type { Backoffice } from '@vpn/backoffice';
import type { Billing } from '@vpn/billing';
import type { Database } from '@vpn/db';
import type { I18n } from '@vpn/i18n';
import type { Logger } from '@vpn/logger';
import type { Producers, QueueFactory } from '@vpn/queues';
import type { RateLimitRule } from '@vpn/telegram-kit';
import type { UserFromGetMe } from 'grammy/types';
import type { Redis } from 'ioredis';

/** The queues the admin bot puts work on (provisioning after a server change, broadcasts, …). */
export type AdminProducers = Pick<Producers, 'provisioning' | 'outboxDispatch' | 'broadcast'>;

/** Everything the admin bot needs, built by `compose.ts` (or a test) and passed in. */
export interface AdminBotDeps {
  token: string;
  /** `TELEGRAM_API_ROOT` (the emulator in the sandbox and tests). */
  apiRoot?: string;
  /** Given, no `getMe` is needed (tests). */
  botInfo?: UserFromGetMe;
  logger: Logger;
  redis: Redis;
  i18n: I18n;
  db: Database;
  billing: Billing;
  /** The staff actions: every write of this bot goes through it (permission check and audit row). */
  backoffice: Backoffice;
  producers: AdminProducers;
  /** The queues, read for the dashboard's health (depths, failed jobs); absent → not shown. */
  queues?: QueueFactory;
  /** Redis key prefix of sessions and limits; default `admin:`. */
  prefix?: string;
  /** Per-admin limit of updates; default 60 per 10 s. */
  rateLimit?: RateLimitRule;
  /** The client bot's username (`CLIENT_BOT_USERNAME`), for promo codes' deep links; absent → no links. */
  clientBotUsername?: string;
  /** Time zone dates are shown in; default Europe/Moscow. */
  timeZone?: string;
  now?: () => Date;
}
