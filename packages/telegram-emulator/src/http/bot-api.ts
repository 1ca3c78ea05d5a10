import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '@vpn/logger';
import type { Dispatch } from '../api/context.js';
import { ApiError } from '../api/errors.js';
import { METHODS } from '../api/methods.js';
import type { BotRecord } from '../state/bots.js';
import type { World } from '../state/world.js';
import { readParams } from './body.js';
import type { Params } from './params.js';
import { sendJson } from './respond.js';

const UNAUTHORIZED = new ApiError(401, 'Unauthorized');
const NOT_FOUND = new ApiError(404, 'Not Found');

/** Runs one Bot API method for a bot and records the call; throws `ApiError` on refusal. */
export function createDispatch(world: World, logger: Logger): Dispatch {
  const dispatch = async (bot: BotRecord, method: string, params: Params, signal?: AbortSignal): Promise<unknown> => {
    const handler = METHODS.get(method.toLowerCase());
    if (!handler) throw NOT_FOUND;
    const ctx = {
      world,
      bot,
      params,
      signal: signal ?? new AbortController().signal,
      logger,
      dispatch,
    };
    try {
      const result: unknown = await handler(ctx);
      // What a bot is shown (getUpdates included) makes its file ids usable by that bot.
      world.files.grantSeen(bot.id, result);
      world.calls.add({ at: Date.now(), botId: bot.id, method, params: params.raw, ok: true });
      return result;
    } catch (error) {
      if (error instanceof ApiError) {
        world.calls.add({
          at: Date.now(),
          botId: bot.id,
          method,
          params: params.raw,
          ok: false,
          errorCode: error.code,
          description: error.description,
        });
      }
      throw error;
    }
  };
  return dispatch;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Handles `/bot<token>/<method>`: authenticates the token, applies injected faults, runs the
 * method and answers with Telegram's envelope (`{ ok: true, result }` or the error shape).
 */
export async function handleBotApi(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  token: string,
  method: string,
  deps: {
    world: World;
    dispatch: (bot: BotRecord, method: string, params: Params, signal?: AbortSignal) => Promise<unknown>;
  },
): Promise<void> {
  const { world } = deps;
  const closed = new AbortController();
  res.on('close', () => closed.abort());
  try {
    const params = await readParams(req, url);
    const bot = world.bots.byTokenOrUndefined(token);
    if (!bot) throw UNAUTHORIZED;
    if (!METHODS.has(method.toLowerCase())) throw NOT_FOUND;
    const fault = world.faults.take(bot.id, method);
    if (fault?.network?.kind === 'drop') {
      req.socket.destroy();
      return;
    }
    if (fault?.network?.kind === 'delay') await sleep(fault.network.ms);
    if (fault?.error) {
      const { code, description, retryAfter } = fault.error;
      throw new ApiError(code, description, retryAfter === undefined ? undefined : { retry_after: retryAfter });
    }
    const result = await deps.dispatch(bot, method, params, closed.signal);
    sendJson(res, 200, { ok: true, result });
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    sendJson(res, error.code, error.toJSON());
  }
}
