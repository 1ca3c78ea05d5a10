import type { Subscription, UsageSnapshot } from '@vpn/db';
import type { ClientContext } from '../../context.js';
import { accountOf } from '../../ui/customer-state.js';
import { formatBytes, formatDate } from '../../ui/format.js';
import { once } from '../../ui/memo.js';
import type { FeatureDeps } from '../feature-deps.js';

/** Traffic figures of a subscription: used, limit (null = unlimited), left. */
export interface Traffic {
  usedBytes: number;
  limitBytes: number | null;
  leftBytes: number | null;
  snapshot: UsageSnapshot | null;
}

/** The latest usage sample of the subscription's panel account (synced by the worker). */
export async function trafficOf(ctx: ClientContext, deps: FeatureDeps, sub: Subscription): Promise<Traffic> {
  const account = await accountOf(ctx, deps, sub);
  const snapshot = account ? await once(ctx, `usage:${account.id}`, () => deps.db.repos.usageSnapshots.latest(account.id)) : null;
  const usedBytes = Number(snapshot?.usedBytes ?? 0);
  const limitBytes = sub.trafficLimitBytes === null ? null : Number(sub.trafficLimitBytes);
  return { usedBytes, limitBytes, leftBytes: limitBytes === null ? null : Math.max(0, limitBytes - usedBytes), snapshot };
}

/** "used X of Y, Z left" or "used X, unlimited". */
export function trafficLine(ctx: ClientContext, traffic: Traffic): string {
  const lng = ctx.i18n.language;
  const used = formatBytes(traffic.usedBytes, lng);
  if (traffic.limitBytes === null || traffic.leftBytes === null) return ctx.t('client.usage.unlimited', { used });
  return ctx.t('client.usage.limited', { used, limit: formatBytes(traffic.limitBytes, lng), left: formatBytes(traffic.leftBytes, lng) });
}

/** The usage screen's text. */
export async function usageText(ctx: ClientContext, deps: FeatureDeps, sub: Subscription | null): Promise<string> {
  if (!sub) return ctx.t('client.usage.none');
  const traffic = await trafficOf(ctx, deps, sub);
  const lng = ctx.i18n.language;
  const lines = [ctx.t('client.usage.title'), '', trafficLine(ctx, traffic)];
  lines.push(sub.deviceLimit === null ? ctx.t('client.usage.devicesUnlimited') : ctx.t('client.usage.devices', { count: sub.deviceLimit }));
  const online = traffic.snapshot?.onlineAt;
  lines.push(online ? ctx.t('client.usage.online', { date: formatDate(online, lng, deps.timeZone) }) : ctx.t('client.usage.neverOnline'));
  if (traffic.snapshot) lines.push(ctx.t('client.usage.updated', { date: formatDate(traffic.snapshot.takenAt, lng, deps.timeZone) }));
  return lines.join('\n');
}
