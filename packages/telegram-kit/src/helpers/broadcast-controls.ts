import type { Translate } from '@vpn/i18n';
import { InlineKeyboard } from 'grammy';
import { assertCallbackData } from './callback-data.js';

/**
 * The buttons under a broadcast's progress message. The admin bot sends that message and handles
 * the presses (its `bc` section); the worker edits it as the broadcast goes, and an edit without
 * the keyboard would remove it, so both build it here: one callback data contract for both.
 */
export const BROADCAST_CONTROL_VERBS = { pause: 'pa', resume: 're', cancel: 'ca', deleteCopies: 'dl' } as const;

/** `bc:<verb>:<broadcast id>`: the admin bot's broadcasts section. */
export const broadcastControlData = (verb: keyof typeof BROADCAST_CONTROL_VERBS, broadcastId: number): string =>
  assertCallbackData(`bc:${BROADCAST_CONTROL_VERBS[verb]}:${broadcastId}`);

/**
 * Pause and cancel while it runs, resume and cancel while paused, cancel while scheduled, "delete
 * the sent copies" once it has ended with copies sent (the admin bot checks Telegram's 48 h on the press).
 */
export function broadcastControls(t: Translate, b: { id: number; status: string; sentCount: number }): InlineKeyboard | undefined {
  const k = new InlineKeyboard();
  const button = (verb: keyof typeof BROADCAST_CONTROL_VERBS) =>
    k.text(t(`notifications.broadcast.buttons.${verb}`), broadcastControlData(verb, b.id));
  if (b.status === 'running') button('pause');
  if (b.status === 'paused') button('resume');
  if (['running', 'paused', 'scheduled'].includes(b.status)) button('cancel');
  if ((b.status === 'done' || b.status === 'cancelled') && b.sentCount > 0) button('deleteCopies');
  return k.inline_keyboard.flat().length > 0 ? k : undefined;
}

/** The counters a progress message shows (a `broadcasts` row). */
export interface BroadcastCounters {
  id: number;
  status: string;
  totalCount: number;
  sentCount: number;
  blockedCount: number;
  failedCount: number;
  paidCount: number;
  startedAt: Date | null;
  createdAt: Date;
}

/**
 * The progress message's text: sent, blocked, failed, left, rate and the time to go while it
 * runs; the report (with the paid-broadcast cost) once it has ended or stopped. The worker edits
 * the admin's message with it; the admin bot shows the same on a press.
 */
export function broadcastProgressText(t: Translate, b: BroadcastCounters, final: boolean, now: Date): string {
  const done = b.sentCount + b.blockedCount + b.failedCount;
  const left = Math.max(0, b.totalCount - done);
  const status = t(`notifications.broadcast.status.${b.status as 'running'}`);
  const vars = { id: b.id, status, sent: b.sentCount, blocked: b.blockedCount, failed: b.failedCount, left, total: b.totalCount };
  if (final || b.status !== 'running') {
    const report = t('notifications.broadcast.report', vars);
    return b.paidCount > 0 ? `${report}\n${t('notifications.broadcast.paidCost', { paid: b.paidCount, stars: b.paidCount / 10 })}` : report;
  }
  const seconds = Math.max(1, (now.getTime() - (b.startedAt ?? b.createdAt).getTime()) / 1000);
  const rate = done / seconds;
  const minutes = rate > 0 ? Math.ceil(left / rate / 60) : '—';
  return t('notifications.broadcast.progress', { ...vars, rate: rate.toFixed(1), minutes });
}
