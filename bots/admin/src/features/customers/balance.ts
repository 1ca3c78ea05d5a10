import { randomBytes } from 'node:crypto';
import type { Balance, BalanceEntry } from '@vpn/db';
import { escapeHtml } from '@vpn/i18n';
import type { AdminContext } from '../../context.js';
import { attempt } from '../../ui/errors.js';
import { parseSignedAmount } from '../../ui/input.js';
import { amount, stamp } from '../../ui/format.js';
import type { SectionRouter } from '../../ui/section.js';
import type { FeatureDeps } from '../feature-deps.js';

/** The card's balance lines: the balance per currency, then the latest entries with their reasons. */
export function balanceLines(ctx: AdminContext, balances: Balance[], entries: BalanceEntry[]): string[] {
  const total = balances.length > 0 ? balances.map((b) => amount(b.amountMinor, b.currency)).join(' · ') : '0';
  return [
    ctx.t('admin.customers.balance', { amount: total }),
    ...entries.map(
      (e) =>
        `${stamp(e.createdAt)} ${e.amountMinor > 0 ? '+' : '−'}${amount(Math.abs(e.amountMinor), e.currency)} ${e.kind}` +
        (e.reason ? ` · ${escapeHtml(e.reason)}` : ''),
    ),
  ];
}

/**
 * Adjust the balance (`customers:adjust_balance`): the signed amount, then the reason, then the
 * back office's action (one ledger entry and its audit row). The nonce minted when the amount is
 * asked for is the request id: a retried update adjusts once.
 */
export function installBalanceActions(
  r: SectionRouter,
  deps: FeatureDeps,
  done: (ctx: AdminContext, userId: number, result: unknown) => Promise<void>,
): void {
  const askAmount = (ctx: AdminContext, id: string, key: string) =>
    r.ask(ctx, 'aa', ctx.t('admin.customers.askBalanceAmount'), { args: [id, key], back: r.data('v', id) });
  r.on('ab', 'customers:adjust_balance', (ctx, [id]) => askAmount(ctx, id!, randomBytes(6).toString('hex')));
  r.onText('aa', 'customers:adjust_balance', async (ctx, text, [id, key]) => {
    const amountMinor = parseSignedAmount(text);
    if (amountMinor === null) {
      await ctx.reply(ctx.t('admin.customers.badBalanceAmount'));
      return askAmount(ctx, id!, key!);
    }
    await r.ask(ctx, 'ar', ctx.t('admin.customers.askBalanceReason'), { args: [id!, key!, amountMinor], back: r.data('v', id!) });
  });
  r.onText('ar', 'customers:adjust_balance', async (ctx, text, [id, key, amountMinor]) => {
    const userId = Number(id);
    const request = { userId, amountMinor: Number(amountMinor), reason: text, requestId: key ?? '' };
    await done(ctx, userId, await attempt(ctx, () => deps.backoffice.customers.adjustBalance(ctx.actor, request)));
  });
}
