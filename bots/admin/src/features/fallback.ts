import { Composer } from 'grammy';
import type { AdminContext } from '../context.js';

/** What no section handled (an admin's stray text, an old button): a hint, and every press answered. */
export function createFallbackFeature(): Composer<AdminContext> {
  const composer = new Composer<AdminContext>();
  composer.on('callback_query', async (ctx) => {
    await ctx.answerCallbackQuery({ text: ctx.t('admin.common.outdated') });
  });
  composer.on('message', async (ctx) => {
    await ctx.reply(ctx.t('admin.common.unknown'));
  });
  return composer;
}
