import { createBackoffice, isBackofficeError } from '@vpn/backoffice';
import { NOTIFICATION_CALLBACKS } from '@vpn/queues';
import { Composer } from 'grammy';
import type { ClientContext } from '../../context.js';
import type { FeatureDeps } from '../feature-deps.js';
import { kickOutbox } from '../trial/index.js';

/**
 * The button under an outage notice (the worker offers it only while a healthy server has room):
 * the back office's rule moves the customer off the down server, the same billing move staff
 * make; provisioning then makes the new account and sends the new key. A press after the outage
 * ended, from a customer no longer on that server, or with no room anywhere changes nothing.
 */
export function createOutageFeature(deps: FeatureDeps): Composer<ClientContext> {
  const backoffice = createBackoffice({ db: deps.db, billing: deps.billing, logger: deps.logger });
  const composer = new Composer<ClientContext>();
  const pattern = new RegExp(`^${NOTIFICATION_CALLBACKS.moveOffOutage}:(\\d{1,12})$`);
  composer.callbackQuery(pattern, deps.kit.expensive, async (ctx) => {
    try {
      const { server } = await backoffice.self.moveOffDownServer({ userId: ctx.customer.id, outageId: Number(ctx.match[1]) });
      deps.live.forgetCustomer(ctx.customer.id);
      await kickOutbox(deps, ctx.logger);
      ctx.logger.info({ serverId: server.id }, 'customer moved off a down server');
      await ctx.reply(ctx.t('client.outage.moved', { server: server.name }));
    } catch (err) {
      if (!isBackofficeError(err)) throw err;
      await ctx.reply(ctx.t('client.outage.notNow'));
    }
  });
  return composer;
}
