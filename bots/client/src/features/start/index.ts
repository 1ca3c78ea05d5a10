import { Composer } from 'grammy';
import type { ClientContext } from '../../context.js';
import { trialAvailable } from '../../ui/customer-state.js';
import { trialTerms } from '../../ui/trial-terms.js';
import type { FeatureDeps } from '../feature-deps.js';
import { parseStartPayload } from './deep-link.js';

/**
 * `/start` (the customer was registered by the customer middleware, deep link included): a new
 * customer is welcomed and offered the trial, a returning one lands on the main menu. A promo
 * link is kept for the next checkout; a referral link only counts for a new customer.
 */
export function createStartFeature(deps: FeatureDeps): Composer<ClientContext> {
  const composer = new Composer<ClientContext>();

  composer.command('start', async (ctx) => {
    const link = parseStartPayload(ctx.match);
    const notes: string[] = [];
    if (link?.kind === 'promo') {
      ctx.session.promo = link.code;
      notes.push(ctx.t('client.start.promoSaved', { code: link.code }));
    }
    if (link?.kind === 'ref') {
      if (ctx.customerCreated && ctx.customer.referrerId !== null) {
        const { refereeBonusDays, referralMode } = await deps.billing.settings();
        // The invited friend's days exist only where referrers earn days (not a commission only).
        if (referralMode !== 'commission' && refereeBonusDays > 0) notes.push(ctx.t('client.start.invited', { count: refereeBonusDays }));
      } else if (!ctx.customerCreated) {
        notes.push(ctx.t('client.start.referralIgnored'));
      }
    }
    ctx.logger.info({ userId: ctx.customer.id, created: ctx.customerCreated, link: link?.kind }, 'start');

    if (ctx.customerCreated) {
      const parts = [ctx.t('client.start.welcome', { name: ctx.customer.firstName ?? '' })];
      if (await trialAvailable(ctx, deps)) {
        parts.push(ctx.t('client.start.trialOffer', { terms: trialTerms(ctx, await deps.billing.settings()) }));
      }
      await ctx.reply([...parts, ...notes].join('\n\n'));
    } else if (notes.length > 0) {
      await ctx.reply(notes.join('\n\n'));
    }
    await deps.screens.show(ctx, 'm', { fresh: true });
  });
  return composer;
}
