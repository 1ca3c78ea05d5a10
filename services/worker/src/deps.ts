import type { Billing } from '@vpn/billing';
import type { Broadcast, Database } from '@vpn/db';
import type { SendLimiter } from '@vpn/telegram-kit';
import type { I18n } from '@vpn/i18n';
import type { Logger } from '@vpn/logger';
import type { PaymentProviders } from '@vpn/payments';
import type { Producers, QueueFactory } from '@vpn/queues';
import type { Api } from 'grammy';
import type { BackupDeps } from './backup/run-backup.js';
import type { MediaSource } from './broadcast/broadcast-media.js';
import type { BroadcastSenderOptions } from './broadcast/broadcast-sender.js';
import type { Provisioner } from './processors/provisioning.processor.js';
import type { UsageSyncer } from './processors/usage-sync.processor.js';
import type { ServerHealthChecker } from './processors/server-health.processor.js';
import type { OrphanPolicy, VpnReconciler } from './processors/vpn-reconcile.processor.js';

/** What every processor may use; built once per process by `main.ts` (or a test) and passed in. */
export interface WorkerDeps {
  logger: Logger;
  db: Database;
  billing: Billing;
  queues: QueueFactory;
  producers: Producers;
  payments: PaymentProviders;
  /** Makes a panel match a subscription (`@vpn/vpn`'s provisioning service). */
  provisioner: Provisioner;
  /** Panel usage → usage_snapshots; without it the usage-sync queue is not served. */
  usage?: UsageSyncer;
  /** Probes panels and records server health; without it there is no start-up check and no server-health queue. */
  serverHealth?: ServerHealthChecker;
  /** Panels vs database drift report and safe repair; without it the vpn-reconcile queue is not served. */
  vpnReconciler?: VpnReconciler;
  /** The client bot's Bot API client (grammY `Api` with the client bot token and TELEGRAM_API_ROOT). */
  clientApi: Api;
  /** The staff forum (SUPPORT_CHAT_ID); without it the support-relay queue is not served. */
  supportChatId?: number;
  i18n: I18n;
  clock?: () => Date;
  /** Test-only fault injection: called at named steps; the crash tests make it SIGKILL the process. */
  crashPoint?: (step: CrashStep) => void;
  /** How long a notification claimed by a sender that died stays claimed before it is sent again (default 90 s). */
  notifyLeaseMs?: number;
  /** Broadcasts as the client bot; without it the broadcast queue is not served. */
  broadcasts?: BroadcastDeliveryDeps;
  /** Batch, concurrency and lease of the broadcast sender (tests shrink them). */
  broadcastOptions?: Partial<BroadcastSenderOptions>;
  /** Database backups (BACKUP_CRON set); without it the backup queue is not served and not scheduled. */
  backups?: BackupDeps & { cron: string };
}

/** What the broadcast sender needs besides the database: its own API client and the shared limiter. */
export interface BroadcastDeliveryDeps {
  /** The client bot's API for bulk sends: no limiter transformer (the sender takes slots), no retries (a retry could send twice). */
  bulkApi: Api;
  sendLimiter: SendLimiter;
  /** The client bot's id (the limiter's key). */
  botId: number;
  /** The admin bot, where broadcasts' photos and videos were sent (its file ids are its own). */
  mediaSource?: MediaSource;
  /** The admin's live progress message and the final report. */
  onProgress?: (broadcast: Broadcast, final: boolean) => Promise<void>;
}

/** The steps a crash test can stop the worker at. */
export type CrashStep =
  | 'settlement:before-settle'
  | 'settlement:before-commit'
  | 'settlement:after-commit'
  | 'outbox:after-enqueue'
  /** A notification claimed, not yet sent. */
  | 'notify:after-claim'
  /** A support relay copied by Telegram, not yet marked sent. */
  | 'relay:after-copy'
  /** A batch of broadcast rows claimed, none attempted yet. */
  | 'broadcast:after-claim';

/** Tunables, from config in production and small in tests. */
export interface WorkerOptions {
  /** Jobs of each queue this process runs at once. */
  concurrency: number;
  /** Register the repeatable schedules at start. */
  schedules: boolean;
  /** Pending payments older than this are polled from their provider. */
  pollAfterMinutes: number;
  /** Period of the outbox sweep. */
  outboxEveryMs: number;
  /** Queue names this replica serves; undefined = all. */
  queues?: readonly string[];
  /** Period of the server-health probe (with `serverHealth`); default 60 s. */
  serverHealthEveryMs?: number;
  /** Longest wait for the start-up probe of every server before taking jobs; default 20 s. */
  serverCheckAtStartTimeoutMs?: number;
  /** When and how the vpn-reconcile schedule runs (with `vpnReconciler`); default every 6 h, orphans reported only. */
  reconcile?: { cron: string; orphans: OrphanPolicy };
}
