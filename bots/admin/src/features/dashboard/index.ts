import type { DayStats } from '@vpn/db';
import { utcDay } from '@vpn/db';
import { escapeHtml } from '@vpn/i18n';
import { InputFile, InlineKeyboard } from 'grammy';
import type { AdminContext } from '../../context.js';
import { amount } from '../../ui/format.js';
import { HOME, SectionRouter, show, type Section } from '../../ui/section.js';
import type { FeatureDeps } from '../feature-deps.js';
import { renderChart } from './chart.js';
import { currenciesOf, rate, sumDays, tableRow } from './figures.js';
import { healthText } from './health.js';

/** The chart's and the longest window's days. */
const DAYS = 30;
const DAY_MS = 86_400_000;
const WIDTHS = { label: 16, cell: 13 };

/**
 * The dashboard: now (customers, active, paying, trial subscriptions, expiring in 3 days), and
 * today / 7 days / 30 days (new customers, trials, trial → paid, revenue, payments and refunds by
 * currency); a chart of revenue and new customers per day as a PNG; health (servers, queues,
 * alerts). Finished days come from the daily statistics table (filled here when a day is missing),
 * today is computed live: a few small queries even on a million customers.
 */
export function createDashboardSection(deps: FeatureDeps): Section {
  const r = new SectionRouter('db');
  const { db } = deps;

  /** The last `DAYS` days, today (live) last. */
  const days = async (): Promise<DayStats[]> => {
    const now = deps.now();
    await db.repos.stats.fillMissing(DAYS - 1, now);
    const stored = await db.repos.stats.listDays(
      utcDay(new Date(now.getTime() - (DAYS - 1) * DAY_MS)),
      utcDay(new Date(now.getTime() - DAY_MS)),
    );
    return [...stored, await db.repos.stats.computeDay(utcDay(now))];
  };

  const overview = async (ctx: AdminContext) => {
    const all = await days();
    const live = await db.repos.stats.live(deps.now());
    const windows = [sumDays(all.slice(-1)), sumDays(all.slice(-7)), sumDays(all)];
    const t = ctx.t;
    const row = (label: string, cells: string[]) => tableRow(label, cells, WIDTHS);
    const lines = [
      row('', [t('admin.dashboard.today'), t('admin.dashboard.days7'), t('admin.dashboard.days30')]),
      row(
        t('admin.dashboard.newCustomers'),
        windows.map((w) => String(w.newCustomers)),
      ),
      row(
        t('admin.dashboard.trials'),
        windows.map((w) => String(w.trials)),
      ),
      row(
        t('admin.dashboard.conversions'),
        windows.map((w) => `${w.conversions} ${rate(w)}`),
      ),
    ];
    for (const cur of currenciesOf(windows)) {
      lines.push(
        row(
          `${t('admin.dashboard.revenue')} ${cur}`,
          windows.map((w) => amount(w.revenue[cur] ?? 0, cur).split(' ')[0]!),
        ),
      );
      lines.push(
        row(
          `${t('admin.dashboard.payments')} ${cur}`,
          windows.map((w) => String(w.payments[cur] ?? 0)),
        ),
      );
      const refunds = windows.map((w) => w.refunds[cur] ?? 0);
      if (refunds.some((v) => v > 0))
        lines.push(
          row(
            `${t('admin.dashboard.refunds')} ${cur}`,
            refunds.map((v) => amount(v, cur).split(' ')[0]!),
          ),
        );
    }
    const text = [
      t('admin.dashboard.title', { day: utcDay(deps.now()) }),
      t('admin.dashboard.now', {
        customers: live.customers,
        active: live.activeSubscriptions,
        paying: live.payingSubscriptions,
        trial: live.trialSubscriptions,
        expiring: live.expiringSoon,
        blocked: live.blocked,
      }),
      `<pre>${escapeHtml(lines.join('\n'))}</pre>`,
    ].join('\n\n');
    const keyboard = new InlineKeyboard()
      .text(t('admin.dashboard.chart'), r.data('c'))
      .text(t('admin.dashboard.health'), r.data('hl'))
      .row()
      .text(t('admin.dashboard.refresh'), r.data('o'))
      .text(t('admin.common.menu'), HOME);
    await show(ctx, text, keyboard);
  };

  r.on('c', 'dashboard:read', async (ctx) => {
    const all = await days();
    // One currency per chart: the one with the most revenue over the 30 days.
    const [cur] = currenciesOf([sumDays(all)]);
    const png = renderChart(
      all.map((d) => ({
        day: d.day,
        revenue: cur ? Number(amount(d.revenue[cur] ?? 0, cur).split(' ')[0]) : 0,
        customers: d.newCustomers,
      })),
    );
    const caption = ctx.t('admin.dashboard.chartCaption', { days: DAYS, currency: cur ?? '—' });
    await ctx.replyWithPhoto(new InputFile(png, 'dashboard.png'), { caption });
  });
  r.on('hl', 'dashboard:read', async (ctx) => {
    const keyboard = new InlineKeyboard()
      .text(ctx.t('admin.dashboard.refresh'), r.data('hl'))
      .text(ctx.t('admin.common.back'), r.data('o'));
    await show(ctx, await healthText(ctx, deps), keyboard);
  });

  return { id: r.id, title: 'admin.dashboard.menu', permission: 'dashboard:read', open: overview, composer: r.composer };
}
