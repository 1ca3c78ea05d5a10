import type { I18n } from '@vpn/i18n';
import type { Logger } from '@vpn/logger';
import { createBot } from '@vpn/telegram-kit';
import type { Bot } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import type { Redis } from 'ioredis';
import type { SupportContext } from './context.js';
import type { FeatureDeps } from './deps.js';
import { createCardFeature } from './features/card/index.js';
import { createRelayFeature } from './features/relay/index.js';
import { createTicketsFeature } from './features/tickets/index.js';

export interface SupportBotDeps extends FeatureDeps {
  token: string;
  apiRoot?: string;
  botInfo?: UserFromGetMe;
  logger: Logger;
  redis: Redis;
  i18n: I18n;
  /** Redis key prefix of this bot (limits), e.g. `vpn:support:`. */
  prefix: string;
}

/**
 * The support bot: the staff's tool in the staff forum. It ignores every chat but the forum (only
 * its members can write there), and has no per-user session.
 */
export function createSupportBot(deps: SupportBotDeps): Bot<SupportContext> {
  return createBot<Record<string, never>, SupportContext>(deps.token, {
    ...(deps.apiRoot ? { apiRoot: deps.apiRoot } : {}),
    ...(deps.botInfo ? { botInfo: deps.botInfo } : {}),
    logger: deps.logger,
    redis: deps.redis,
    i18n: deps.i18n,
    prefix: deps.prefix,
    session: { initial: () => ({}), getSessionKey: () => undefined },
    // Staff write fast in a busy forum: no per-user flood limit here.
    rateLimit: { general: false },
    features: () => [
      // 1. Only the staff forum: anything else (private chats, other groups) is ignored.
      (ctx, next) => (ctx.chat?.id === deps.supportChatId ? next() : undefined),
      // 2. The pinned customer card's buttons (callback queries only).
      createCardFeature(deps),
      // 3. Ticket commands and topic changes before the relay, so commands are never relayed.
      createTicketsFeature(deps),
      // 4. Everything else a staff member writes in a customer's topic goes to the customer.
      createRelayFeature(deps),
    ],
    fallback: false,
  });
}
