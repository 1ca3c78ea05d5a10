export { apiClientOptions, createApi, installApiDefaults, type ApiDefaultsOptions, type CreateApiOptions } from './api/api-defaults.js';
export { DEFERRABLE_METHODS, type DeferrableMethod, type DeferredSend } from './api/defer-flood-waits.js';
export { dropRefusedUrlButtons, telegramAcceptsButtonUrl } from './api/button-urls.js';
export { translatorFor, type BotContext, type I18nControl, type KitFlavor, type PartialKitContext } from './context.js';
export { createBot, inFlightOf, type CreateBotDeps, type KitTools } from './create-bot.js';
export { createBotErrorHandler, type BotErrorHandlerDeps } from './errors/error-boundary.js';
export {
  classifyTelegramError,
  handleTelegramError,
  type TelegramErrorInfo,
  type TelegramErrorKind,
  type TelegramErrorPolicyDeps,
} from './errors/error-policy.js';
export {
  CALLBACK_DATA_MAX_BYTES,
  CallbackDataError,
  assertCallbackData,
  callbackData,
  type CallbackDataCodec,
} from './helpers/callback-data.js';
export {
  BROADCAST_CONTROL_VERBS,
  broadcastControlData,
  broadcastControls,
  broadcastProgressText,
  type BroadcastCounters,
} from './helpers/broadcast-controls.js';
export { editOrReply, type EditOrReplyOptions } from './helpers/edit-or-reply.js';
export { FORUM_REQUIRED_RIGHTS, checkForumRights } from './helpers/forum-rights.js';
export { MESSAGE_MAX_LENGTH, splitMessage } from './helpers/split-message.js';
export { TOPIC_NAME_MAX, customerTopicName } from './helpers/topic-name.js';
export { answerCallbackMiddleware } from './middlewares/answer-callback.middleware.js';
export { fallbackMiddleware } from './middlewares/fallback.middleware.js';
export { i18nMiddleware, type I18nMiddlewareOptions } from './middlewares/i18n.middleware.js';
export { InFlightUpdates } from './middlewares/in-flight.middleware.js';
export { loggerMiddleware } from './middlewares/logger.middleware.js';
export { redisSession, type SessionConfig } from './middlewares/session.middleware.js';
export { rateLimitMiddleware, type RateLimitMiddlewareOptions } from './rate-limit/rate-limit.middleware.js';
export {
  EXPENSIVE_RULE,
  GENERAL_RULE,
  createRateLimiter,
  type RateLimitResult,
  type RateLimitRule,
  type RateLimiter,
} from './rate-limit/rate-limiter.js';
export {
  DEFAULT_ALLOWED_UPDATES,
  startBot,
  type AllowedUpdate,
  type BotHandle,
  type PollingOptions,
  type StartBotOptions,
  type WebhookOptions,
} from './run/start-bot.js';
export { startOptionsFromConfig, type TelegramConfig } from './run/start-options.js';
export { createWebhookCallback, startWebhookServer, type WebhookServer, type WebhookServerOptions } from './run/webhook-server.js';
export { createShutdown, type Shutdown, type ShutdownOptions, type SignalSource } from './shutdown.js';
export { featureOf } from './metrics/update-metrics.middleware.js';
export {
  createSendLimiter,
  sendRatesFromConfig,
  type AcquireOptions,
  type SendLane,
  type SendLimiter,
  type SendRates,
  type SendSlot,
} from './send-limit/send-limiter.js';
export { botIdOf, sendLimitTransformer, type SendLimitOptions } from './send-limit/send-limit.transformer.js';
