import { PermanentJobError, type deferredSendQueue, type PayloadOf, type Processor } from '@vpn/queues';
import { classifyTelegramError, DEFERRABLE_METHODS } from '@vpn/telegram-kit';
import type { Api } from 'grammy';

type RawCall = (payload: Record<string, unknown>) => Promise<unknown>;

/**
 * `deferred-send`: a bot's send that met a flood wait too long for its handler, made now that the
 * wait is over (the job was added with that delay). Another flood wait or a network failure is
 * retried by the queue; a refusal (blocked, bad request) is final, and "not modified" means the
 * edit is already there. The payload is never logged: a config message carries a link.
 */
export function createDeferredSendProcessor(deps: { clientApi: Api }): Processor<PayloadOf<typeof deferredSendQueue>> {
  return async ({ bot, id, method, payload }, { log }) => {
    if (!(DEFERRABLE_METHODS as readonly string[]).includes(method))
      throw new PermanentJobError(`${method} is not a send the bots hand on`, 'bad_request');
    const call = (deps.clientApi.raw as unknown as Record<string, RawCall>)[method] as RawCall;
    try {
      await call(payload);
    } catch (err) {
      const info = classifyTelegramError(err);
      if (info.kind === 'not-modified') return { sent: false };
      if (info.kind === 'blocked' || info.kind === 'api')
        throw new PermanentJobError(`${method} refused by Telegram (${info.kind})`, info.kind);
      throw err;
    }
    log.info({ bot, id, method }, 'deferred send made after the flood wait');
    return { sent: true };
  };
}
