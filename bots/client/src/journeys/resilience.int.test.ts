import { randomUUID } from 'node:crypto';
import { subscriptionQrPng } from '@vpn/vpn';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { labelsOf } from '../testing/buttons.js';
import { startClientWorld, TEST_BOT_TOKEN, type ClientWorld } from '../testing/client-world.js';

describe('bad input, blocked customers and floods', () => {
  let w: ClientWorld;
  beforeAll(async () => {
    w = await startClientWorld('resilience', {
      rateLimit: { general: { limit: 30, windowMs: 60_000 }, expensive: { limit: 5, windowMs: 60_000 } },
    });
  });
  afterAll(async () => {
    expect(w.logs.filter((l) => l.level >= 50).map((l) => JSON.stringify(l.err ?? l.msg).slice(0, 600))).toEqual([]);
    await w.close();
  });

  async function started(lng: 'ru' | 'en' = 'ru') {
    const user = await w.newUser(lng);
    await w.tg.start({ from: user.id, bot: w.botInfo.id });
    await w.next(user);
    await w.next(user);
    return user;
  }
  const text = (from: number, body: string) => w.tg.sendText({ from, bot: TEST_BOT_TOKEN, text: body });

  it('answers random text, unknown commands, huge messages and other media with a hint and the menu', async () => {
    const t = w.i18n.forLanguage('en');
    const user = await started('en');
    await text(user.id, 'asdf qwerty');
    const hint = await w.next(user);
    expect(hint.text).toBe(t('client.fallback.text'));
    expect(labelsOf(hint)).toContain(t('client.menu.config'));
    await w.tg.sendCommand({ from: user.id, bot: TEST_BOT_TOKEN, command: 'definitely_not_a_command', payload: 'x'.repeat(50) });
    expect((await w.next(user)).text).toBe(t('client.fallback.unknownCommand'));
    await text(user.id, `<b>${'&<>"'.repeat(1_022)}`);
    expect((await w.next(user)).text).toBe(t('client.fallback.text'));
    await w.tg.sendPhoto({ from: user.id, bot: TEST_BOT_TOKEN, data: await subscriptionQrPng('hello') });
    expect((await w.next(user)).text).toBe(t('client.fallback.text'));
    // The menu under a hint works like the main menu.
    await w.press(user, t('client.menu.faq'));
    expect((await w.nextEdit(user)).text).toContain('FAQ');
  });

  it('answers a press before the edit it causes sits in a flood wait', async () => {
    const t = w.i18n.forLanguage('en');
    const user = await started('en');
    // Telegram answers the edit with a 4 s flood wait; auto-retry waits it out.
    await w.tg.injectFault({
      method: 'editMessageText',
      bot: TEST_BOT_TOKEN,
      error: { code: 429, description: 'Too Many Requests: retry after 4', retryAfter: 4 },
    });
    const pressedAt = Date.now();
    const press = await w.press(user, t('client.menu.faq'));
    // The spinner stops at once, not after the wait (a 20 s wait would have outlived Telegram's 15 s).
    expect((await w.tg.waitForCallbackAnswer({ callbackQueryId: press, timeoutMs: 2_500 })).answered).toBe(true);
    const edit = await w.tg.waitForEdit({ chatId: user.id, bot: TEST_BOT_TOKEN, timeoutMs: 15_000 });
    expect(edit.text).toContain('FAQ');
    expect(Date.now() - pressedAt).toBeGreaterThanOrEqual(3_900);
    const calls = (await w.tg.getCalls({ bot: TEST_BOT_TOKEN })).filter(
      (c) => c.method === 'answerCallbackQuery' || c.method === 'editMessageText',
    );
    // (An injected fault is not in the call log: the answer, then the edit that got through.)
    expect(calls.slice(-2).map((c) => [c.method, c.errorCode ?? 'ok'])).toEqual([
      ['answerCallbackQuery', 'ok'],
      ['editMessageText', 'ok'],
    ]);
  });

  it.each(['ru', 'en'] as const)('%s: a refresh that finds nothing new says so in a toast', async (lng) => {
    const t = w.i18n.forLanguage(lng);
    const user = await started(lng);
    const customer = await w.db.repos.users.findByTelegramId(user.id);
    await w.billing.trial.startTrial(customer!.id);
    await w.tg.sendCommand({ from: user.id, bot: TEST_BOT_TOKEN, command: 'config' });
    await w.next(user);
    // Not provisioned yet: the refresh renders the same "preparing" screen, which Telegram refuses as not modified.
    const press = await w.press(user, t('client.common.refresh'));
    expect((await w.tg.waitForCallbackAnswer({ callbackQueryId: press })).text).toBe(t('client.common.nothingChanged'));
  });

  it.each([
    ['ru', 'не работает'],
    ['ru', 'VPN не подключается('],
    ['en', "it doesn't work"],
    ['en', 'VPN not working'],
  ] as const)('%s: "%s" typed instead of pressed opens the doctor, not "I didn\'t understand"', async (lng, said) => {
    const t = w.i18n.forLanguage(lng);
    const user = await started(lng);
    await text(user.id, said);
    const reply = await w.next(user);
    expect(reply.text).toContain(t('client.doctor.title').replace(/<\/?b>/g, ''));
    expect(reply.text).not.toBe(t('client.fallback.text'));
  });

  it('survives forged, garbled and stale buttons', async () => {
    const t = w.i18n.forLanguage('ru');
    const user = await started('ru');
    const stranger = await started('ru');
    const strangerRow = await w.db.repos.users.findByTelegramId(stranger.id);
    const { payment } = await w.billing.ledger.createPendingPayment({
      userId: strangerRow!.id,
      planId: (await w.db.repos.plans.findByCode('m1'))!.id,
      provider: 'yookassa',
      idempotencyKey: randomUUID(),
    });

    for (const data of ['m/zz/0//hxx', 'zzz/0/0//h12', 'm/-1/0//h1', 'x'.repeat(64), '💥'.repeat(16), 'pc:', 'co/0/0']) {
      const id = w.pressForged(user, data);
      const answer = await w.tg.waitForCallbackAnswer({ callbackQueryId: id });
      expect(answer.answered).toBe(true);
      expect([t('client.fallback.staleButton'), t('client.payment.notFound')]).toContain(answer.text);
    }
    // Someone else's payment cannot be checked or cancelled.
    for (const data of [`pc:${payment.id}`, `px:${payment.id}`, `px:${randomUUID()}`]) {
      const id = w.pressForged(user, data);
      expect((await w.tg.waitForCallbackAnswer({ callbackQueryId: id })).text).toBe(t('client.payment.notFound'));
    }
    expect((await w.db.repos.payments.get(payment.id))?.status).toBe('pending');
    // A real menu button with a wrong fingerprint is "outdated": the screen is shown as it is now.
    const id = w.pressForged(user, 'sub/0/0//hAAAA');
    expect((await w.tg.waitForCallbackAnswer({ callbackQueryId: id })).text).toBe(t('client.common.outdated'));
    // And the bot still works.
    await w.tg.sendCommand({ from: user.id, bot: TEST_BOT_TOKEN, command: 'menu' });
    expect((await w.next(user)).text).toContain(t('client.status.none'));
  });

  it('tells a blocked customer politely, for messages and for buttons', async () => {
    const t = w.i18n.forLanguage('ru');
    const user = await started('ru');
    const row = await w.db.repos.users.findByTelegramId(user.id);
    await w.db.repos.users.setBlocked(row!.id, true, 'abuse');
    await new Promise((r) => setTimeout(r, 250)); // the customer cache lives 200 ms in tests
    await w.tg.sendCommand({ from: user.id, bot: TEST_BOT_TOKEN, command: 'start' });
    expect((await w.next(user)).text).toBe(t('client.start.blocked'));
    const press = await w.press(user, t('client.menu.buy'));
    expect(await w.tg.waitForCallbackAnswer({ callbackQueryId: press })).toMatchObject({
      text: t('client.start.blocked'),
      showAlert: true,
    });
    // Nothing else was sent: no menu, no plans.
    expect((await w.tg.getMessages({ chatId: user.id, bot: TEST_BOT_TOKEN })).at(-1)?.text).toBe(t('client.start.blocked'));
  });

  it('records a customer who blocked the bot, and forgets it when they come back', async () => {
    const user = await started('en');
    await w.tg.blockBot({ from: user.id, bot: TEST_BOT_TOKEN });
    await vi.waitFor(async () => expect((await w.db.repos.users.findByTelegramId(user.id))?.botBlockedAt).not.toBeNull());
    await w.tg.unblockBot({ from: user.id, bot: TEST_BOT_TOKEN });
    await w.tg.start({ from: user.id, bot: TEST_BOT_TOKEN });
    await w.next(user);
    await vi.waitFor(async () => expect((await w.db.repos.users.findByTelegramId(user.id))?.botBlockedAt).toBeNull());
  });

  it('answers a flood once with "too fast" and keeps serving everyone else', async () => {
    const t = w.i18n.forLanguage('ru');
    const flooder = await started('ru');
    const before = (await w.tg.getMessages({ chatId: flooder.id, bot: TEST_BOT_TOKEN })).length;
    await Promise.all(Array.from({ length: 60 }, (_, i) => text(flooder.id, `spam ${i}`)));
    const calm = await started('ru');
    await text(calm.id, 'hello');
    expect((await w.next(calm)).text).toBe(t('client.fallback.text'));
    // /start took 1 of 30 updates: 29 hints, then one "too fast", then silence.
    await vi.waitFor(async () => {
      const sent = (await w.tg.getMessages({ chatId: flooder.id, bot: TEST_BOT_TOKEN })).slice(before);
      expect(sent.map((m) => m.text)).toEqual([...Array<string>(29).fill(t('client.fallback.text')), t('common.rateLimit.tooFast')]);
    });
    await new Promise((r) => setTimeout(r, 300));
    expect((await w.tg.getMessages({ chatId: flooder.id, bot: TEST_BOT_TOKEN })).length).toBe(before + 30);
  });
});
