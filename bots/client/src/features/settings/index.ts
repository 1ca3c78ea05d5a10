import { LANGUAGES, type Language } from '@vpn/i18n';
import { Composer } from 'grammy';
import type { ClientContext } from '../../context.js';
import type { FeatureDeps } from '../feature-deps.js';

/** Settings: the language of the bot (and of the notifications the worker sends). */
export function createSettingsFeature(deps: FeatureDeps): Composer<ClientContext> {
  const { screens } = deps;
  const choose = (language: Language) => async (ctx: ClientContext) => {
    if (ctx.i18n.language !== language) await ctx.i18n.setLanguage(language);
    await screens.show(ctx, 'set');
  };
  const menu = screens.menu('set');
  for (const language of LANGUAGES) {
    menu.text((ctx) => `${ctx.i18n.language === language ? '✓ ' : ''}${ctx.t(`common.languages.${language}`)}`, choose(language));
  }
  menu.row().text((ctx) => ctx.t('client.common.back'), screens.to('m'));
  screens.add({
    id: 'set',
    menu,
    text: (ctx) => ctx.t('client.settings.text', { language: ctx.t(`common.languages.${ctx.i18n.language}`) }),
  });

  const composer = new Composer<ClientContext>();
  composer.command(['settings', 'language'], screens.to('set'));
  return composer;
}

/** Persists a language choice: the session (read on every update) and the customer row (the worker's notifications). */
export function createSaveLanguage(deps: Pick<FeatureDeps, 'db' | 'customers'>) {
  return async (ctx: ClientContext, language: Language): Promise<void> => {
    ctx.session.language = language;
    const user = await deps.db.repos.users.setLanguage(ctx.customer.id, language);
    if (user) deps.customers.put(user);
  };
}
