import { can, loadCustomerOverview } from '@vpn/backoffice';
import type { User } from '@vpn/db';
import { escapeHtml } from '@vpn/i18n';
import { InlineKeyboard } from 'grammy';
import type { AdminContext } from '../../context.js';
import { amount, stamp } from '../../ui/format.js';
import { HOME, SectionRouter, show, type Section } from '../../ui/section.js';
import type { FeatureDeps } from '../feature-deps.js';
import { installCustomerActions } from './actions.js';
import { balanceLines } from './balance.js';
import { installCustomerLists, segmentButtons } from './lists.js';

/** Results shown per search: buttons, one a row. */
const RESULTS = 10;

const who = (u: User) =>
  `${escapeHtml([u.firstName, u.lastName].filter(Boolean).join(' ') || '—')}${u.username ? ` @${escapeHtml(u.username)}` : ''}`;

/** `https://t.me/c/<id>/<thread>` of a topic in a supergroup (`-100<id>`); null for any other chat. */
export const topicLink = (chatId: number, threadId: number): string | null =>
  String(chatId).startsWith('-100') ? `https://t.me/c/${String(chatId).slice(4)}/${threadId}` : null;

/**
 * Customers: a search by whatever staff have (Telegram id, @username, name, referral code,
 * payment id, panel username, subscription link) and the customer's card: subscription,
 * payments, referrals, ticket and audit entries, with the back office's actions (`actions.ts`)
 * and a link to their support topic; lists by segment with a CSV export (`lists.ts`).
 */
export function createCustomersSection(deps: FeatureDeps): Section {
  const r = new SectionRouter('cu');
  const { db } = deps;

  /** The search prompt, with the segment lists under it. */
  const ask = async (ctx: AdminContext) => {
    ctx.session.prompt = { s: r.id, n: 'q' };
    const keyboard = segmentButtons(ctx, r, new InlineKeyboard()).text(ctx.t('admin.common.cancel'), HOME);
    if (ctx.callbackQuery) await ctx.answerCallbackQuery();
    await ctx.reply(ctx.t('admin.customers.ask'), { reply_markup: keyboard });
  };

  const card = async (ctx: AdminContext, userId: number) => {
    const overview = await loadCustomerOverview(db, userId, { audit: 3 });
    if (!overview) return ask(ctx);
    const { user, subscription: sub, plan, payments, referrals, ticket, audit } = overview;
    const [balances, entries, topic] = await Promise.all([
      db.repos.balances.listForUser(user.id),
      db.repos.balances.listEntries(user.id, { limit: 3 }),
      db.repos.supportRelays.getTopic(user.id),
    ]);
    const lines = [
      `<b>#${user.id}</b> ${who(user)} · <code>${user.telegramId}</code> · ${escapeHtml(user.languageCode ?? '?')}`,
      ctx.t('admin.customers.since', { date: stamp(user.createdAt), code: user.referralCode, referrals }),
      user.blocked ? ctx.t('admin.customers.blocked', { reason: user.blockedReason ?? '—' }) : null,
      user.trialUsedAt ? ctx.t('admin.customers.trialUsed', { date: stamp(user.trialUsedAt) }) : ctx.t('admin.customers.trialFree'),
      '',
      sub
        ? ctx.t('admin.customers.subscription', {
            status: sub.status,
            plan: plan ? plan.title[ctx.i18n.language] : sub.isTrial ? 'trial' : '—',
            ends: stamp(sub.endsAt),
            server: sub.serverId ?? '—',
          })
        : ctx.t('admin.customers.noSubscription'),
      '',
      ...balanceLines(ctx, balances, entries),
      '',
      `<b>${ctx.t('admin.customers.payments')}</b>`,
      ...(payments.length > 0
        ? payments.map(
            (p) =>
              `<code>${p.id.slice(0, 8)}</code> ${p.status} ${amount(p.amountMinor, p.currency)} · ${p.provider} · ${stamp(p.createdAt)}`,
          )
        : ['—']),
      ticket ? `\n${ctx.t('admin.customers.ticket', { id: ticket.id, status: ticket.status })}` : null,
      audit.length > 0
        ? `\n<b>${ctx.t('admin.customers.audit')}</b>\n${audit.map((e) => `${stamp(e.createdAt)} ${escapeHtml(e.action)}`).join('\n')}`
        : null,
    ];
    const keyboard = actions.keyboard(ctx, user);
    // The customer's forum topic in the staff group (a supergroup's t.me/c link opens it for members).
    const link = topic ? topicLink(topic.chatId, topic.threadId) : null;
    if (link) keyboard.row().url(ctx.t('admin.customers.topic'), link);
    await show(ctx, lines.filter((l) => l !== null).join('\n'), keyboard);
  };

  const actions = installCustomerActions(r, deps, card);
  installCustomerLists(r, deps, who);

  const results = async (ctx: AdminContext, query: string) => {
    const found = await db.repos.users.search(query, RESULTS);
    if (found.length === 0) {
      await ctx.reply(ctx.t('admin.customers.none'));
      return ask(ctx);
    }
    if (found.length === 1) return card(ctx, found[0]!.id);
    const keyboard = new InlineKeyboard();
    for (const u of found)
      keyboard
        .text(`#${u.id} ${[u.firstName, u.username && `@${u.username}`].filter(Boolean).join(' ')}`.slice(0, 60), r.data('v', u.id))
        .row();
    keyboard.text(ctx.t('admin.customers.again'), r.data('s')).text(ctx.t('admin.common.menu'), HOME);
    await ctx.reply(ctx.t('admin.customers.found', { count: found.length }), { reply_markup: keyboard });
  };

  r.on('s', 'customers:read', ask);
  r.on('v', 'customers:read', (ctx, [id]) => card(ctx, Number(id)));
  r.onText('q', 'customers:read', async (ctx, text) => {
    if (text.length > 300) {
      await ctx.reply(ctx.t('admin.customers.tooLong'));
      return ask(ctx);
    }
    await results(ctx, text);
  });
  // `/find <anything>` searches at once, from anywhere.
  r.composer.command('find', async (ctx) => {
    if (!can(ctx.actor, 'customers:read')) return;
    if (ctx.match.trim() === '') return ask(ctx);
    await results(ctx, ctx.match);
  });

  return { id: r.id, title: 'admin.customers.menu', permission: 'customers:read', open: ask, composer: r.composer };
}
