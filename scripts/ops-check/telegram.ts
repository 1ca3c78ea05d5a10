import { GrammyError, type Api } from 'grammy';
import { checkForumRights, createApi } from '@vpn/telegram-kit';
import { fail, ok, reason, skip, type CheckLine } from './report.js';

export interface TelegramCheckConfig {
  TELEGRAM_API_ROOT: string;
  BOT_MODE: 'polling' | 'webhook';
  BOT_WEBHOOK_URL?: string | undefined;
  CLIENT_BOT_TOKEN?: string | undefined;
  SUPPORT_BOT_TOKEN?: string | undefined;
  ADMIN_BOT_TOKEN?: string | undefined;
  SUPPORT_CHAT_ID?: number | undefined;
  DOMAIN?: string | undefined;
}

type BotName = 'client' | 'support' | 'admin';
const TOKEN_KEY: Record<BotName, 'CLIENT_BOT_TOKEN' | 'SUPPORT_BOT_TOKEN' | 'ADMIN_BOT_TOKEN'> = {
  client: 'CLIENT_BOT_TOKEN',
  support: 'SUPPORT_BOT_TOKEN',
  admin: 'ADMIN_BOT_TOKEN',
};

interface LiveBot {
  name: BotName;
  api: Api;
  id: number;
  username: string;
}

/** A refused call as Telegram words it (`401 Unauthorized`), anything else as its message. */
function telegramReason(error: unknown): string {
  return error instanceof GrammyError ? `${error.error_code} ${error.description}` : reason(error);
}

/** Every bot's token through getMe: a revoked or mistyped token is found before customers find it. */
async function checkTokens(config: TelegramCheckConfig, lines: CheckLine[]): Promise<LiveBot[]> {
  const live: LiveBot[] = [];
  for (const name of ['client', 'support', 'admin'] as const) {
    const key = TOKEN_KEY[name];
    const token = config[key];
    if (!token) {
      lines.push(fail('telegram', `${key} is not set: create the ${name} bot with @BotFather and put its token in .env`));
      continue;
    }
    const api = createApi(token, { apiRoot: config.TELEGRAM_API_ROOT, networkRetries: 1, maxRetryAttempts: 1 });
    try {
      const me = await api.getMe();
      live.push({ name, api, id: me.id, username: me.username });
      lines.push(ok('telegram', `${key} is the ${name} bot @${me.username} (id ${me.id})`));
    } catch (error) {
      const refused = error instanceof GrammyError && error.error_code === 401;
      lines.push(
        fail(
          'telegram',
          refused
            ? `${key} was refused by Telegram (${telegramReason(error)}): copy the token again from @BotFather (/mybots → API Token)`
            : `${key}: getMe failed (${telegramReason(error)}): is ${config.TELEGRAM_API_ROOT} reachable from here?`,
        ),
      );
    }
  }
  return live;
}

/** The staff forum: a forum supergroup where the support and client bots are admins with the rights they use. */
async function checkForum(config: TelegramCheckConfig, bots: LiveBot[], lines: CheckLine[]): Promise<void> {
  const support = bots.find((b) => b.name === 'support');
  if (config.SUPPORT_CHAT_ID === undefined) {
    lines.push(fail('forum', "SUPPORT_CHAT_ID is not set: the staff forum supergroup's id (negative, e.g. -100…)"));
    return;
  }
  if (!support) {
    lines.push(skip('forum', `staff forum ${config.SUPPORT_CHAT_ID} not checked: the support bot's token failed above`));
    return;
  }
  const staffBots = bots.filter((b) => b.name !== 'admin').map((b) => ({ name: `the ${b.name} bot @${b.username}`, id: b.id }));
  try {
    const problems = await checkForumRights(support.api, config.SUPPORT_CHAT_ID, staffBots);
    for (const problem of problems) lines.push(fail('forum', problem));
    if (problems.length === 0)
      lines.push(
        ok(
          'forum',
          `${config.SUPPORT_CHAT_ID} is a forum; ${staffBots.map((b) => b.name).join(' and ')} can manage topics, pin and delete`,
        ),
      );
  } catch (error) {
    lines.push(
      fail(
        'forum',
        `SUPPORT_CHAT_ID ${config.SUPPORT_CHAT_ID}: ${telegramReason(error)}: add the support bot to the staff group and check the id`,
      ),
    );
  }
}

/**
 * What Telegram knows of each bot's webhook. Webhook mode (BOT_MODE=webhook, or DOMAIN set: docker
 * compose runs the bots behind Caddy at https://DOMAIN/tg/<bot>): the URL must be set and be that
 * one, and its last delivery must not have failed in the last hour. Polling: a webhook left set
 * is deleted by the bot at start, so it is only reported.
 */
async function checkWebhooks(config: TelegramCheckConfig, bots: LiveBot[], lines: CheckLine[]): Promise<void> {
  const webhookMode = config.BOT_MODE === 'webhook' || config.DOMAIN !== undefined;
  for (const bot of bots) {
    let info;
    try {
      info = await bot.api.getWebhookInfo();
    } catch (error) {
      lines.push(fail('webhook', `${bot.name} bot: getWebhookInfo failed (${telegramReason(error)})`));
      continue;
    }
    const pending = `${info.pending_update_count} pending update(s)`;
    const lastError =
      info.last_error_date !== undefined
        ? `last delivery error ${Math.round((Date.now() / 1000 - info.last_error_date) / 60)} min ago: ${info.last_error_message ?? '?'}`
        : undefined;
    if (!webhookMode) {
      lines.push(
        ok(
          'webhook',
          `${bot.name} bot polls (BOT_MODE=polling); ${info.url ? `webhook ${info.url} is set and will be deleted at start; ` : ''}${pending}`,
        ),
      );
      continue;
    }
    const expected = config.DOMAIN ? `https://${config.DOMAIN}/tg/${bot.name}` : config.BOT_WEBHOOK_URL;
    if (!expected) lines.push(fail('webhook', `${bot.name} bot: BOT_MODE=webhook needs BOT_WEBHOOK_URL (or DOMAIN under docker compose)`));
    else if (!info.url)
      lines.push(
        fail('webhook', `${bot.name} bot: no webhook set (expected ${expected}): start the bot, it sets its webhook at start; ${pending}`),
      );
    else if (info.url !== expected)
      lines.push(
        fail(
          'webhook',
          `${bot.name} bot: webhook is ${info.url}, expected ${expected}: another deployment may own this bot; restart this one; ${pending}`,
        ),
      );
    else if (lastError && Date.now() / 1000 - (info.last_error_date ?? 0) < 3600)
      lines.push(fail('webhook', `${bot.name} bot: ${info.url}, ${lastError}: check Caddy, DNS and the bot's logs; ${pending}`));
    else lines.push(ok('webhook', `${bot.name} bot: ${info.url}; ${pending}${lastError ? `; ${lastError}` : ''}`));
  }
}

/** Tokens, the staff forum and webhooks, with read-only Bot API calls. */
export async function checkTelegram(config: TelegramCheckConfig): Promise<CheckLine[]> {
  const lines: CheckLine[] = [];
  const bots = await checkTokens(config, lines);
  await checkForum(config, bots, lines);
  await checkWebhooks(config, bots, lines);
  return lines;
}
