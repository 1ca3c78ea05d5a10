import type { Logger } from '@vpn/logger';
import type { Params } from '../http/params.js';
import type { BotRecord } from '../state/bots.js';
import type { World } from '../state/world.js';

/** What every Bot API method handler receives. */
export interface MethodContext {
  world: World;
  bot: BotRecord;
  params: Params;
  /** Aborted when the client goes away (a long poll stops waiting). */
  signal: AbortSignal;
  logger: Logger;
  /** Runs another method as this bot (a method call sent back in a webhook response). */
  dispatch: Dispatch;
}

/** Calls a Bot API method for a bot, as the HTTP router would. */
export type Dispatch = (bot: BotRecord, method: string, params: Params) => Promise<unknown>;

/** A Bot API method: returns the `result`, or throws an `ApiError`. */
export type MethodHandler = (ctx: MethodContext) => unknown;

/** Unix seconds, the unit of every Telegram date. */
export function unixNow(): number {
  return Math.floor(Date.now() / 1000);
}
