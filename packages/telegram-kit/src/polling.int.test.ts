import { createI18n } from '@vpn/i18n';
import { Composer } from 'grammy';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { inFlightOf } from './create-bot.js';
import { startBot, type BotHandle } from './run/start-bot.js';
import { TOKEN, buildTestBot, startKitWorld, type KitWorld, type TestContext } from './test/harness.js';

const i18n = createI18n();

describe('a bot built with the kit, long polling against the emulator', () => {
  let world: KitWorld;
  const handles: BotHandle[] = [];

  async function started(overrides: Parameters<typeof buildTestBot>[1] = {}) {
    const built = buildTestBot(world, overrides);
    handles.push(await startBot(built.bot, { mode: 'polling', logger: built.logger, pollTimeoutSeconds: 1 }));
    return built;
  }

  async function user(languageCode: string) {
    return world.emulator.client.createUser({ firstName: 'Test', languageCode });
  }
  async function say(from: number, command: string, payload?: string) {
    await world.emulator.client.sendCommand({ from, bot: TOKEN, command, ...(payload ? { payload } : {}) });
    return world.emulator.client.waitForMessage({ chatId: from, bot: TOKEN, timeoutMs: 5_000 });
  }

  beforeAll(async () => {
    world = await startKitWorld('polling');
  });
  afterEach(async () => {
    for (const handle of handles.splice(0)) await handle.stop();
    await world.emulator.client.setRateLimits(false);
  });
  afterAll(async () => {
    await world.close();
  });

  it('keeps the session across a restart (a new bot instance on the same Redis)', async () => {
    const ann = await user('en');
    await started();
    expect((await say(ann.id, 'visit')).text).toBe('visits: 1');
    expect((await say(ann.id, 'visit')).text).toBe('visits: 2');
    await handles.pop()?.stop();

    await started();
    expect((await say(ann.id, 'visit')).text).toBe('visits: 3');
    // The session is written after the handler's reply: wait for the write, not for the reply.
    await vi.waitFor(async () => {
      const stored = await world.redis.get(`${world.prefix}session:${ann.id}`);
      expect(JSON.parse(stored ?? '{}')).toEqual({ visits: 3 });
    });
  });

  it('answers in the user language', async () => {
    const ru = await user('ru');
    const uk = await user('uk');
    const en = await user('en');
    const de = await user('de');
    await started();
    expect((await say(ru.id, 'lang')).text).toBe(`ru: ${i18n.t('ru', 'common.buttons.back')}`);
    expect((await say(uk.id, 'lang')).text).toBe(`ru: ${i18n.t('ru', 'common.buttons.back')}`);
    expect((await say(en.id, 'lang')).text).toBe(`en: ${i18n.t('en', 'common.buttons.back')}`);
    expect((await say(de.id, 'lang')).text).toBe(`en: ${i18n.t('en', 'common.buttons.back')}`);
  });

  it('waits out a 429 from Telegram flood control instead of failing', async () => {
    const bob = await user('en');
    const { logs } = await started();
    // One message per second per private chat, no burst: the second reply gets a 429.
    await world.emulator.client.setRateLimits({ privateChat: { burst: 1, perSecond: 1 } });
    const begun = Date.now();
    await world.emulator.client.sendCommand({ from: bob.id, bot: TOKEN, command: 'burst' });
    const first = await world.emulator.client.waitForMessage({ chatId: bob.id, bot: TOKEN });
    const second = await world.emulator.client.waitForMessage({ chatId: bob.id, bot: TOKEN, timeoutMs: 5_000 });
    expect([first.text, second.text]).toEqual(['one', 'two']);
    expect(Date.now() - begun).toBeGreaterThanOrEqual(900);
    expect(logs.some((l) => l.level === 40 && l.msg === 'Telegram answered 429, waiting it out')).toBe(true);
    expect(logs.some((l) => l.level >= 50)).toBe(false);
  });

  it('marks a user who blocked the bot, once, and tells nobody else', async () => {
    const admin = await user('en');
    const gone = await user('ru');
    await world.emulator.client.start({ from: gone.id, bot: TOKEN });
    const onUserBlockedBot = vi.fn();
    await started({ onUserBlockedBot });
    await world.emulator.client.waitForMessage({ chatId: gone.id, bot: TOKEN }).catch(() => undefined);
    await world.emulator.client.blockBot({ from: gone.id, bot: TOKEN });

    await world.emulator.client.sendCommand({ from: admin.id, bot: TOKEN, command: 'notify', payload: String(gone.id) });
    await vi.waitFor(() => expect(onUserBlockedBot).toHaveBeenCalled(), { timeout: 5_000 });
    // Give a wrongly sent error reply the time to arrive before asserting there is none.
    await new Promise((r) => setTimeout(r, 200));
    expect(onUserBlockedBot).toHaveBeenCalledTimes(1);
    expect(onUserBlockedBot).toHaveBeenCalledWith(gone.id);
    expect(await world.emulator.client.getMessages({ chatId: admin.id, bot: TOKEN })).toEqual([]);
  });

  it('answers the 11th expensive request within a minute politely instead of running it', async () => {
    const eve = await user('ru');
    await started();
    for (let i = 1; i <= 10; i++) expect((await say(eve.id, 'qr')).text).toBe('qr ready');
    const refused = await say(eve.id, 'qr');
    expect(refused.text).toMatch(/^Это действие можно повторить через \d+ секунд/);
    expect(refused.text).toBe(i18n.t('ru', 'common.rateLimit.wait', { count: Number(/\d+/.exec(refused.text ?? '')?.[0]) }));

    // A button press over the limit is answered with the same text, so it does not keep spinning.
    expect((await say(eve.id, 'menu')).text).toBe('menu');
    const press = await world.emulator.client.pressButton({ from: eve.id, bot: TOKEN, data: 'qr' });
    const answer = await world.emulator.client.waitForCallbackAnswer({ callbackQueryId: press.callbackQueryId });
    expect(answer.text).toMatch(/^Это действие можно повторить через/);
    expect(await world.emulator.client.getMessages({ chatId: eve.id, bot: TOKEN })).toHaveLength(12);
  });

  it('drains the updates being handled when stopped', async () => {
    const dan = await user('en');
    const { bot } = await started();
    await world.emulator.client.sendCommand({ from: dan.id, bot: TOKEN, command: 'slow' });
    // The handler is now sleeping 400 ms; the runner's own stop() would not wait for it.
    await vi.waitFor(() => expect(inFlightOf(bot)?.size).toBe(1));
    await handles.pop()?.stop();
    const messages = await world.emulator.client.getMessages({ chatId: dan.id, bot: TOKEN });
    expect(messages.map((m) => m.text)).toEqual(['slow done']);
  });

  it("runs one chat's updates one at a time and in order (sequentialize), other chats alongside, no session write lost", async () => {
    const N = 8;
    const sam = await user('en');
    const tom = await user('en');
    const order = new Map<number, string[]>();
    const active = new Map<number, number>();
    let mostInOneChat = 0;
    let mostOverall = 0;
    const steps = new Composer<TestContext>();
    steps.command('step', async (ctx) => {
      const chat = ctx.chat.id;
      active.set(chat, (active.get(chat) ?? 0) + 1);
      mostInOneChat = Math.max(mostInOneChat, active.get(chat)!);
      mostOverall = Math.max(
        mostOverall,
        [...active.values()].reduce((a, b) => a + b, 0),
      );
      order.set(chat, [...(order.get(chat) ?? []), `start ${ctx.match}`]);
      // A read-modify-write of the session with a pause in between: interleaved, writes would be lost.
      const before = ctx.session.visits;
      await new Promise((r) => setTimeout(r, 15));
      ctx.session.visits = before + 1;
      await ctx.reply(`step ${ctx.match}: ${ctx.session.visits}`);
      order.get(chat)!.push(`end ${ctx.match}`);
      active.set(chat, active.get(chat)! - 1);
    });
    // Everything is queued before the bot starts, so the runner takes the updates in one batch.
    for (let i = 1; i <= N; i++) {
      for (const u of [sam, tom]) await world.emulator.client.sendCommand({ from: u.id, bot: TOKEN, command: 'step', payload: String(i) });
    }
    await started({ features: () => [steps], rateLimit: { general: false } });

    const expected = Array.from({ length: N }, (_, i) => `step ${i + 1}: ${i + 1}`);
    for (const u of [sam, tom]) {
      await vi.waitFor(
        async () => expect((await world.emulator.client.getMessages({ chatId: u.id, bot: TOKEN })).map((m) => m.text)).toEqual(expected),
        { timeout: 10_000 },
      );
      // The last reply can reach the emulator before its handler records its end: wait for that too.
      await vi.waitFor(() =>
        expect(order.get(u.id)).toEqual(Array.from({ length: N }, (_, i) => [`start ${i + 1}`, `end ${i + 1}`]).flat()),
      );
      await vi.waitFor(async () =>
        expect(JSON.parse((await world.redis.get(`${world.prefix}session:${u.id}`)) ?? '{}')).toEqual({ visits: N }),
      );
    }
    expect(mostInOneChat).toBe(1);
    // The two chats did run at the same time: the order above is sequentialize's doing, not the runner's.
    expect(mostOverall).toBe(2);
  });

  it('a second poller ends polling (409): the bot says so once, reports not taking updates, and a stop() is never taken for it', async () => {
    const built = buildTestBot(world);
    const onUnexpectedStop = vi.fn();
    const handle = await startBot(built.bot, { mode: 'polling', logger: built.logger, pollTimeoutSeconds: 1, onUnexpectedStop });
    handles.push(handle);
    await vi.waitFor(() => expect(handle.isTakingUpdates()).toBe(true));
    // Another instance with the same token starts polling: Telegram ends the first one's request with 409.
    const other = fetch(`${world.emulator.apiRoot}/bot${TOKEN}/getUpdates?timeout=2`);
    await vi.waitFor(() => expect(onUnexpectedStop).toHaveBeenCalledTimes(1), { timeout: 5_000 });
    expect(onUnexpectedStop.mock.calls[0]?.[0]).toMatchObject({ error_code: 409 });
    expect(handle.isTakingUpdates()).toBe(false);
    await other;

    const calm = buildTestBot(world);
    const quiet = vi.fn();
    const stopped = await startBot(calm.bot, { mode: 'polling', logger: calm.logger, pollTimeoutSeconds: 1, onUnexpectedStop: quiet });
    await vi.waitFor(() => expect(stopped.isTakingUpdates()).toBe(true));
    await stopped.stop();
    expect(stopped.isTakingUpdates()).toBe(false);
    expect(quiet).not.toHaveBeenCalled();
  });

  it('reports not taking updates while getUpdates fails, and taking them again once it succeeds', { timeout: 40_000 }, async () => {
    const built = buildTestBot(world);
    const onUnexpectedStop = vi.fn();
    const handle = await startBot(built.bot, { mode: 'polling', logger: built.logger, pollTimeoutSeconds: 1, onUnexpectedStop });
    handles.push(handle);
    // Telegram unreachable: every getUpdates loses its connection (after the kit's bounded retries).
    await world.emulator.client.injectFault({ method: 'getUpdates', bot: TOKEN, times: 1_000, network: { kind: 'drop' } });
    try {
      await vi.waitFor(() => expect(handle.isTakingUpdates()).toBe(false), { timeout: 15_000 });
    } finally {
      await world.emulator.client.clearFaults();
    }
    await vi.waitFor(() => expect(handle.isTakingUpdates()).toBe(true), { timeout: 15_000 });
    expect(onUnexpectedStop).not.toHaveBeenCalled();
  });

  it('gives handlers ctx.logger bound to the update id, user id and chat id', async () => {
    const lou = await user('en');
    const logging = new Composer<TestContext>();
    logging.command('log', async (ctx) => {
      ctx.logger.info({ step: 'checkout' }, 'customer opened checkout');
      await ctx.reply('logged');
    });
    const { logs } = await started({ features: () => [logging] });
    const sent = await world.emulator.client.sendCommand({ from: lou.id, bot: TOKEN, command: 'log' });
    expect((await world.emulator.client.waitForMessage({ chatId: lou.id, bot: TOKEN })).text).toBe('logged');
    const line = logs.find((l) => l.msg === 'customer opened checkout');
    expect(line).toMatchObject({ level: 30, step: 'checkout', update_id: sent.updateIds[0], user_id: lou.id, chat_id: lou.id });
    // The per-update timing line carries the same bindings.
    await vi.waitFor(() =>
      expect(logs.find((l) => l.msg === 'update handled' && l.update_id === sent.updateIds[0])).toMatchObject({
        user_id: lou.id,
        chat_id: lou.id,
        ms: expect.any(Number),
      }),
    );
  });

  it('refuses a flood with one polite reply per window, keeping other users responsive', async () => {
    const flo = await user('en');
    const other = await user('en');
    await started({ rateLimit: { general: { limit: 3, windowMs: 10_000 } } });
    for (let i = 0; i < 5; i++) await world.emulator.client.sendCommand({ from: flo.id, bot: TOKEN, command: 'lang' });
    expect((await say(other.id, 'lang')).text).toBe(`en: ${i18n.t('en', 'common.buttons.back')}`);
    await new Promise((r) => setTimeout(r, 200));
    const texts = (await world.emulator.client.getMessages({ chatId: flo.id, bot: TOKEN })).map((m) => m.text);
    const back = `en: ${i18n.t('en', 'common.buttons.back')}`;
    expect(texts).toEqual([back, back, back, i18n.t('en', 'common.rateLimit.tooFast')]);
  });
  it('counts a burst when it arrives, not when its turn comes behind a slow handler', async () => {
    const flo = await user('en');
    // /slow takes 400 ms and a window is 500 ms: counted at their turn, every one of eight would
    // land in a fresh window and run (about 3 s of work from one burst).
    await started({ rateLimit: { general: { limit: 3, windowMs: 500 } } });
    await Promise.all(Array.from({ length: 8 }, () => world.emulator.client.sendCommand({ from: flo.id, bot: TOKEN, command: 'slow' })));
    await new Promise((r) => setTimeout(r, 3_600));
    const texts = (await world.emulator.client.getMessages({ chatId: flo.id, bot: TOKEN })).map((m) => m.text);
    expect(texts.filter((t) => t === 'slow done')).toHaveLength(3);
    expect(texts.filter((t) => t === i18n.t('en', 'common.rateLimit.tooFast'))).toHaveLength(1);
  });
});
