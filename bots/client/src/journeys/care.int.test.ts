import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labelsOf } from '../testing/buttons.js';
import { startClientWorld, TEST_BOT_TOKEN, type ClientWorld } from '../testing/client-world.js';

const GIB = 1024 ** 3;

describe('support, the doctor, FAQ, usage and language', () => {
  let w: ClientWorld;
  beforeAll(async () => {
    w = await startClientWorld('care');
  });
  afterAll(async () => {
    expect(w.logs.filter((l) => l.level >= 50).map((l) => JSON.stringify(l.err ?? l.msg).slice(0, 600))).toEqual([]);
    await w.close();
  });

  async function started(lng: 'ru' | 'en') {
    const user = await w.newUser(lng);
    await w.tg.start({ from: user.id, bot: TEST_BOT_TOKEN });
    await w.next(user);
    await w.next(user);
    return { user, row: (await w.db.repos.users.findByTelegramId(user.id))! };
  }
  const relayJobs = async () =>
    (await w.queues.queue({ name: 'support-relay' } as never).getJobs(['waiting', 'delayed'])).map(
      (j) => j.data as Record<string, unknown>,
    );

  it('relays what the customer writes to support as a ticket, until they are done', async () => {
    const t = w.i18n.forLanguage('ru');
    const { user, row } = await started('ru');
    await w.tg.sendCommand({ from: user.id, bot: TEST_BOT_TOKEN, command: 'support' });
    expect((await w.next(user)).text).toContain(
      t('client.support.intro')
        .split('\n')[0]!
        .replace(/<\/?b>/g, ''),
    );
    const first = await w.tg.sendText({ from: user.id, bot: TEST_BOT_TOKEN, text: 'VPN не подключается <script>' });
    expect((await w.next(user)).text).toBe(t('client.support.opened'));
    const ticket = await w.db.repos.support.getOpenTicket(row.id);
    expect(ticket).toMatchObject({ status: 'open', subject: 'VPN не подключается <script>' });
    const photo = await w.tg.sendPhoto({
      from: user.id,
      bot: TEST_BOT_TOKEN,
      data: await import('@vpn/vpn').then((v) => v.subscriptionQrPng('screenshot')),
    });
    expect((await w.next(user)).text).toBe(t('client.support.sent'));
    expect(await relayJobs()).toEqual(
      expect.arrayContaining([
        { direction: 'to_topic', userId: String(row.id), fromChatId: user.id, messageId: first.messageId },
        { direction: 'to_topic', userId: String(row.id), fromChatId: user.id, messageId: photo.messageId },
      ]),
    );
    // Recorded before queueing, in the order written: the worker relays each once, oldest first.
    expect((await w.db.repos.supportRelays.unfinished(row.id, 'in')).map((r) => r.messageId)).toEqual([first.messageId, photo.messageId]);
    // Done: text is no longer for support.
    await w.press(user, t('client.support.done'));
    await w.nextEdit(user);
    const before = (await relayJobs()).length;
    await w.tg.sendText({ from: user.id, bot: TEST_BOT_TOKEN, text: 'просто текст' });
    expect((await w.next(user)).text).toBe(t('client.fallback.text'));
    // A reply to one of the bot's messages (how staff answers arrive) goes to the open ticket.
    const last = (await w.tg.getMessages({ chatId: user.id, bot: TEST_BOT_TOKEN })).at(-1)!;
    await w.tg.sendText({ from: user.id, bot: TEST_BOT_TOKEN, text: 'ответ сотруднику', replyTo: last.messageId });
    expect((await w.next(user)).text).toBe(t('client.support.sent'));
    expect((await relayJobs()).length).toBe(before + 1);
  });

  it('diagnoses: no subscription; then a trial without a panel account (re-synced), with a ticket carrying the diagnosis', async () => {
    const t = w.i18n.forLanguage('en');
    const { user, row } = await started('en');
    await w.tg.sendCommand({ from: user.id, bot: TEST_BOT_TOKEN, command: 'doctor' });
    const none = await w.next(user);
    expect(none.text).toContain(`❌ ${t('client.doctor.findings.no_subscription')}`);
    expect(none.text).toContain(t('client.doctor.advice.no_subscription'));
    expect(labelsOf(none)).toContain(t('client.menu.buy'));

    const sub = await w.billing.trial.startTrial(row.id);
    await w.press(user, t('client.doctor.again'));
    const missing = await w.nextEdit(user);
    expect(missing.text).toContain(`✅ ${t('client.doctor.findings.active')}`);
    expect(missing.text).toContain(`❌ ${t('client.doctor.findings.account_missing')}`);
    expect(missing.text).toContain(t('client.doctor.resyncing'));
    const provisioning = await w.queues.queue({ name: 'provisioning' } as never).getJobs(['waiting', 'delayed']);
    expect(provisioning.map((j) => j.data)).toContainEqual({
      subscriptionId: String(sub.id),
      version: `doctor-${sub.version}`,
      reason: 'reconcile',
    });

    await w.press(user, t('client.doctor.openTicket'));
    expect((await w.next(user)).text).toBe(t('client.doctor.ticketOpened'));
    const ticket = await w.db.repos.support.getOpenTicket(row.id);
    expect(ticket?.subject).toBe('doctor');
    expect((ticket?.diagnosis as { checks: Array<{ finding: string }> }).checks.map((c) => c.finding)).toEqual([
      'active',
      'account_missing',
      'traffic_ok',
    ]);
    // Staff are told at once: the relay job a customer message makes, with the diagnosis as its note.
    const relayed = (await relayJobs()).filter((j) => j.userId === String(row.id) && typeof j.note === 'string');
    expect(relayed).toHaveLength(1);
    expect(relayed[0]).toMatchObject({ direction: 'to_topic', fromChatId: user.id });
    expect(relayed[0]!.note).toContain(`❌ ${t('client.doctor.findings.account_missing')}`);
    expect(relayed[0]!.note).toContain(t('client.doctor.advice.account_missing'));
    await w.tg.sendText({ from: user.id, bot: TEST_BOT_TOKEN, text: 'iPhone, Happ, timeout' });
    expect((await w.next(user)).text).toBe(t('client.support.sent'));

    // Once provisioned and nearly out of traffic, the doctor says so, and usage shows the figures.
    await w.provision(sub.id);
    const [account] = await w.db.repos.vpnAccounts.findBySubscription(sub.id);
    await w.db.repos.usageSnapshots.add({ vpnAccountId: account!.id, usedBytes: 9.5 * GIB, onlineAt: new Date() });
    await w.tg.sendCommand({ from: user.id, bot: TEST_BOT_TOKEN, command: 'doctor' });
    const low = await w.next(user);
    expect(low.text).toContain(`⚠️ ${t('client.doctor.findings.traffic_low')}`);
    expect(low.text).toContain(t('client.doctor.advice.traffic_low'));
    await w.tg.sendCommand({ from: user.id, bot: TEST_BOT_TOKEN, command: 'usage' });
    expect((await w.next(user)).text).toContain('Traffic: 9.5 GB of 10 GB used, 512 MB left');
  });

  it('shows the FAQ from the database by category', async () => {
    const t = w.i18n.forLanguage('ru');
    const { user } = await started('ru');
    await w.tg.sendCommand({ from: user.id, bot: TEST_BOT_TOKEN, command: 'faq' });
    const categories = await w.next(user);
    expect(labelsOf(categories)).toEqual(
      expect.arrayContaining([t('client.faq.categories.general'), t('client.faq.categories.setup'), t('client.faq.categories.billing')]),
    );
    await w.press(user, t('client.faq.categories.setup'));
    const questions = await w.nextEdit(user);
    expect(labelsOf(questions)).toContain('Как подключиться?');
    await w.press(user, 'Как подключиться?');
    const answer = await w.nextEdit(user);
    expect(answer.text).toContain('Как подключиться?');
    expect(answer.text).toContain('QR-код');
  });

  it('switches the language for the bot and for the notifications the worker sends', async () => {
    const { user, row } = await started('ru');
    await w.tg.sendCommand({ from: user.id, bot: TEST_BOT_TOKEN, command: 'settings' });
    await w.next(user);
    await w.press(user, w.i18n.t('ru', 'common.languages.en'));
    const settings = await w.nextEdit(user);
    expect(settings.text).toContain('Language: 🇬🇧 English');
    expect((await w.db.repos.users.findById(row.id))?.languageCode).toBe('en');
    await w.tg.sendCommand({ from: user.id, bot: TEST_BOT_TOKEN, command: 'menu' });
    expect((await w.next(user)).text).toBe(
      w.i18n.t('en', 'client.menu.text', { status: w.i18n.t('en', 'client.status.none') }).replace(/<\/?b>/g, ''),
    );
  });
});
