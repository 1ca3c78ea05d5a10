import type { Menu, MenuRange } from '@grammyjs/menu';
import { PLATFORMS, type ClientContext, type Platform } from '../../context.js';
import type { ScreenId, Screens } from '../../ui/screens.js';
import { label } from '../../ui/format.js';
import type { FeatureDeps } from '../feature-deps.js';
import { configState } from './config-state.js';

/** The platform buttons of the config screen (two rows): each opens its guide. */
export function platformButtons(ctx: ClientContext, range: MenuRange<ClientContext>, screens: Screens): void {
  PLATFORMS.forEach((platform, i) => {
    range.text(ctx.t(`client.guides.platforms.${platform}`), async (c) => {
      c.session.platform = platform;
      await screens.show(c, 'cfp');
    });
    if (i === 1) range.row();
  });
  range.row();
}

const platformOf = (ctx: ClientContext): Platform => ctx.session.platform ?? 'android';

/** The guide of the chosen platform: steps, then per app its store links and a one-tap "add to app". */
export function createGuideScreen(
  deps: FeatureDeps,
  back: ScreenId,
): { menu: Menu<ClientContext>; text: (ctx: ClientContext) => Promise<string> } {
  const menu = deps.screens.menu('cfp').dynamic(async (ctx, range) => {
    const state = await configState(ctx, deps);
    const catalog = await deps.apps.get();
    const wireguard = state.kind === 'wireguard';
    for (const app of catalog[wireguard ? 'wireguard' : 'vless'][platformOf(ctx)]) {
      for (const store of app.stores) {
        range.url(
          label(
            app.stores.length === 1
              ? ctx.t('client.guides.install', { app: app.name })
              : ctx.t('client.guides.installFrom', { app: app.name, store: store.label }),
          ),
          store.url,
        );
      }
      range.row();
      if (app.deepLink && deps.goLinks && state.kind === 'link') {
        const url = deps.goLinks.url({
          app: app.id,
          subscriptionUrl: state.url,
          profileName: ctx.me.first_name,
          language: ctx.i18n.language,
          // The key version: after a reissue the /go page refuses this button instead of importing the revoked key.
          key: { account: state.account.id, version: state.account.reissueCount },
          botUsername: ctx.me.username,
        });
        range.url(label(ctx.t('client.guides.addTo', { app: app.name })), url).row();
      }
    }
  });
  menu.text((ctx) => ctx.t('client.common.back'), deps.screens.to(back));

  const text = async (ctx: ClientContext) => {
    const state = await configState(ctx, deps);
    const platform = platformOf(ctx);
    const title = ctx.t('client.guides.title', { platform: ctx.t(`client.guides.platforms.${platform}`) });
    const steps = state.kind === 'wireguard' ? ctx.t('client.guides.wireguard') : ctx.t(`client.guides.steps.${platform}`);
    const footer = state.kind === 'link' ? ctx.t('client.guides.footer', { url: state.url }) : '';
    return [title, steps, footer].filter(Boolean).join('\n\n');
  };
  return { menu, text };
}
