import { metrics } from '@vpn/metrics';
import type { Broadcast, ClaimedDelivery, Database } from '@vpn/db';
import type { I18n } from '@vpn/i18n';
import type { Logger } from '@vpn/logger';
import { classifyTelegramError, type SendLimiter } from '@vpn/telegram-kit';
import type { Api } from 'grammy';
import type { CrashStep } from '../deps.js';
import type { BroadcastMedia } from './broadcast-media.js';
import { sendBroadcastMessage, versionFor } from './send-broadcast-message.js';

export { BroadcastMedia } from './broadcast-media.js';

export interface BroadcastSenderOptions {
  /** Rows claimed at once. */
  batchSize: number;
  /** Sends in flight at once in this process (Telegram's answer takes longer than a slot). */
  concurrency: number;
  /** How long a claim protects a row; longer than a batch takes even through 429 waits. */
  leaseMs: number;
  /** A row is sent only while at least this much of its claim is left. */
  marginMs: number;
  /** Pause before looking again when other senders hold every pending row. */
  idleMs: number;
  /** The progress callback runs at most this often. */
  progressEveryMs: number;
}

export const BROADCAST_DEFAULTS: BroadcastSenderOptions = {
  batchSize: 50,
  concurrency: 8,
  leaseMs: 10 * 60_000,
  marginMs: 60_000,
  idleMs: 1_000,
  progressEveryMs: 3_000,
};

export interface BroadcastSenderDeps {
  db: Pick<Database, 'repos'>;
  /** The client bot's API for bulk: no limiter transformer (slots are taken here), no retries (a retry could send twice). */
  bulkApi: Api;
  sendLimiter: SendLimiter;
  /** The client bot's id, the limiter's key. */
  botId: number;
  /** Turns the admin bot's photos and videos into the client bot's (one per worker process). */
  files: BroadcastMedia;
  i18n: I18n;
  crashPoint?: (step: CrashStep) => void;
  /** The admin's live progress message (at most every `progressEveryMs`) and the final report. */
  onProgress?: (broadcast: Broadcast, final: boolean) => Promise<void>;
  options?: Partial<BroadcastSenderOptions>;
}

export type BroadcastRunOutcome = 'done' | 'paused' | 'cancelled' | 'not_running';

type RowResult = 'sent' | 'blocked' | 'failed' | 'released';

/**
 * Works through a running broadcast's pending rows until none is left or an admin paused or
 * cancelled it (read from the database every batch). Several senders (workers, replicas) may run
 * the same broadcast: each claims its own rows. Per row: a bulk slot from the shared limiter, then
 * the attempt is recorded, then the send, then the result; see the delivery leases in `@vpn/db`.
 */
export async function runBroadcast(deps: BroadcastSenderDeps, broadcastId: number, log: Logger): Promise<BroadcastRunOutcome> {
  const o = { ...BROADCAST_DEFAULTS, ...deps.options };
  const repo = deps.db.repos.broadcasts;
  let lastProgress = 0;
  for (;;) {
    const broadcast = await repo.get(broadcastId);
    if (!broadcast) return 'not_running';
    if (broadcast.status !== 'running') {
      if (broadcast.status === 'paused' || broadcast.status === 'cancelled') await deps.onProgress?.(broadcast, false);
      return broadcast.status === 'paused' || broadcast.status === 'cancelled' ? broadcast.status : 'not_running';
    }
    if (Date.now() - lastProgress >= o.progressEveryMs) {
      lastProgress = Date.now();
      await deps.onProgress?.(broadcast, false);
    }
    const closed = await repo.closeInDoubt(broadcastId);
    if (closed > 0) log.warn({ broadcastId, closed }, 'broadcast rows in doubt (a sender died mid-send) closed as failed');
    const rows = await repo.claimBatch(broadcastId, o.batchSize, o.leaseMs);
    if (rows.length === 0) {
      if ((await repo.countPending(broadcastId)) > 0) {
        await new Promise((r) => setTimeout(r, o.idleMs));
        continue;
      }
      const done = await repo.setStatus(broadcastId, 'done', ['running']);
      if (done) {
        log.info({ broadcastId, sent: done.sentCount, blocked: done.blockedCount, failed: done.failedCount }, 'broadcast finished');
        await deps.onProgress?.(done, true);
      }
      return 'done';
    }
    deps.crashPoint?.('broadcast:after-claim');
    await sendRows(deps, o, broadcast, rows, log);
  }
}

async function sendRows(deps: BroadcastSenderDeps, o: BroadcastSenderOptions, broadcast: Broadcast, rows: ClaimedDelivery[], log: Logger) {
  const queue = [...rows];
  const worker = async () => {
    for (let row = queue.shift(); row; row = queue.shift()) {
      try {
        const result = await sendRow(deps, o, broadcast, row, log);
        if (result !== 'released') metrics.broadcastMessages.inc({ outcome: result });
      } catch (err) {
        // A database error: the row stays claimed; its lease decides (retried untried, or closed in doubt).
        log.error({ err, broadcastId: broadcast.id, deliveryId: row.id }, 'broadcast row not recorded');
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(o.concurrency, rows.length) }, worker));
}

async function sendRow(
  deps: BroadcastSenderDeps,
  o: BroadcastSenderOptions,
  broadcast: Broadcast,
  row: ClaimedDelivery,
  log: Logger,
): Promise<RowResult> {
  const repo = deps.db.repos.broadcasts;
  const slot = await deps.sendLimiter.acquire(deps.botId, row.telegramId, { lane: 'bulk', paid: broadcast.allowPaid });
  // The slot may have taken long (a 429 pause): send only while the claim is surely ours.
  if (!(await repo.markAttempt(row.id, o.marginMs))) {
    await repo.release(row.id);
    return 'released';
  }
  let messageId: number;
  try {
    messageId = await sendBroadcastMessage(
      deps.bulkApi,
      row.telegramId,
      versionFor(broadcast, deps.i18n, row.languageCode),
      broadcast.allowPaid,
      deps.files,
    );
  } catch (err) {
    const info = classifyTelegramError(err);
    if (info.kind === 'rate-limited') {
      // Refused, so not delivered: every sender of the token waits, and the row is tried again.
      await deps.sendLimiter.pause(deps.botId, info.retryAfter ?? 1);
      await repo.release(row.id);
      return 'released';
    }
    if (info.kind === 'blocked') {
      await deps.db.repos.users.markBotBlocked(row.telegramId);
      await repo.markDelivery(row.id, 'blocked', { error: describe(err) });
      return 'blocked';
    }
    // Refused outright, or the network failed (it may have arrived): never tried again.
    log.warn({ err, broadcastId: broadcast.id, deliveryId: row.id, kind: info.kind }, 'broadcast message failed');
    await repo.markDelivery(row.id, 'failed', { error: `${info.kind}: ${describe(err)}`.slice(0, 500) });
    return 'failed';
  }
  await repo.markDelivery(row.id, 'sent', { messageId, paid: slot.paid });
  return 'sent';
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
