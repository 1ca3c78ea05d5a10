import { escapeHtml } from '@vpn/i18n';
import { queues as QUEUES } from '@vpn/queues';
import type { AdminContext } from '../../context.js';
import { stamp } from '../../ui/format.js';
import type { FeatureDeps } from '../feature-deps.js';

const ICON: Record<string, string> = { healthy: '🟢', degraded: '🟡', down: '🔴', unknown: '⚪️' };
/** Alerts (audit rows `alert.*` by the system) of the last day are counted per kind. */
const ALERT_WINDOW_MS = 86_400_000;

/**
 * Health: each panel's state and load, each queue's depth and failed jobs (a queue with nothing
 * waiting, running or failed is left out), and the operator alerts of the last 24 hours.
 */
export async function healthText(ctx: AdminContext, deps: FeatureDeps): Promise<string> {
  const t = ctx.t;
  const servers = await deps.db.repos.servers.list();
  const serverLines = servers.map(
    (s) =>
      `${ICON[s.healthStatus] ?? '⚪️'} ${escapeHtml(s.name)} · ${s.usersCount}/${s.capacity ?? '∞'}${s.active ? '' : ` · ${t('admin.dashboard.off')}`} · ${stamp(s.healthCheckedAt)}`,
  );
  const queueLines: string[] = [];
  if (deps.queues) {
    for (const contract of Object.values(QUEUES)) {
      // Each contract's payload type differs; only the counts are read here.
      const c = await deps.queues.queue(contract as (typeof QUEUES)['broadcast']).getJobCounts();
      if (c.waiting + c.active + c.delayed + c.failed === 0) continue;
      queueLines.push(
        `${c.failed > 0 ? '⚠️' : '•'} ${contract.name}: ${t('admin.dashboard.queue', { waiting: c.waiting, active: c.active, delayed: c.delayed, failed: c.failed })}`,
      );
    }
  }
  const since = new Date(deps.now().getTime() - ALERT_WINDOW_MS);
  const alerts = new Map<string, number>();
  for (const e of await deps.db.repos.auditLog.list({ actionPrefix: 'alert.', limit: 200 }))
    if (e.createdAt >= since) alerts.set(e.action, (alerts.get(e.action) ?? 0) + 1);
  return [
    t('admin.dashboard.healthTitle'),
    `<b>${t('admin.dashboard.servers')}</b>`,
    ...(serverLines.length > 0 ? serverLines : ['—']),
    '',
    `<b>${t('admin.dashboard.queues')}</b>`,
    ...(deps.queues ? (queueLines.length > 0 ? queueLines : [t('admin.dashboard.queuesIdle')]) : ['—']),
    '',
    `<b>${t('admin.dashboard.alerts')}</b>`,
    ...(alerts.size > 0 ? [...alerts].map(([action, n]) => `⚠️ ${escapeHtml(action)} × ${n}`) : [t('admin.dashboard.noAlerts')]),
  ].join('\n');
}
