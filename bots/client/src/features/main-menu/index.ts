import { Composer } from 'grammy';
import type { ClientContext } from '../../context.js';
import { currentSubscription, isRunning, statusLine } from '../../ui/customer-state.js';
import { offerTrial, type TrialDeps } from '../trial/index.js';

/** The trial action (the trial feature's) is the main menu's trial button. */
export type MainMenuDeps = TrialDeps;

/**
 * The main menu: my subscription, config, buy or renew, the free trial (only while it is
 * available), referral, FAQ, balance, usage, settings, support and "VPN doesn't work". `/menu` and `/help`
 * open it as a new message.
 */
export function createMainMenuFeature(deps: MainMenuDeps): Composer<ClientContext> {
  const { screens } = deps;
  // The shape never changes (a changed shape makes every button of an older copy "outdated"):
  // the trial's place shows "Traffic" once the trial is gone, so only that button is outdated.
  const menu = screens
    .menu('m')
    .text((ctx) => ctx.t('client.menu.subscription'), screens.to('sub'))
    .text((ctx) => ctx.t('client.menu.config'), screens.to('cfg'))
    .row()
    .dynamic(async (ctx, range) => {
      const running = isRunning(await currentSubscription(ctx, deps), deps.now());
      range.text(ctx.t(running ? 'client.menu.renew' : 'client.menu.buy'), screens.to('buy'));
      if (!(await offerTrial(ctx, range, deps))) range.text(ctx.t('client.menu.usage'), screens.to('use'));
    })
    .row()
    .text((ctx) => ctx.t('client.menu.referral'), screens.to('ref'))
    .text((ctx) => ctx.t('client.menu.faq'), screens.to('faq'))
    .row()
    .text((ctx) => ctx.t('client.menu.settings'), screens.to('set'))
    .text((ctx) => ctx.t('client.menu.support'), screens.to('sup'))
    .row()
    .text((ctx) => ctx.t('client.menu.doctor'), screens.to('doc'))
    .text((ctx) => ctx.t('client.menu.balance'), screens.to('bal'));

  screens.add({
    id: 'm',
    menu,
    text: async (ctx) => ctx.t('client.menu.text', { status: statusLine(ctx, deps, await currentSubscription(ctx, deps)) }),
  });

  const composer = new Composer<ClientContext>();
  composer.command(['menu', 'help', 'cancel'], screens.to('m'));
  return composer;
}
