import { WebhookDelivery } from '../http/webhook-delivery.js';
import type { WebhookConfig } from '../state/bots.js';
import type { MethodContext, MethodHandler } from './context.js';
import { badRequest } from './errors.js';

function stopDelivery(ctx: MethodContext): void {
  ctx.world.workers.get(ctx.bot.id)?.stop();
  ctx.world.workers.delete(ctx.bot.id);
}

/**
 * setWebhook: switches the bot to push delivery. Real Telegram demands HTTPS on ports
 * 443/80/88/8443; the emulator accepts any http(s) URL so local test servers can listen.
 */
function setWebhook(ctx: MethodContext): true {
  const { bot, params, world } = ctx;
  const url = params.str('url') ?? '';
  if (url === '') return deleteWebhook(ctx);
  if (!/^https?:\/\/[^\s/]+/i.test(url) || !URL.canParse(url)) throw badRequest('bad webhook: invalid webhook URL specified');
  const secret = params.str('secret_token');
  if (secret !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(secret)) throw badRequest('secret token contains unallowed characters');
  const maxConnections = params.int('max_connections') ?? 40;
  if (maxConnections < 1 || maxConnections > 100) throw badRequest('bad webhook: max_connections must be between 1 and 100');
  const config: WebhookConfig = { url, maxConnections };
  if (secret) config.secretToken = secret;
  const ip = params.str('ip_address');
  if (ip) config.ipAddress = ip;
  stopDelivery(ctx);
  if (params.bool('drop_pending_updates')) bot.queue.drop();
  bot.queue.setAllowed(params.json<string[]>('allowed_updates'));
  bot.webhook = config;
  delete bot.lastErrorDate;
  delete bot.lastErrorMessage;
  const delivery = new WebhookDelivery(bot, config, world.timings, ctx.dispatch, ctx.logger, (id, update) =>
    world.files.grantSeen(id, update),
  );
  world.workers.set(bot.id, delivery);
  delivery.start();
  // A long poll still waiting learns about the webhook and ends with 409.
  bot.queue.wake();
  return true;
}

function deleteWebhook(ctx: MethodContext): true {
  stopDelivery(ctx);
  delete ctx.bot.webhook;
  if (ctx.params.bool('drop_pending_updates')) ctx.bot.queue.drop();
  return true;
}

function getWebhookInfo(ctx: MethodContext): Record<string, unknown> {
  const { bot } = ctx;
  const info: Record<string, unknown> = {
    url: bot.webhook?.url ?? '',
    has_custom_certificate: false,
    pending_update_count: bot.queue.size,
  };
  if (!bot.webhook) return info;
  info.max_connections = bot.webhook.maxConnections;
  if (bot.webhook.ipAddress) info.ip_address = bot.webhook.ipAddress;
  if (bot.lastErrorDate !== undefined) {
    info.last_error_date = bot.lastErrorDate;
    info.last_error_message = bot.lastErrorMessage;
  }
  const allowed = bot.queue.allowedUpdates;
  if (allowed) info.allowed_updates = allowed;
  return info;
}

export const webhookMethods: Record<string, MethodHandler> = {
  setWebhook,
  deleteWebhook,
  getWebhookInfo,
};
