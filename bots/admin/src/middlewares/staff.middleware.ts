import { loadActor } from '@vpn/backoffice';
import type { Database } from '@vpn/db';
import type { Logger } from '@vpn/logger';
import type { MiddlewareFn } from 'grammy';
import type { AdminContext } from '../context.js';

/**
 * The gate: only active admins (a fresh admins lookup on every update, so a removed admin or a
 * changed role counts at once) get past it. Everyone else gets no answer at all, not even to a
 * button press: the bot does not reveal that it exists. Only private chats are served.
 */
export function staffGate(deps: { db: Pick<Database, 'repos'>; logger: Logger }): MiddlewareFn<AdminContext> {
  return async (ctx, next) => {
    if (!ctx.from || ctx.chat?.type !== 'private') return;
    let actor: Awaited<ReturnType<typeof loadActor>>;
    try {
      actor = await loadActor(deps.db, ctx.from.id);
    } catch (err) {
      // A failed lookup must not make the error boundary answer a stranger.
      deps.logger.error({ err }, 'admin lookup failed; update dropped');
      return;
    }
    if (!actor) {
      ctx.logger.info({ from: ctx.from.id }, 'update from a non-admin ignored');
      return;
    }
    const { admin, ...rest } = actor;
    ctx.actor = rest;
    ctx.admin = admin;
    // A button pressed while the bot waited for text: the question is no longer open.
    if (ctx.callbackQuery) ctx.session.prompt = undefined;
    await next();
  };
}
