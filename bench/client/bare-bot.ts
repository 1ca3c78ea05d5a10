/**
 * The baseline: a bare grammY bot on the same runner and emulator, doing the same kinds of work
 * per update as the client bot (a reply with a keyboard, an answered button with an edit, a
 * reply to text) and nothing else: no session, database, i18n, limits or menus.
 */
import { run } from '@grammyjs/runner';
import { readEnv } from '@vpn/config';
import { Bot, InlineKeyboard } from 'grammy';
import { instrument } from './instrument.js';

const env = readEnv();
const token = env.BENCH_BOT_TOKEN ?? '';
const apiRoot = env.BENCH_API_ROOT ?? '';
const bot = new Bot(token, { client: { apiRoot } });
const keyboard = new InlineKeyboard().text('edit', 'edit').text('msg', 'msg').row().text('a', 'a').text('b', 'b');

bot.on('message:text', async (ctx) => {
  await ctx.reply(`echo: ${ctx.message.text.slice(0, 100)}`, { reply_markup: keyboard });
});
let edits = 0;
bot.on('callback_query:data', async (ctx) => {
  await ctx.answerCallbackQuery();
  if (ctx.callbackQuery.data === 'msg') await ctx.reply('new message', { reply_markup: keyboard });
  else await ctx.editMessageText(`edited ${++edits}`, { reply_markup: keyboard });
});

const probe = instrument(bot);
await bot.init();
const runner = run(bot, { runner: { fetch: { timeout: 1 }, silent: true } });
probe.ready();
process.once('SIGTERM', () => void runner.stop().then(() => process.exit(0)));
