import { can } from '@vpn/backoffice';
import { CUSTOMER_SEGMENTS, utcDay, type CustomerSegment, type User } from '@vpn/db';
import { InputFile, InlineKeyboard } from 'grammy';
import type { AdminContext } from '../../context.js';
import { attempt } from '../../ui/errors.js';
import { stamp } from '../../ui/format.js';
import { HOME, type SectionRouter, show } from '../../ui/section.js';
import type { FeatureDeps } from '../feature-deps.js';

/** Customers per page: one button each, well within a message's limits. */
const PAGE = 10;

const segmentOf = (s: string | undefined): CustomerSegment => CUSTOMER_SEGMENTS.find((x) => x === s) ?? 'all';

/** The segment buttons (three a row), the current one ticked. */
export function segmentButtons(ctx: AdminContext, r: SectionRouter, keyboard: InlineKeyboard, current?: CustomerSegment): InlineKeyboard {
  CUSTOMER_SEGMENTS.forEach((s, i) => {
    keyboard.text(`${s === current ? '✓ ' : ''}${ctx.t(`admin.customers.segments.${s}`)}`, r.data('ls', s));
    if (i % 3 === 2) keyboard.row();
  });
  return keyboard.row();
}

/**
 * Lists of customers by segment (all, active, ending within 3 days, expired, trial, never paid,
 * blocked), newest first, paged by id ("older" carries the last id shown), and the segment as a
 * CSV document (`customers:export`, through the back office, which audits it).
 */
export function installCustomerLists(r: SectionRouter, deps: FeatureDeps, name: (u: User) => string): void {
  const { db, backoffice } = deps;

  r.on('ls', 'customers:read', async (ctx, [s, before]) => {
    const segment = segmentOf(s);
    const beforeId = Number(before) > 0 ? Number(before) : undefined;
    const page = await db.repos.users.listForStaff({ segment, limit: PAGE + 1, ...(beforeId ? { beforeId } : {}) });
    const shown = page.slice(0, PAGE);
    const keyboard = new InlineKeyboard();
    for (const u of shown)
      keyboard
        .text(`#${u.id} ${[u.firstName, u.username && `@${u.username}`].filter(Boolean).join(' ')}`.slice(0, 60), r.data('v', u.id))
        .row();
    if (page.length > PAGE) keyboard.text(ctx.t('admin.common.older'), r.data('ls', segment, shown.at(-1)!.id)).row();
    segmentButtons(ctx, r, keyboard, segment);
    if (can(ctx.actor, 'customers:export')) keyboard.text(ctx.t('admin.customers.csv'), r.data('csv', segment));
    keyboard.text(ctx.t('admin.common.menu'), HOME);
    const lines = shown.map((u) => `#${u.id} ${name(u)} · ${stamp(u.createdAt).slice(0, 10)}${u.blocked ? ' ⛔️' : ''}`);
    const title = ctx.t('admin.customers.listTitle', { segment: ctx.t(`admin.customers.segments.${segment}`) });
    await show(ctx, [title, '', ...(lines.length > 0 ? lines : [ctx.t('admin.customers.listEmpty')])].join('\n'), keyboard);
  });

  r.on('csv', 'customers:export', async (ctx, [s]) => {
    const segment = segmentOf(s);
    const result = await attempt(ctx, () => backoffice.customers.export(ctx.actor, { segment }));
    if (!result) return;
    const caption = ctx.t(result.truncated ? 'admin.customers.csvTruncated' : 'admin.customers.csvDone', { rows: result.rows });
    await ctx.replyWithDocument(new InputFile(result.csv, `customers-${segment}-${utcDay(deps.now())}.csv`), { caption });
  });
}
