import { can } from '@vpn/backoffice';
import { LANGUAGES } from '@vpn/i18n';
import { Composer, InlineKeyboard } from 'grammy';
import type { AdminContext } from '../../context.js';
import { HOME, show, type Section } from '../../ui/section.js';

/**
 * The main menu: one button per section the admin's role may open (two per row), and the
 * language switch. `/start` and `/menu` show it; `h:m` returns to it from any screen.
 */
export function createHomeFeature(sections: readonly Section[]): Composer<AdminContext> {
  const home = async (ctx: AdminContext) => {
    ctx.session.prompt = undefined;
    const keyboard = new InlineKeyboard();
    const visible = sections.filter((s) => can(ctx.actor, s.permission));
    visible.forEach((s, i) => {
      keyboard.text(ctx.t(s.title), `${s.id}:o`);
      if (i % 2 === 1) keyboard.row();
    });
    const other = LANGUAGES.find((l) => l !== ctx.i18n.language) ?? ctx.i18n.language;
    keyboard.row().text(ctx.t(`common.languages.${other}`), `h:l:${other}`);
    const name = ctx.admin.name ?? ctx.from?.first_name ?? String(ctx.admin.telegramId);
    await show(ctx, ctx.t('admin.home.title', { name, role: ctx.t(`admin.roles.${ctx.actor.role}`) }), keyboard);
  };

  const composer = new Composer<AdminContext>();
  composer.command(['start', 'menu'], home);
  composer.callbackQuery(HOME, home);
  composer.callbackQuery(/^h:l:(ru|en)$/, async (ctx) => {
    const language = ctx.match[1] as (typeof LANGUAGES)[number];
    await ctx.i18n.setLanguage(language);
    await home(ctx);
  });
  // Every section opens with `<id>:o`, behind its permission.
  for (const section of sections) {
    composer.callbackQuery(`${section.id}:o`, async (ctx) => {
      if (!can(ctx.actor, section.permission)) {
        await ctx.answerCallbackQuery({ text: ctx.t('admin.errors.forbidden'), show_alert: true });
        return;
      }
      ctx.session.prompt = undefined;
      await section.open(ctx);
    });
  }
  return composer;
}
