import { isBillingError } from '@vpn/billing';
import type { Logger } from '@vpn/logger';
import { Composer } from 'grammy';
import type { MenuRange } from '@grammyjs/menu';
import type { ClientContext } from '../../context.js';
import { trialAvailable } from '../../ui/customer-state.js';
import type { FeatureDeps } from '../feature-deps.js';

/**
 * Asks the worker to dispatch outbox rows now rather than at its next sweep, so provisioning of
 * what billing just wrote starts at once. Best effort: the sweep picks the rows up anyway.
 */
export async function kickOutbox(deps: Pick<FeatureDeps, 'producers'>, logger: Logger): Promise<void> {
  try {
    await deps.producers.outboxDispatch.add({});
  } catch (err) {
    logger.warn({ err }, 'could not kick the outbox dispatcher; the schedule will pick the rows up');
  }
}

/**
 * The trial action: billing starts the one trial atomically (with the provisioning outbox row),
 * the customer sees progress at once, and the worker sends the config when the panel answered.
 */
export function createStartTrial(deps: FeatureDeps): (ctx: ClientContext) => Promise<void> {
  return async (ctx) => {
    try {
      const subscription = await deps.billing.trial.startTrial(ctx.customer.id);
      deps.customers.forget(ctx.customer.telegramId);
      deps.live.forgetCustomer(ctx.customer.id);
      await kickOutbox(deps, ctx.logger);
      const { trialDays } = await deps.billing.settings();
      ctx.logger.info({ subscriptionId: subscription.id }, 'trial started from the bot');
      await ctx.reply(ctx.t('client.trial.preparing', { count: trialDays }));
    } catch (err) {
      if (!isBillingError(err, 'TRIAL_ALREADY_USED', 'TRIAL_NOT_ELIGIBLE', 'TRIAL_DISABLED')) throw err;
      deps.customers.forget(ctx.customer.telegramId);
      await ctx.reply(ctx.t(isBillingError(err, 'TRIAL_DISABLED') ? 'client.trial.disabled' : 'client.trial.unavailable'));
      await deps.screens.show(ctx, 'buy', { fresh: true });
    }
  };
}

/** What screens that offer the trial need: the trial action. */
export type TrialDeps = FeatureDeps & { startTrial: (ctx: ClientContext) => Promise<void> };

/**
 * Adds the "Free trial" button when the trial is this customer's to take (see `trialAvailable`);
 * says whether it did, so the screen's text mentions the trial only then.
 */
export async function offerTrial(ctx: ClientContext, range: MenuRange<ClientContext>, deps: TrialDeps): Promise<boolean> {
  if (!(await trialAvailable(ctx, deps))) return false;
  range.text(ctx.t('client.menu.trial'), deps.kit.expensive, deps.startTrial);
  return true;
}

/** `/trial`; the main menu's trial button uses the same action. */
export function createTrialFeature(deps: TrialDeps): Composer<ClientContext> {
  const composer = new Composer<ClientContext>();
  composer.command('trial', deps.kit.expensive, deps.startTrial);
  return composer;
}
