import { Composer } from 'grammy';
import type { ClientContext } from '../../context.js';
import { relayToSupport } from '../support/index.js';
import type { FeatureDeps } from '../feature-deps.js';

/**
 * What no feature handled, last: a stale or forged button gets a toast and the main menu in its
 * place; an unknown command or random text a hint with the main menu under it. A reply to one of
 * the bot's messages while a support ticket is open still reaches support (staff answers arrive
 * as such messages). A text saying the VPN does not work opens the doctor. Nothing here can fail
 * on odd input: the text is only matched, and only its start.
 */
/** "Не работает", "не подключается", "doesn't work", "not working", "can't connect" (ru and en). */
const BROKEN =
  /не\s*(?:работает|работают|подключается|коннектится|грузит)|do(?:es)?\s*n[o']?t\s+work|not\s+working|can'?t\s+connect|cannot\s+connect/i;

export function createFallbackFeature(deps: FeatureDeps): Composer<ClientContext> {
  const { screens } = deps;
  const composer = new Composer<ClientContext>();

  composer.on('callback_query', async (ctx) => {
    ctx.logger.info({ data: ctx.callbackQuery.data?.slice(0, 64) }, 'unknown or stale button');
    await ctx.answerCallbackQuery({ text: ctx.t('client.fallback.staleButton') });
    await screens.show(ctx, 'm');
  });

  composer.on('message', async (ctx) => {
    const message = ctx.message;
    if (message.reply_to_message?.from?.id === ctx.me.id && (await deps.db.repos.support.getOpenTicket(ctx.customer.id))) {
      await relayToSupport(ctx, deps, message);
      await ctx.reply(ctx.t('client.support.sent'));
      return;
    }
    const command = message.text?.startsWith('/') === true;
    // "It doesn't work" typed instead of pressed: the doctor answers it, not "I didn't understand".
    if (!command && message.text !== undefined && BROKEN.test(message.text.slice(0, 300))) {
      await screens.show(ctx, 'doc');
      return;
    }
    ctx.logger.debug({ command, length: message.text?.length ?? 0 }, 'message not understood');
    await ctx.reply(ctx.t(command ? 'client.fallback.unknownCommand' : 'client.fallback.text'), { reply_markup: screens.menuOf('m') });
  });

  // Edited messages, reactions and the like need no answer.
  composer.use((ctx) => ctx.logger.debug('update not handled'));
  return composer;
}
