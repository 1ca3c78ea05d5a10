import { randomBytes } from 'node:crypto';
import { can } from '@vpn/backoffice';
import { utcDay, type Payment, type PaymentStatus } from '@vpn/db';
import { escapeHtml } from '@vpn/i18n';
import { currencyExponent, decimalToMinor } from '@vpn/payments';
import { InputFile, InlineKeyboard } from 'grammy';
import type { AdminContext } from '../../context.js';
import { attempt, invalidInput } from '../../ui/errors.js';
import { amount, stamp } from '../../ui/format.js';
import { HOME, SectionRouter, show, type Section } from '../../ui/section.js';
import type { FeatureDeps } from '../feature-deps.js';

const PAGE = 10;
const STATUSES: readonly PaymentStatus[] = ['succeeded', 'pending', 'refunded', 'failed', 'cancelled'];
/** A confirmation's nonce: 8 hex characters keep `pay:rp:<uuid>:<minor>:<nonce>` under 64 bytes. */
const nonce = () => randomBytes(4).toString('hex');
/** What is already given back of a payment (its refunds, recorded by the back office). */
const refunded = (p: Payment): number =>
  Array.isArray(p.metadata.refunds)
    ? (p.metadata.refunds as { amountMinor?: number }[]).reduce((sum, r) => sum + (r.amountMinor ?? 0), 0)
    : 0;

/**
 * Payments: the newest, by status, paged ("older"), exported as CSV; a payment's card with its provider events; refunds in full
 * or in part (where the provider allows it) behind a confirmation whose nonce makes a double
 * press one refund. The back office refunds, shortens access and writes the audit row.
 */
