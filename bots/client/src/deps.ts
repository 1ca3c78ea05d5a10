import type { Billing } from '@vpn/billing';
import type { Database } from '@vpn/db';
import type { I18n } from '@vpn/i18n';
import type { Logger } from '@vpn/logger';
import type { PaymentProviders } from '@vpn/payments';
import type { Producers } from '@vpn/queues';
import type { RateLimitRule, SendLimiter } from '@vpn/telegram-kit';
import type { UserFromGetMe } from 'grammy/types';
import type { Redis } from 'ioredis';
import type { AppCatalogSource } from './services/app-catalog.js';
import type { CatalogCache } from './services/catalog-cache.js';
import type { CustomerCache } from './services/customer-cache.js';
import type { LiveCache } from './services/live-cache.js';
import type { PaymentMethodsSource } from './services/payment-methods.js';
import type { GoLinkSigner } from './services/go-links.js';
import type { StarsForwarder } from './services/stars-forwarder.js';

/** The queues the client bot puts work on (everything slow is the worker's). */
export type ClientProducers = Pick<
  Producers,
  'provisioning' | 'supportRelay' | 'paymentPoll' | 'outboxDispatch' | 'doctor' | 'deferredSend'
>;

/** Everything the client bot needs, built by `main.ts` (or a test) and passed in. */
export interface ClientBotDeps {
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
  payments: PaymentProviders;
  /** Which configured providers are offered at checkout, in order (the `payments.methods` setting). */
  methods: PaymentMethodsSource;
  producers: ClientProducers;
  /** Hands a Stars `successful_payment` to the webhooks service (the one settlement path). */
  stars: StarsForwarder;
  /** Signs `/go/<token>` links for one-tap "add to app"; absent → only store links and copy. */
  goLinks?: GoLinkSigner;
  /** Client apps per platform (configuration, not code). */
  apps: AppCatalogSource;
  /** Customer rows cached between updates (see `createCustomerCache`). */
  customers: CustomerCache;
  /** Plans and FAQ cached between updates (see `createCatalogCache`). */
  catalog: CatalogCache;
  /** The customers' subscriptions and VPN accounts, dropped on every committed change (see `createLiveCache`). */
  live: LiveCache;
  /** The shared per-token send limiter (replies go in the transactional lane); none: Telegram's 429s are waited out. */
  sendLimiter?: SendLimiter;
  /** Redis key prefix of sessions and limits; default `client:`. */
  prefix?: string;
  /** Time zone dates are shown in; default Europe/Moscow. */
  timeZone?: string;
  rateLimit?: { general?: RateLimitRule | false; expensive?: RateLimitRule };
  now?: () => Date;
  /** How long the doctor waits for the worker's live read of the panel; default 5 s (see `DOCTOR_WAIT_MS`). */
  doctorWaitMs?: number;
}
