import { buttonOf, labelsOf, type SentMessage } from '@vpn/telegram-emulator';
import { CALLBACK_DATA_MAX_BYTES } from '@vpn/telegram-kit';
import { describe, expect, it } from 'vitest';
import { useSupportWorld } from '../../testing/support-world.js';

/** The customer card pinned in each topic and its buttons, pressed by staff of each role. */
describe('customer card', () => {
  const w = useSupportWorld();
  const t = w.i18n.forLanguage('ru');

  /** A paying customer with a topic and their card posted. */
  async function paidCustomer() {
    const plan = await w.h.plan({ title: { ru: 'Месяц', en: 'Month' } });
    const user = await w.h.customer({ firstName: 'Anna', username: 'anna_vpn' });
    const payment = await w.h.purchase(user, plan);
    const { threadId } = await w.customerTopic(user);
    await w.cards.refresh(user.id);
    return { user, payment, threadId };
  }
  const card = async (threadId: number): Promise<SentMessage> => {
    const topic = (await w.tg.client.getMessages({ chatId: w.chatId, threadId })).find((m) => m.pinned);
    if (!topic) throw new Error('no pinned card');
    return topic;
  };
  const newest = async (threadId: number) => (await w.tg.client.getMessages({ chatId: w.chatId, threadId })).at(-1)!;
  /** Presses `label` on `message` as `from` and returns the bot's answer to the press. */
  async function press(from: number, message: SentMessage, label: string) {
    const pressed = await w.tg.client.pressButton({ from, chatId: w.chatId, messageId: message.messageId, text: label });
    return w.tg.client.waitForCallbackAnswer({ callbackQueryId: pressed.callbackQueryId, timeoutMs: 10_000 });
  }
  /** Opens the actions menu as `from`: the bot posts it in the topic. */
  async function menu(from: number, threadId: number): Promise<SentMessage> {
    const before = (await newest(threadId)).messageId;
    await press(from, await card(threadId), t('support.card.actions'));
    let found: SentMessage | undefined;
    await w.eventually(async () => {
      found = await newest(threadId);
      expect(found.messageId).toBeGreaterThan(before);
    });
    return found!;
  }
  const latest = async (threadId: number, messageId: number) =>
    (await w.tg.client.getMessages({ chatId: w.chatId, threadId })).find((m) => m.messageId === messageId)!;

  it('is posted and pinned by itself when a customer gets a topic (the worker maps it)', async () => {
    const { threadId } = await w.customerTopic();
    await w.eventually(async () => expect((await card(threadId)).text).toContain(t('support.card.noSubscription')));
  });

  it('is pinned in the topic with the billing context and two buttons, and follows changes made anywhere', async () => {
    const { user, payment, threadId } = await paidCustomer();
    const shown = await card(threadId);
    expect(shown.text).toContain('Anna @anna_vpn');
    expect(shown.text).toContain('Месяц');
    expect(shown.text).toContain(payment.id.slice(0, 8));
    expect(shown.text).toContain(t('support.card.trialFree'));
    expect(labelsOf(shown)).toEqual([t('support.card.actions'), t('support.card.refresh')]);
    // Changed outside the bot (the admin bot, the API): the change feed brings the card up to date.
    const admin = await w.h.actor('admin');
    await w.h.backoffice.customers.block(admin, { userId: user.id, reason: 'chargeback' });
    await w.eventually(async () => expect((await card(threadId)).text).toContain('chargeback'));
    expect((await w.tg.client.getMessages({ chatId: w.chatId, threadId })).filter((m) => m.pinned)).toHaveLength(1);
  });

  it('offers each role only what it may do; support extends after a confirmation, announced and audited', async () => {
    const { user, threadId } = await paidCustomer();
    const support = await w.member('support');
    const open = await menu(support, threadId);
    expect(labelsOf(open)).toEqual(
      (['extend', 'reissue', 'resetTraffic', 'block', 'move', 'cancel'] as const).map((k) => t(`support.card.${k}`)),
    );
    for (const b of open.replyMarkup!.inline_keyboard.flat())
      expect(Buffer.byteLength(b.callback_data ?? '')).toBeLessThanOrEqual(CALLBACK_DATA_MAX_BYTES);
    const endsBefore = (await w.h.db.repos.subscriptions.getCurrentOrLatestForUser(user.id))!.endsAt!;
    await press(support, open, t('support.card.extend'));
    await w.eventually(async () => expect(labelsOf(await latest(threadId, open.messageId))).toContain('+7'));
    await press(support, await latest(threadId, open.messageId), '+7');
    await w.eventually(async () =>
      expect((await latest(threadId, open.messageId)).text).toBe(t('support.card.confirmExtend', { id: user.id, arg: '7' })),
    );
    // Nothing changes before "yes".
    expect((await w.h.db.repos.subscriptions.getCurrentOrLatestForUser(user.id))!.endsAt).toEqual(endsBefore);
    const confirmation = await latest(threadId, open.messageId);
    const yes = buttonOf(confirmation, t('support.card.yes'));
    expect(Buffer.byteLength(yes.callback_data!)).toBeLessThanOrEqual(CALLBACK_DATA_MAX_BYTES);
    // A double tap: both presses reach the bot before the confirmation is gone; one change.
    const answers = await Promise.all([
      press(support, confirmation, t('support.card.yes')),
      press(support, confirmation, t('support.card.yes')),
    ]);
    expect(answers.map((a) => a.text).sort()).toEqual([t('support.card.already'), t('support.card.done')].sort());
    const endsAfter = (await w.h.db.repos.subscriptions.getCurrentOrLatestForUser(user.id))!.endsAt!;
    expect(endsAfter.getTime() - endsBefore.getTime()).toBe(7 * 86_400_000);
    await w.eventually(async () =>
      expect((await latest(threadId, open.messageId)).text).toContain(
        t('support.card.doneExtend', { who: `support ${support}`, arg: '7' }),
      ),
    );
    const audit = await w.h.db.repos.auditLog.list({ entity: 'user', entityId: String(user.id), limit: 5 });
    expect(audit.map((e) => e.action)).toContain('customer.extend');
  });

  it('lets finance refund the last payment once, and refuses viewers and strangers', async () => {
    const { user, payment, threadId } = await paidCustomer();
    const finance = await w.member('finance');
    const open = await menu(finance, threadId);
    expect(labelsOf(open)).toEqual([t('support.card.refund'), t('support.card.cancel')]);
    // The menu is seen by everyone in the topic: support pressing finance's refund is refused.
    const support = await w.member('support');
    expect(await press(support, open, t('support.card.refund'))).toMatchObject({ text: t('support.card.forbidden', { role: 'support' }) });
    await press(finance, open, t('support.card.refund'));
    await w.eventually(async () => expect(labelsOf(await latest(threadId, open.messageId))).toContain(payment.id.slice(0, 8)));
    await press(finance, await latest(threadId, open.messageId), payment.id.slice(0, 8));
    await w.eventually(async () => expect(labelsOf(await latest(threadId, open.messageId))).toContain(t('support.card.yes')));
    await press(finance, await latest(threadId, open.messageId), t('support.card.yes'));
    expect((await w.h.db.repos.payments.get(payment.id))?.status).toBe('refunded');
    await w.eventually(async () => expect((await card(threadId)).text).toContain(`${payment.id.slice(0, 8)} refunded`));

    const viewer = await w.member('viewer');
    expect(await press(viewer, await card(threadId), t('support.card.actions'))).toMatchObject({
      text: t('support.card.nothingAllowed', { role: 'viewer' }),
    });
    const stranger = await w.member(null);
    expect(await press(stranger, await card(threadId), t('support.card.actions'))).toMatchObject({ text: t('support.card.notStaff') });
    expect(user.id).toBeGreaterThan(0);
  });

  it('blocks after a confirmation, and a cancel changes nothing', async () => {
    const { user, threadId } = await paidCustomer();
    const support = await w.member('support');
    const first = await menu(support, threadId);
    await press(support, first, t('support.card.block'));
    await w.eventually(async () => expect(labelsOf(await latest(threadId, first.messageId))).toContain(t('support.card.cancel')));
    await press(support, await latest(threadId, first.messageId), t('support.card.cancel'));
    await w.eventually(async () => expect(await latest(threadId, first.messageId)).toBeUndefined());
    expect((await w.h.db.repos.users.findById(user.id))?.blocked).toBe(false);

    const second = await menu(support, threadId);
    await press(support, second, t('support.card.block'));
    await w.eventually(async () => expect(labelsOf(await latest(threadId, second.messageId))).toContain(t('support.card.yes')));
    await press(support, await latest(threadId, second.messageId), t('support.card.yes'));
    expect((await w.h.db.repos.users.findById(user.id))?.blocked).toBe(true);
    await w.eventually(async () => expect((await card(threadId)).text).toContain('⛔'));
    // Now the menu offers unblock instead.
    expect(labelsOf(await menu(support, threadId))).toContain(t('support.card.unblock'));
  });
});
