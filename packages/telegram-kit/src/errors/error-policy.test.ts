import { Api, BotError, Context, GrammyError, HttpError } from 'grammy';
import { describe, expect, it, vi } from 'vitest';
import { captureLogs, messageUpdate, testBotInfo, testUser } from '../testing/index.js';
import { classifyTelegramError, handleTelegramError } from './error-policy.js';

function apiError(
  code: number,
  description: string,
  method = 'sendMessage',
  payload: Record<string, unknown> = { chat_id: 42 },
  parameters = {},
) {
  return new GrammyError(`Call to '${method}' failed!`, { ok: false, error_code: code, description, parameters }, method, payload);
}

function botError(error: unknown, fromId = 7): BotError {
  const ctx = new Context(messageUpdate(testUser(fromId), 'hi'), new Api('1:x'), testBotInfo());
  return new BotError(error, ctx);
}

describe('classifyTelegramError', () => {
  it.each([
    [apiError(403, 'Forbidden: bot was blocked by the user'), 'blocked'],
    [apiError(403, 'Forbidden: user is deactivated'), 'blocked'],
    [apiError(403, 'Forbidden: bot was kicked from the supergroup chat'), 'api'],
    [apiError(429, 'Too Many Requests: retry after 5', 'sendMessage', {}, { retry_after: 5 }), 'rate-limited'],
    [
      apiError(400, 'Bad Request: message is not modified: specified new message content and reply markup are exactly the same'),
      'not-modified',
    ],
    [
      apiError(400, 'Bad Request: query is too old and response timeout expired or query ID is invalid', 'answerCallbackQuery'),
      'query-too-old',
    ],
    [apiError(400, 'Bad Request: chat not found'), 'api'],
    [new HttpError('Network request failed', new Error('ECONNRESET')), 'network'],
    [new Error('a bug'), 'internal'],
    ['a thrown string', 'internal'],
  ])('%s → %s', (error, kind) => {
    expect(classifyTelegramError(error).kind).toBe(kind);
    expect(classifyTelegramError(botError(error)).kind).toBe(kind);
  });

  it('takes the blocked user from the call, not from whoever sent the update', () => {
    const blocked = apiError(403, 'Forbidden: bot was blocked by the user', 'sendMessage', { chat_id: 555 });
    expect(classifyTelegramError(blocked).telegramId).toBe(555);
    expect(classifyTelegramError(botError(blocked, 7)).telegramId).toBe(555);
    const byUsername = apiError(403, 'Forbidden: bot was blocked by the user', 'sendMessage', { chat_id: '@someone' });
    expect(classifyTelegramError(botError(byUsername, 7)).telegramId).toBe(7);
  });

  it('keeps retry_after and the method', () => {
    const info = classifyTelegramError(apiError(429, 'Too Many Requests', 'editMessageText', {}, { retry_after: 9 }));
    expect(info).toMatchObject({ kind: 'rate-limited', retryAfter: 9, method: 'editMessageText' });
  });
});

describe('handleTelegramError', () => {
  it('marks a user who blocked the bot once, and logs at info', async () => {
    const { logger, lines } = captureLogs();
    const onUserBlockedBot = vi.fn();
    await handleTelegramError(apiError(403, 'Forbidden: bot was blocked by the user', 'sendMessage', { chat_id: 99 }), {
      logger,
      onUserBlockedBot,
    });
    expect(onUserBlockedBot).toHaveBeenCalledTimes(1);
    expect(onUserBlockedBot).toHaveBeenCalledWith(99);
    expect(lines.map((l) => l.level)).toEqual([30]);
  });

  it('ignores "not modified" silently, warns on 429, errors on the rest, and never throws', async () => {
    const { logger, lines } = captureLogs();
    const onUserBlockedBot = vi.fn(() => Promise.reject(new Error('db down')));
    await handleTelegramError(apiError(400, 'Bad Request: message is not modified'), { logger });
    await handleTelegramError(apiError(429, 'Too Many Requests', 'sendMessage', {}, { retry_after: 3 }), { logger });
    await handleTelegramError(botError(new Error('boom')), { logger });
    await handleTelegramError(apiError(403, 'Forbidden: user is deactivated'), { logger, onUserBlockedBot });
    expect(lines.map((l) => [l.level, l.msg])).toEqual([
      [20, 'ignored Telegram error (not-modified)'],
      [40, 'Telegram rate limit outlasted auto-retry'],
      [50, 'update failed'],
      [30, 'user blocked the bot'],
      [50, 'onUserBlockedBot failed'],
    ]);
  });
});
