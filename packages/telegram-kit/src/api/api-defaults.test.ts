import { Api, GrammyError, HttpError, type Transformer } from 'grammy';
import { describe, expect, it } from 'vitest';
import { captureLogs } from '../testing/index.js';
import { installApiDefaults, type ApiDefaultsOptions } from './api-defaults.js';

type Answer = { ok: true; result: unknown } | { ok: false; error_code: number; description: string; parameters?: { retry_after?: number } };

/** An Api whose innermost layer (below the defaults) answers from `script` instead of the network. */
function scriptedApi(script: (method: string, attempt: number) => Answer | 'network', options: ApiDefaultsOptions = {}) {
  const api = new Api('1:test');
  const calls: { method: string; payload: Record<string, unknown> }[] = [];
  const transport: Transformer = async (_prev, method, payload) => {
    calls.push({ method, payload: payload });
    const answer = script(method, calls.length);
    if (answer === 'network') throw new HttpError('Network request failed!', new Error('ECONNRESET'));
    return answer as never;
  };
  api.config.use(transport);
  installApiDefaults(api, options);
  return { api, calls };
}

const ok: Answer = { ok: true, result: true };

describe('installApiDefaults', () => {
  it('sends texts and captions as HTML unless the call formats them itself', async () => {
    const { api, calls } = scriptedApi(() => ok);
    await api.sendMessage(1, '<b>hi</b>');
    await api.sendMessage(1, 'plain', { parse_mode: 'MarkdownV2' });
    await api.sendMessage(1, 'entities', { entities: [] });
    await api.sendPhoto(1, 'file-id');
    await api.sendPhoto(1, 'file-id', { caption: '<i>c</i>' });
    await api.answerCallbackQuery('q', { text: 'toast' });
    expect(calls.map((c) => c.payload.parse_mode)).toEqual(['HTML', 'MarkdownV2', undefined, undefined, 'HTML', undefined]);
  });

  it('drops the URL buttons Telegram would refuse (and rows left empty), logging the host once', async () => {
    const { logger, lines } = captureLogs();
    const { api, calls } = scriptedApi(() => ok, { logger });
    const go = 'http://localhost:8080/go/SECRET-TOKEN';
    const keyboard = {
      inline_keyboard: [
        [{ text: 'add', url: go }],
        [
          { text: 'store', url: 'https://play.google.com/store/apps/details?id=x' },
          { text: 'svc', url: 'https://webhooks/go/x' },
        ],
        [{ text: 'back', callback_data: 'b' }],
      ],
    };
    await api.sendMessage(1, 'guide', { reply_markup: keyboard });
    await api.editMessageReplyMarkup(1, 2, { reply_markup: keyboard });
    const sent = { inline_keyboard: [[keyboard.inline_keyboard[1]![0]], [keyboard.inline_keyboard[2]![0]]] };
    expect(calls.map((c) => c.payload.reply_markup)).toEqual([sent, sent]);
    expect(lines.map((l) => [l.host, l.level])).toEqual([
      ['localhost:8080', 40],
      ['webhooks', 40],
    ]);
    expect(JSON.stringify(lines)).not.toContain('SECRET-TOKEN');
    const untouched = { inline_keyboard: [[{ text: 'ok', url: 'https://vpn.example.com/go/x' }]] };
    await api.sendMessage(1, 'fine', { reply_markup: untouched });
    expect(calls.at(-1)?.payload.reply_markup).toBe(untouched);
  });

  it('waits out a 429 and logs it at warn', async () => {
    const { logger, lines } = captureLogs();
    const { api, calls } = scriptedApi(
      (_m, attempt) =>
        attempt === 1
          ? { ok: false, error_code: 429, description: 'Too Many Requests: retry after 0', parameters: { retry_after: 0 } }
          : ok,
      { logger },
    );
    await expect(api.sendMessage(1, 'x')).resolves.toBe(true);
    expect(calls).toHaveLength(2);
    expect(lines).toMatchObject([{ level: 40, method: 'sendMessage', retry_after: 0 }]);
  });

  it('fails a 429 that asks for longer than the bot is willing to wait', async () => {
    const { api, calls } = scriptedApi(
      () => ({ ok: false, error_code: 429, description: 'Too Many Requests: retry after 31', parameters: { retry_after: 31 } }),
      { maxRetryAfterSeconds: 30 },
    );
    await expect(api.sendMessage(1, 'x')).rejects.toBeInstanceOf(GrammyError);
    expect(calls).toHaveLength(1);
  });

  it('retries a network failure a bounded number of times', async () => {
    const flaky = scriptedApi((_m, attempt) => (attempt === 1 ? 'network' : ok), { networkRetries: 1 });
    await expect(flaky.api.sendMessage(1, 'x')).resolves.toBe(true);
    expect(flaky.calls).toHaveLength(2);

    const down = scriptedApi(() => 'network', { networkRetries: 1 });
    await expect(down.api.sendMessage(1, 'x')).rejects.toBeInstanceOf(HttpError);
    expect(down.calls).toHaveLength(2);
  });
});
