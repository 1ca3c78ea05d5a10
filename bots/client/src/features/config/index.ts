import { NOTIFICATION_CALLBACKS } from '@vpn/queues';
import { editOrReply } from '@vpn/telegram-kit';
import { subscriptionQrPng, wireguardConfigFile, wireguardConfigQrPng } from '@vpn/vpn';
import { Composer, InputFile } from 'grammy';
import type { ClientContext } from '../../context.js';
import { currentSubscription, isRunning, trialAvailable } from '../../ui/customer-state.js';
import type { FeatureDeps } from '../feature-deps.js';
import { offerTrial, type TrialDeps } from '../trial/index.js';
import { configState } from './config-state.js';
import { createGuideScreen, platformButtons } from './guide-menu.js';

/** Telegram's `copy_text` button copies 1–256 characters. */
const COPY_TEXT_MAX = 256;

async function configText(ctx: ClientContext, deps: FeatureDeps): Promise<string> {
  const state = await configState(ctx, deps);
  switch (state.kind) {
    case 'none':
      return ctx.t((await trialAvailable(ctx, deps)) ? 'client.config.none' : 'client.config.noneNoTrial');
    case 'inactive':
      return ctx.t('client.config.inactive');
    case 'preparing':
      return ctx.t('client.config.preparing');
    case 'wireguard':
      return ctx.t('client.config.wireguard');
    case 'link':
      return ctx.t('client.config.link', { url: state.url });
  }
}

/**
 * "Get config": the subscription link (copyable), its QR code, per-platform guides with one-tap
 * "add to app" buttons, WireGuard's `.conf` and QR, and reissuing the key after a confirmation
 * (the worker revokes the old key on the panel and sends the new config).
 */
export function createConfigFeature(deps: TrialDeps): Composer<ClientContext> {
  const { screens, kit } = deps;

  const sendQr = async (ctx: ClientContext) => {
    const state = await configState(ctx, deps);
    if (state.kind === 'link') {
      const png = await subscriptionQrPng(state.url);
      await ctx.replyWithPhoto(new InputFile(png, 'subscription-qr.png'), { caption: ctx.t('client.config.qrCaption') });
    } else if (state.kind === 'wireguard') {
      const file = wireguardConfigFile(ctx.me.username ?? 'vpn', state.conf);
      await ctx.replyWithDocument(new InputFile(file.content, file.filename), { caption: ctx.t('client.config.wireguardFileCaption') });
      await ctx.replyWithPhoto(new InputFile(await wireguardConfigQrPng(state.conf), 'wireguard-qr.png'), {
        caption: ctx.t('client.config.wireguardQrCaption'),
      });
    } else {
      await screens.show(ctx, 'cfg');
    }
  };

  const cfgMenu = screens.menu('cfg').dynamic(async (ctx, range) => {
    const state = await configState(ctx, deps);
    if (state.kind === 'none' || state.kind === 'inactive') {
      if (state.kind === 'none') await offerTrial(ctx, range, deps);
      range.text(ctx.t('client.menu.buy'), screens.to('buy')).row();
      return;
    }
    if (state.kind === 'preparing') {
      range.text(ctx.t('client.common.refresh'), screens.to('cfg')).row();
      return;
    }
    if (state.kind === 'link' && state.url.length <= COPY_TEXT_MAX) range.copyText(ctx.t('client.config.copy'), state.url);
    range.text(ctx.t(state.kind === 'link' ? 'client.config.qr' : 'client.config.wireguardFile'), kit.expensive, sendQr).row();
  });
  cfgMenu.dynamic(async (ctx, range) => {
    const state = await configState(ctx, deps);
    if (state.kind !== 'link' && state.kind !== 'wireguard') return;
    platformButtons(ctx, range, screens);
    range.text(ctx.t('client.config.reissue'), screens.to('rk')).row();
  });
  cfgMenu.text((ctx) => ctx.t('client.common.back'), screens.to('m'));
  screens.add({ id: 'cfg', menu: cfgMenu, text: (ctx) => configText(ctx, deps) });

  const guide = createGuideScreen(deps, 'cfg');
  screens.add({ id: 'cfp', menu: guide.menu, text: guide.text });

  const reissue = async (ctx: ClientContext) => {
    const sub = await currentSubscription(ctx, deps);
    if (!isRunning(sub, deps.now())) return screens.show(ctx, 'cfg');
    // One reissue per subscription version and minute: a double tap is one job (the job id dedupes).
    const version = `reissue-${sub.version}-${Math.floor(deps.now().getTime() / 60_000)}`;
    await deps.producers.provisioning.add({ subscriptionId: sub.id, version, reason: 'reissue' });
    ctx.logger.info({ subscriptionId: sub.id, version }, 'key reissue requested');
    await editOrReply(ctx, ctx.t('client.config.reissuing'));
  };
  const rkMenu = screens
    .menu('rk')
    .text((ctx) => ctx.t('client.config.reissueConfirm'), kit.expensive, reissue)
    .row()
    .text((ctx) => ctx.t('client.common.cancel'), screens.to('cfg'));
  screens.add({ id: 'rk', menu: rkMenu, text: (ctx) => ctx.t('client.config.reissueQuestion') });

  const composer = new Composer<ClientContext>();
  composer.command('config', screens.to('cfg'));
  // The worker's "your VPN is ready" / "key reissued" messages carry this plain button (it cannot
  // send menu buttons): the config screen opens below them, the notification stays as it is.
  composer.callbackQuery(NOTIFICATION_CALLBACKS.openConfig, screens.to('cfg', { fresh: true }));
  composer.command('qr', kit.expensive, sendQr);
  return composer;
}
