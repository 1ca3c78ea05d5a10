import { isBillingError } from '@vpn/billing';
import type { PaymentProvider } from '@vpn/db';
import { Composer } from 'grammy';
import type { ClientContext } from '../../context.js';
import { formatDate, formatMoney } from '../../ui/format.js';
import { once } from '../../ui/memo.js';
import { newNonce } from '../buy/checkout.js';
import { openAtProvider } from '../payments/open-at-provider.js';
import type { FeatureDeps } from '../feature-deps.js';
import { parseAmount } from './amount.js';

/** Entries shown under the balance. */
const RECENT = 5;

/**
 * The customer's balance: what is on it, the latest movements, and topping it up (preset amounts
 * from the settings or one typed within their limits, then any enabled payment method but Stars,
 * whose currency is not the balance's). Settlement credits the balance and the worker sends the
 * receipt; spending it is the checkout's "pay from balance".
 */
export function createBalanceFeature(deps: FeatureDeps): Composer<ClientContext> {
  const { screens, kit } = deps;
  const options = (ctx: ClientContext) => once(ctx, 'topUpOptions', () => deps.billing.balance.topUpOptions());
  const money = (ctx: ClientContext, minor: number, currency: string) => formatMoney(minor, currency, ctx.i18n.language);

  const choose = (amountMinor: number) => async (ctx: ClientContext) => {
    ctx.session.topUp = { amountMinor, nonce: newNonce() };
    await screens.show(ctx, 'tu');
  };
  const askAmount = async (ctx: ClientContext) => {
    const { minMinor, maxMinor, currency } = await options(ctx);
    await ctx.reply(ctx.t('client.balance.askAmount', { min: money(ctx, minMinor, currency), max: money(ctx, maxMinor, currency) }));
    ctx.session.step = 'topup';
  };

  const balanceMenu = screens.menu('bal').dynamic(async (ctx, range) => {
    const { presetsMinor, currency } = await options(ctx);
    presetsMinor.forEach((amount, i) => {
      range.text(ctx.t('client.balance.preset', { amount: money(ctx, amount, currency) }), choose(amount));
      if (i % 2 === 1) range.row();
    });
    range.row().text(ctx.t('client.balance.otherAmount'), askAmount).row();
  });
  balanceMenu.text((ctx) => ctx.t('client.common.back'), screens.to('m'));
  screens.add({
    id: 'bal',
    menu: balanceMenu,
    text: async (ctx) => {
      const { currency } = await options(ctx);
      const [amount, entries] = await Promise.all([
        deps.billing.balance.amount(ctx.customer.id, currency),
        deps.billing.balance.entries(ctx.customer.id, { limit: RECENT }),
      ]);
      const lines = [ctx.t('client.balance.title'), ctx.t('client.balance.amount', { amount: money(ctx, amount, currency) })];
      if (entries.length > 0) {
        lines.push('', ctx.t('client.balance.recent'));
        for (const e of entries) {
          const sign = e.amountMinor > 0 ? '+' : '−';
          const date = formatDate(e.createdAt, ctx.i18n.language, deps.timeZone);
          const what = ctx.t(`client.balance.kinds.${e.kind}`);
          lines.push(`${sign}${money(ctx, Math.abs(e.amountMinor), e.currency)} · ${what} · ${date}`);
        }
      }
      return [...lines, '', ctx.t('client.balance.choose')].join('\n');
    },
  });

  const topUpMenu = screens.menu('tu').dynamic(async (ctx, range) => {
    if (!ctx.session.topUp) return;
    // Stars are priced in their own currency, not the balance's.
    for (const name of await deps.methods.offered()) {
      if (name === 'stars') continue;
      range.text(ctx.t(`client.checkout.methods.${name}`), kit.expensive, (c) => payTopUp(c, name)).row();
    }
  });
  topUpMenu.text((ctx) => ctx.t('client.common.back'), screens.to('bal'));
  screens.add({
    id: 'tu',
    menu: topUpMenu,
    text: async (ctx) => {
      const topUp = ctx.session.topUp;
      if (!topUp) return ctx.t('client.balance.choose');
      const { currency } = await options(ctx);
      return [
        ctx.t('client.balance.topUpBy', { amount: money(ctx, topUp.amountMinor, currency) }),
        '',
        ctx.t('client.checkout.chooseMethod'),
      ].join('\n');
    },
  });

  /** Creates (or, for the same top-up, returns) the payment and opens it at `provider`. */
  const payTopUp = async (ctx: ClientContext, provider: Exclude<PaymentProvider, 'balance'>) => {
    const topUp = ctx.session.topUp;
    if (!topUp) return screens.show(ctx, 'bal');
    const create = () =>
      deps.billing.balance.createTopUp({
        userId: ctx.customer.id,
        provider,
        amountMinor: topUp.amountMinor,
        idempotencyKey: `tu:${ctx.customer.id}:${topUp.nonce}:${provider}`,
      });
    let made;
    try {
      made = await create();
      if (made.payment.status !== 'pending') {
        // This top-up was paid or cancelled meanwhile: pressing again is a new one.
        topUp.nonce = newNonce();
        made = await create();
      }
    } catch (err) {
      if (!isBillingError(err, 'AMOUNT_OUT_OF_RANGE')) throw err;
      // The limits changed since the amount was chosen.
      ctx.session.topUp = undefined;
      return screens.show(ctx, 'bal', { fresh: true });
    }
    const opened = await openAtProvider(ctx, deps, made, ctx.t('client.balance.topUpTitle'));
    if (!opened) {
      topUp.nonce = newNonce();
      await screens.show(ctx, 'tu', { fresh: true });
    }
  };

  const composer = new Composer<ClientContext>();
  composer.command('balance', screens.to('bal'));
  // The amount the customer was asked for (commands and menu buttons end the wait instead).
  composer.on('message:text').filter(
    (ctx) => ctx.session.step === 'topup' && !ctx.message.text.startsWith('/'),
    async (ctx) => {
      const { minMinor, maxMinor, currency } = await options(ctx);
      const amount = parseAmount(ctx.message.text);
      if (amount === null || amount < minMinor || amount > maxMinor) {
        await ctx.reply(ctx.t('client.balance.badAmount', { min: money(ctx, minMinor, currency), max: money(ctx, maxMinor, currency) }));
        return;
      }
      ctx.session.topUp = { amountMinor: amount, nonce: newNonce() };
      await screens.show(ctx, 'tu', { fresh: true });
    },
  );
  return composer;
}
