import { normalisePromoCode, planOffer } from '@vpn/billing';
import { Composer } from 'grammy';
import type { ClientContext } from '../../context.js';
import { once } from '../../ui/memo.js';
import { sendPaymentMessage } from '../payments/payment-message.js';
import type { FeatureDeps } from '../feature-deps.js';
import { balanceUse, payFromBalance } from './balance-pay.js';
import { newNonce, payWith } from './checkout.js';
import { cardSaveChoice, cardSaveShown } from './card-save.js';
import { checkoutQuotes, checkoutText } from './checkout-view.js';
import { activePlans, planButton, planLine, planTitle } from './plans.js';

/** Promo codes as customers may type them; anything else is "unknown" without asking the database. */
const PROMO_INPUT = /^[A-Za-z0-9_-]{2,64}$/;
/** A pending payment older than this is not offered again (a new checkout is simpler). */
const PENDING_SHOWN_MS = 24 * 3_600_000;

/**
 * Buying and renewing: the plans with their discounts, a checkout per plan with an optional promo
 * code (clear answers: unknown, expired, used up, not for this plan ...), the enabled payment
 * methods, and the customer's unpaid payment to pay or cancel.
 */
export function createBuyFeature(deps: FeatureDeps): Composer<ClientContext> {
  const { screens, kit } = deps;
  const latestPending = (ctx: ClientContext) =>
    once(ctx, 'pending', async () => {
      const [payment] = await deps.db.repos.payments.listByUser(ctx.customer.id, { status: 'pending', limit: 1 });
      return payment && deps.now().getTime() - payment.createdAt.getTime() < PENDING_SHOWN_MS ? payment : null;
    });

  const buyMenu = screens.menu('buy').dynamic(async (ctx, range) => {
    for (const plan of await activePlans(ctx, deps)) {
      range
        .text(planButton(ctx, plan), async (c) => {
          // The plan as the list showed it: the checkout keeps these terms (billing `offeredPlan`).
          const offer = planOffer(plan, deps.now());
          c.session.checkout = { planId: plan.id, nonce: newNonce(), offer, ...(c.session.promo ? { promo: c.session.promo } : {}) };
          await screens.show(c, 'co');
        })
        .row();
    }
    if (await latestPending(ctx)) {
      range
        .text(ctx.t('client.buy.pending'), async (c) => {
          const payment = await latestPending(c);
          if (!payment) return screens.show(c, 'buy');
          const plan = payment.planId === null ? null : await deps.catalog.plan(payment.planId);
          await sendPaymentMessage(c, deps, payment, plan ? planTitle(c, plan) : '');
        })
        .row();
    }
  });
  buyMenu.text((ctx) => ctx.t('client.common.back'), screens.to('m'));
  screens.add({
    id: 'buy',
    menu: buyMenu,
    text: async (ctx) => {
      const plans = await activePlans(ctx, deps);
      if (plans.length === 0) return ctx.t('client.buy.noPlans');
      const lines = [ctx.t('client.buy.title'), '', ...plans.map((p) => planLine(ctx, p, plans))];
      if (ctx.session.promo) lines.push('', ctx.t('client.buy.promoWaiting', { code: ctx.session.promo }));
      return [...lines, '', ctx.t('client.buy.choose')].join('\n');
    },
  });

  const askPromo = async (ctx: ClientContext) => {
    await ctx.reply(ctx.t('client.promo.ask'));
    ctx.session.step = 'promo';
  };
  const dropPromo = async (ctx: ClientContext) => {
    if (ctx.session.checkout) ctx.session.checkout = { ...ctx.session.checkout, promo: undefined, nonce: newNonce() };
    ctx.session.promo = undefined;
    await screens.show(ctx, 'co');
  };
  const coMenu = screens.menu('co').dynamic(async (ctx, range) => {
    const quotes = await checkoutQuotes(ctx, deps);
    if (!quotes) return;
    const balance = await balanceUse(ctx, deps);
    if (balance?.kind === 'full') range.text(ctx.t('client.checkout.payFromBalance'), kit.expensive, (c) => payFromBalance(c, deps)).row();
    if (balance?.kind === 'part')
      range
        .text(ctx.t(balance.ticked ? 'client.checkout.useBalanceOn' : 'client.checkout.useBalanceOff'), async (c) => {
          const checkout = c.session.checkout;
          if (checkout) checkout.useBalance = !((await balanceUse(c, deps))?.ticked ?? true);
          await screens.show(c, 'co');
        })
        .row();
    for (const name of await deps.methods.offered()) {
      if (name === 'stars' && !quotes.stars) continue;
      range.text(ctx.t(`client.checkout.methods.${name}`), kit.expensive, (c) => payWith(c, deps, name)).row();
    }
    if (await cardSaveShown(ctx, deps)) {
      const { ticked } = await cardSaveChoice(ctx, deps);
      range
        .text(ctx.t(ticked ? 'client.checkout.saveCardOn' : 'client.checkout.saveCardOff'), async (c) => {
          const checkout = c.session.checkout;
          if (checkout) checkout.saveCard = !(await cardSaveChoice(c, deps)).ticked;
          await screens.show(c, 'co');
        })
        .row();
    }
    if (ctx.session.checkout?.promo)
      range.text(ctx.t('client.checkout.removePromo', { code: ctx.session.checkout.promo }), dropPromo).row();
    else range.text(ctx.t('client.checkout.enterPromo'), askPromo).row();
  });
  coMenu.text((ctx) => ctx.t('client.checkout.backToPlans'), screens.to('buy'));
  screens.add({ id: 'co', menu: coMenu, text: (ctx) => checkoutText(ctx, deps) });

  const composer = new Composer<ClientContext>();
  composer.command(['buy', 'renew'], screens.to('buy'));
  composer.command('promo', async (ctx) => (ctx.session.checkout ? askPromo(ctx) : screens.show(ctx, 'buy')));

  // The promo code the customer was asked for (commands and menu buttons end the wait instead).
  composer.on('message:text').filter(
    (ctx) => ctx.session.step === 'promo' && !ctx.message.text.startsWith('/'),
    async (ctx) => {
      const checkout = ctx.session.checkout;
      if (!checkout) return screens.show(ctx, 'buy');
      const typed = ctx.message.text.trim();
      const check = PROMO_INPUT.test(typed)
        ? await deps.billing.promo.validatePromo(typed, ctx.customer.id, checkout.planId, deps.now(), checkout.nonce)
        : ({ ok: false, reason: 'unknown' } as const);
      if (!check.ok) {
        ctx.logger.info({ reason: check.reason }, 'promo code refused');
        await ctx.reply(`${ctx.t(`client.promo.${check.reason}`)}\n\n${ctx.t('client.promo.tryAgain')}`);
        return;
      }
      ctx.session.checkout = { ...checkout, promo: normalisePromoCode(typed), nonce: newNonce() };
      ctx.session.promo = undefined;
      await ctx.reply(ctx.t('client.promo.applied', { code: normalisePromoCode(typed) }));
      await screens.show(ctx, 'co', { fresh: true });
    },
  );
  return composer;
}
