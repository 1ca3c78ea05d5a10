import type { BotCommand } from '../state/bots.js';
import type { MethodContext, MethodHandler } from './context.js';
import { badRequest } from './errors.js';

function getMe(ctx: MethodContext): unknown {
  return ctx.bot.info;
}

/**
 * Commands are kept per scope and language, like BotFather's menu. The key is built from the
 * scope's fields, not its JSON, so `{type, chat_id}` and `{chat_id, type}` are the same scope.
 */
function commandKey(ctx: MethodContext): string {
  const scope = ctx.params.json<{ type?: string; chat_id?: number | string; user_id?: number }>('scope') ?? {
    type: 'default',
  };
  return [scope.type ?? 'default', scope.chat_id ?? '', scope.user_id ?? '', ctx.params.str('language_code') ?? ''].join('|');
}

function setMyCommands(ctx: MethodContext): true {
  const commands = ctx.params.json<BotCommand[]>('commands');
  if (!Array.isArray(commands) || commands.length > 100) throw badRequest("can't parse commands JSON object");
  for (const c of commands) {
    if (typeof c.command !== 'string' || !/^[a-z0-9_]{1,32}$/.test(c.command)) throw badRequest('BOT_COMMAND_INVALID');
    if (typeof c.description !== 'string' || c.description.length < 1 || c.description.length > 256) {
      throw badRequest('BOT_COMMAND_DESCRIPTION_INVALID');
    }
  }
  ctx.bot.commands.set(
    commandKey(ctx),
    commands.map((c) => ({ command: c.command, description: c.description })),
  );
  return true;
}

function getMyCommands(ctx: MethodContext): BotCommand[] {
  return ctx.bot.commands.get(commandKey(ctx)) ?? [];
}

function deleteMyCommands(ctx: MethodContext): true {
  ctx.bot.commands.delete(commandKey(ctx));
  return true;
}

/** logOut/close only matter for the real cloud server; they succeed without effect here. */
const accepted = (): true => true;

export const botMethods: Record<string, MethodHandler> = {
  getMe,
  setMyCommands,
  getMyCommands,
  deleteMyCommands,
  logOut: accepted,
  close: accepted,
};
