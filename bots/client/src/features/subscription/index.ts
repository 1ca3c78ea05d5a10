import { isBillingError } from '@vpn/billing';
import { Composer } from 'grammy';
import type { ClientContext } from '../../context.js';
import { currentSubscription, isRunning, planOf, statusLine, trialAvailable } from '../../ui/customer-state.js';
import { formatDate } from '../../ui/format.js';
import { forget } from '../../ui/memo.js';
import type { FeatureDeps } from '../feature-deps.js';
import { offerTrial, type TrialDeps } from '../trial/index.js';
import { trafficLine, trafficOf, usageText } from './usage-view.js';

async function subscriptionText(ctx: ClientContext, deps: FeatureDeps): Promise<string> {
  const sub = await currentSubscription(ctx, deps);
  if (!sub) return ctx.t((await trialAvailable(ctx, deps)) ? 'client.subscription.none' : 'client.subscription.noneNoTrial');
  const lng = ctx.i18n.language;
  const plan = await planOf(ctx, deps, sub);
  const lines = [ctx.t('client.subscription.title'), '', statusLine(ctx, deps, sub)];
  lines.push(ctx.t('client.subscription.plan', { plan: sub.isTrial ? ctx.t('client.subscription.trialPlan') : (plan?.title[lng] ?? '—') }));
  if (sub.endsAt) lines.push(ctx.t('client.subscription.until', { date: formatDate(sub.endsAt, lng, deps.timeZone) }));
  lines.push(trafficLine(ctx, await trafficOf(ctx, deps, sub)));
  lines.push(sub.deviceLimit === null ? ctx.t('client.usage.devicesUnlimited') : ctx.t('client.usage.devices', { count: sub.deviceLimit }));
  if (!sub.isTrial) lines.push(ctx.t(sub.autoRenew ? 'client.subscription.autoRenewOn' : 'client.subscription.autoRenewOff'));
  return lines.join('\n');
}

/**
 * "My subscription" (plan, status, expiry, traffic, devices, auto-renew switch) and "Usage".
 * Auto-renew can be switched on only with a saved payment method (a card payment that saved it).
 */
export function createSubscriptionFeature(deps: TrialDeps): Composer<ClientContext> {
  const { screens } = deps;

  const toggleAutoRenew = async (ctx: ClientContext) => {
    const sub = await currentSubscription(ctx, deps);
    if (!sub || sub.isTrial) return screens.show(ctx, 'sub');
    try {
      await deps.billing.subscriptions.setAutoRenew(sub.id, !sub.autoRenew, { actor: `user:${ctx.customer.id}` });
      deps.live.forgetCustomer(ctx.customer.id);
      await ctx.answerCallbackQuery({
        text: ctx.t(sub.autoRenew ? 'client.subscription.autoRenewTurnedOff' : 'client.subscription.autoRenewTurnedOn'),
      });
    } catch (err) {
      if (!isBillingError(err, 'NO_SAVED_METHOD')) throw err;
      await ctx.answerCallbackQuery({ text: ctx.t('client.subscription.autoRenewNeedsCard'), show_alert: true });
    }
    forget(ctx, 'subscription');
    await screens.show(ctx, 'sub');
  };

  const subMenu = screens
    .menu('sub')
    .dynamic(async (ctx, range) => {
      const sub = await currentSubscription(ctx, deps);
      if (!sub) await offerTrial(ctx, range, deps);
      range.text(ctx.t(isRunning(sub, deps.now()) ? 'client.menu.renew' : 'client.menu.buy'), screens.to('buy'));
      if (sub) range.text(ctx.t('client.menu.config'), screens.to('cfg'));
      range.row();
      if (sub && !sub.isTrial && (sub.autoRenew || sub.savedPaymentMethodId)) {
        range
          .text(ctx.t(sub.autoRenew ? 'client.subscription.turnAutoRenewOff' : 'client.subscription.turnAutoRenewOn'), toggleAutoRenew)
          .row();
      }
    })
    .text((ctx) => ctx.t('client.common.back'), screens.to('m'));
  screens.add({ id: 'sub', menu: subMenu, text: (ctx) => subscriptionText(ctx, deps) });

  const useMenu = screens
    .menu('use')
    .text((ctx) => ctx.t('client.common.refresh'), screens.to('use'))
    .text((ctx) => ctx.t('client.common.back'), screens.to('m'));
  screens.add({ id: 'use', menu: useMenu, text: async (ctx) => usageText(ctx, deps, await currentSubscription(ctx, deps)) });

  const composer = new Composer<ClientContext>();
  composer.command(['subscription', 'sub'], screens.to('sub'));
  composer.command('usage', screens.to('use'));
  return composer;
}
