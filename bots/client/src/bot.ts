import { botIdOf, createBot } from '@vpn/telegram-kit';
import type { Bot } from 'grammy';
import type { ClientContext, ClientSession } from './context.js';
import type { ClientBotDeps } from './deps.js';
import { createBalanceFeature } from './features/balance/index.js';
import { createBuyFeature } from './features/buy/index.js';
import { createConfigFeature } from './features/config/index.js';
import { createDoctorFeature } from './features/doctor/index.js';
import { createFallbackFeature } from './features/fallback/index.js';
import { createFaqFeature } from './features/faq/index.js';
import type { FeatureDeps } from './features/feature-deps.js';
import { createMainMenuFeature } from './features/main-menu/index.js';
import { createPaymentsFeature } from './features/payments/index.js';
import { createReferralFeature } from './features/referral/index.js';
import { createSaveLanguage, createSettingsFeature } from './features/settings/index.js';
import { createOutageFeature } from './features/outage/index.js';
import { createStartFeature } from './features/start/index.js';
import { createSubscriptionFeature } from './features/subscription/index.js';
import { createSupportFeature } from './features/support/index.js';
import { createStartTrial, createTrialFeature } from './features/trial/index.js';
import { answerCallbackMiddleware, forgedMenuGuard } from './middlewares/answer-callback.middleware.js';
import { customerMiddleware } from './middlewares/customer.middleware.js';
import { Screens } from './ui/screens.js';

/** The longest `retry_after` a handler sits in; a longer one fails the call (logged as 429). */
export const HANDLER_MAX_FLOOD_WAIT_SECONDS = 10;

/**
 * The client bot: the kit's shared middleware (error boundary, logger, sequentialize, Redis
 * session, i18n, general rate limit), then this bot's own, in this order. Nothing connects here;
 * `startBot` runs it.
 */
export function createClientBot(deps: ClientBotDeps): Bot<ClientContext> {
  const saveLanguage = createSaveLanguage(deps);
  return createBot<ClientSession, ClientContext>(deps.token, {
    apiRoot: deps.apiRoot,
    botInfo: deps.botInfo,
    logger: deps.logger,
    redis: deps.redis,
    i18n: deps.i18n,
    prefix: deps.prefix ?? 'client:',
    // One session per customer: pre-checkout queries have no chat, and private chat id = user id.
    session: { initial: () => ({}), getSessionKey: (ctx) => ctx.from?.id.toString() },
    onUserBlockedBot: async (telegramId) => {
      await deps.db.repos.users.markBotBlocked(telegramId);
      deps.customers.forget(telegramId);
    },
    resolveLanguage: (ctx) => (ctx.from ? ctx.session.language : undefined),
    saveLanguage,
    rateLimit: deps.rateLimit,
    // A handler waits out a flood wait only while the customer is still looking (Telegram drops a
    // press's answer after 15 s; the press itself is answered before the wait, see answer-callback).
    // Replies take their slot from the token's shared schedule, in the transactional lane.
    api: {
      maxRetryAfterSeconds: HANDLER_MAX_FLOOD_WAIT_SECONDS,
      ...(deps.sendLimiter ? { sendLimit: { limiter: deps.sendLimiter, botId: botIdOf(deps.token), lane: 'transactional' as const } } : {}),
    },
    // A reply that meets a longer flood wait is made by the worker once the wait is over.
    deferSend: async ({ id, method, payload, retryAfterSeconds }) => {
      await deps.producers.deferredSend.add({ bot: 'client', id, method, payload }, { delay: retryAfterSeconds * 1_000 });
    },
    fallback: false,
    features: (kit) => {
      const screens = new Screens();
      const fd: FeatureDeps = { ...deps, screens, kit, timeZone: deps.timeZone ?? 'Europe/Moscow', now: deps.now ?? (() => new Date()) };
      // Screens that offer the free trial get its action beside the usual deps.
      const td = { ...fd, startTrial: createStartTrial(fd) };
      // Features register their screens as they are built; the menu tree is installed after.
      const features = [
        createStartFeature(fd),
        createMainMenuFeature(td),
        createTrialFeature(td),
        createBuyFeature(fd),
        createSubscriptionFeature(td),
        createConfigFeature(td),
        createReferralFeature(fd),
        createBalanceFeature(fd),
        createFaqFeature(fd),
        createSupportFeature(fd),
        createDoctorFeature(td),
        createSettingsFeature(fd),
        createOutageFeature(fd),
      ];
      return [
        // 1. Every button press is answered once and early, whatever happens below ("nothing changed" for an idle refresh).
        answerCallbackMiddleware<ClientContext>({ nothingChanged: (ctx) => ctx.t('client.common.nothingChanged') }),
        // 2. The customer behind the update (registered on first contact); blocked ones stop here.
        customerMiddleware({ customers: deps.customers, users: deps.db.repos.users }),
        // 3. Payments first: Telegram waits for pre-checkout answers, and a successful payment must never be taken for support chat.
        createPaymentsFeature(fd),
        // 4. The menu tree: renders menus in replies and handles their buttons (forged data defused first).
        forgedMenuGuard<ClientContext>(),
        screens.install(),
        // 5. Commands, screens and text input of each feature.
        ...features,
        // 6. What nobody handled.
        createFallbackFeature(fd),
      ];
    },
  });
}