export function createPaymentsSection(deps: FeatureDeps): Section {
  const r = new SectionRouter('pay');
  const { db, backoffice } = deps;

  /** A page of payments, newest first; `after` is the id of the last one of the previous page (the keyset cursor). */
  const list = async (ctx: AdminContext, status?: string, after?: string) => {
    const filter = STATUSES.find((s) => s === status);
    const last = after ? await db.repos.payments.get(after) : null;
    const page = await db.repos.payments.listForStaff({
      ...(filter ? { status: filter } : {}),
      ...(last ? { before: { createdAt: last.createdAt, id: last.id } } : {}),
      limit: PAGE + 1,
    });
    const payments = page.slice(0, PAGE);
    const keyboard = new InlineKeyboard();
    for (const p of payments) keyboard.text(`${p.status} · ${amount(p.amountMinor, p.currency)} · ${p.provider}`, r.data('v', p.id)).row();
    if (page.length > PAGE) keyboard.text(ctx.t('admin.common.older'), r.data('l', filter ?? '-', payments.at(-1)!.id)).row();
    STATUSES.forEach((s) => keyboard.text(`${s === filter ? '✓ ' : ''}${s}`, r.data('l', s)));
    keyboard.row().text(ctx.t('admin.payments.find'), r.data('f'));
    if (can(ctx.actor, 'payments:export')) keyboard.text(ctx.t('admin.payments.csv'), r.data('csv', filter ?? '-'));
    keyboard.row().text(ctx.t('admin.common.menu'), HOME);
    const lines = payments.map(
      (p) => `<code>${p.id.slice(0, 8)}</code> ${stamp(p.createdAt)} · #${p.userId} · ${p.status} · ${amount(p.amountMinor, p.currency)}`,
    );
    await show(
      ctx,
      [ctx.t('admin.payments.title'), '', ...(lines.length > 0 ? lines : [ctx.t('admin.payments.empty')])].join('\n'),
      keyboard,
    );
  };

  const card = async (ctx: AdminContext, id: string) => {
    const p = await db.repos.payments.get(id);
    if (!p) return list(ctx);
    const events = await db.repos.paymentEvents.listByPayment(p.id);
    const back = refunded(p);
    const text = [
      ctx.t('admin.payments.card', {
        id: p.id,
        user: p.userId,
        status: p.status,
        amount: amount(p.amountMinor, p.currency),
        provider: p.provider,
        external: p.externalId ?? '—',
        created: stamp(p.createdAt),
      }),
      back > 0 ? ctx.t('admin.payments.refunded', { amount: amount(back, p.currency) }) : null,
      '',
      `<b>${ctx.t('admin.payments.events')}</b>`,
      ...(events.length > 0
        ? events
            .slice(-10)
            .map((e) => `${stamp(e.receivedAt)} ${escapeHtml(e.kind)}${e.error ? ` ⚠️ ${escapeHtml(e.error.slice(0, 100))}` : ''}`)
        : ['—']),
    ].filter((l) => l !== null);
    const keyboard = new InlineKeyboard();
    if (p.status === 'succeeded' && can(ctx.actor, 'payments:refund')) {
      keyboard
        .text(ctx.t('admin.payments.refundAll'), r.data('ra', p.id))
        .text(ctx.t('admin.payments.refundPart'), r.data('pp', p.id))
        .row();
    }
    keyboard.text(ctx.t('admin.payments.customer'), `cu:v:${p.userId}`).text(ctx.t('admin.common.back'), r.data('o'));
    await show(ctx, text.join('\n'), keyboard);
  };

  const confirm = async (ctx: AdminContext, p: Payment, minor: number | null) => {
    const keyboard = new InlineKeyboard()
      .text(ctx.t('admin.common.confirm'), minor === null ? r.data('rf', p.id, nonce()) : r.data('rp', p.id, minor, nonce()))
      .text(ctx.t('admin.common.cancel'), r.data('v', p.id));
    const sum = amount(minor ?? p.amountMinor - refunded(p), p.currency);
    await ctx.reply(ctx.t('admin.payments.confirm', { amount: sum, id: p.id.slice(0, 8), user: p.userId }), { reply_markup: keyboard });
  };
  const refund = async (ctx: AdminContext, paymentId: string, requestId: string, amountMinor?: number) => {
    const result = await attempt(ctx, () =>
      backoffice.payments.refund(ctx.actor, { paymentId, requestId, ...(amountMinor ? { amountMinor } : {}) }),
    );
    if (result)
      await ctx.reply(
        ctx.t('admin.payments.done', { outcome: result.outcome, amount: amount(result.amountMinor, result.payment.currency) }),
      );
    await card(ctx, paymentId);
  };

  r.on('l', 'payments:read', (ctx, [status, after]) => list(ctx, status, after));
  r.on('csv', 'payments:export', async (ctx, [status]) => {
    const filter = STATUSES.find((s) => s === status);
    const result = await attempt(ctx, () => backoffice.payments.export(ctx.actor, filter ? { status: filter } : {}));
    if (!result) return;
    const caption = ctx.t(result.truncated ? 'admin.customers.csvTruncated' : 'admin.customers.csvDone', { rows: result.rows });
    await ctx.replyWithDocument(new InputFile(result.csv, `payments-${filter ?? 'all'}-${utcDay(deps.now())}.csv`), { caption });
  });
  r.on('v', 'payments:read', (ctx, [id]) => card(ctx, id ?? ''));
  r.on('f', 'payments:read', (ctx) => r.ask(ctx, 'id', ctx.t('admin.payments.askId'), { back: r.data('o') }));
  r.onText('id', 'payments:read', async (ctx, text) => {
    const id = text.trim().toLowerCase();
    const p = /^[0-9a-f-]{36}$/.test(id) ? await db.repos.payments.get(id) : null;
    if (!p) {
      await ctx.reply(invalidInput(ctx, ctx.t('admin.fields.paymentId')));
      return r.ask(ctx, 'id', ctx.t('admin.payments.askId'), { back: r.data('o') });
    }
    await card(ctx, p.id);
  });
  r.on('ra', 'payments:refund', async (ctx, [id]) => {
    const p = await db.repos.payments.get(id ?? '');
    if (p) await confirm(ctx, p, null);
  });
  r.on('pp', 'payments:refund', (ctx, [id]) =>
    r.ask(ctx, 'amt', ctx.t('admin.payments.askAmount'), { args: [id!], back: r.data('v', id!) }),
  );
  r.onText('amt', 'payments:refund', async (ctx, text, [id]) => {
    const p = await db.repos.payments.get(id ?? '');
    if (!p) return;
    const left = p.amountMinor - refunded(p);
    let minor: number | null = null;
    try {
      minor = decimalToMinor(text.trim().replace(',', '.'), currencyExponent(p.currency));
    } catch {
      minor = null;
    }
    if (minor === null || minor < 1 || minor > left) {
      await ctx.reply(`${invalidInput(ctx, ctx.t('admin.fields.amount'))} ${amount(1, p.currency)} … ${amount(left, p.currency)}`);
      return r.ask(ctx, 'amt', ctx.t('admin.payments.askAmount'), { args: [p.id], back: r.data('v', p.id) });
    }
    await confirm(ctx, p, minor);
  });
  r.on('rf', 'payments:refund', (ctx, [id, key]) => refund(ctx, id ?? '', key ?? ''));
  r.on('rp', 'payments:refund', (ctx, [id, minor, key]) => refund(ctx, id ?? '', key ?? '', Number(minor)));

  return { id: r.id, title: 'admin.payments.menu', permission: 'payments:read', open: (ctx) => list(ctx), composer: r.composer };
}
