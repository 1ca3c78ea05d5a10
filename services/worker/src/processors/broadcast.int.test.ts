import type { User } from '@vpn/db';
import { describe, expect, it } from 'vitest';
import type { CrashStep } from '../deps.js';
import { useWorkerHarness } from '../testing/worker-harness.js';
import { createProgressReporter } from '../broadcast/progress.js';
import { createI18n } from '@vpn/i18n';
import { silentLogger } from '@vpn/logger';

// The broadcast sender over real PostgreSQL and Redis and the Telegram emulator (with Telegram's
// flood limits on): every reachable customer once, blocked ones marked, 429s waited out, pause,
// resume and cancel read from the database, a sender that dies mid-way resumed from the rows.
const h = useWorkerHarness({ replicas: 0 });
/** A 1×1 PNG: the photo an admin sent the admin bot. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

async function customers(n: number, languageCode: 'ru' | 'en' = 'ru'): Promise<User[]> {
  const list: User[] = [];
  for (let i = 0; i < n; i++) {
    const user = await h.customer();
    if (languageCode !== 'ru')
      await h.db.sequelize.query('UPDATE users SET language_code = $2 WHERE id = $1', { bind: [user.id, languageCode] });
    list.push({ ...user, languageCode });
  }
  return list;
}

/** A broadcast to exactly these users (their ids as the audience's source tag), started. */
async function broadcastTo(users: User[], text: string, extra: Parameters<typeof h.db.repos.broadcasts.create>[0] = { text }) {
  const tag = `bc-${text}`;
  await h.db.sequelize.query('UPDATE users SET source = $2 WHERE id = ANY($1::bigint[])', { bind: [users.map((u) => u.id), tag] });
  const b = await h.db.repos.broadcasts.create({ ...extra, text, audience: { source: tag } });
  expect(await h.db.repos.broadcasts.start(b.id, ['draft'])).toBe(users.filter((u) => !u.botBlockedAt).length);
  return b;
}

const received = async (user: User) => (await h.messagesTo(user)).filter((t) => t.startsWith('📣'));
/** Waits until a job ran to its end (finished jobs of this queue are removed). */
const ran = (job: { id: string | number; queue: { getJob(id: string | number): Promise<unknown> } }) =>
  h.until(async () => (await job.queue.getJob(job.id)) === null, 15_000, 'the job to finish');
const status = async (id: number) => (await h.db.repos.broadcasts.get(id))?.status;

describe('broadcasts', () => {
  it('reach every reachable customer once in their language, across two workers, and mark the blocked', async () => {
    await h.telegram.client.setRateLimits({});
    const ru = await customers(12);
    const en = await customers(6, 'en');
    const blocked = ru.slice(0, 3);
    for (const u of blocked) await h.telegram.client.blockBot({ from: u.telegramId, bot: 'vpn_client_bot' });
    const b = await broadcastTo([...ru, ...en], '📣 Новости', {
      text: '📣 Новости',
      versions: { en: { text: '📣 News', buttons: [[{ text: 'Open', url: 'https://example.com/news' }]] } },
    });
    const workers = [await h.startWorker(), await h.startWorker()];
    await h.producers.broadcast.add({ scope: 'run', broadcastId: b.id });
    await h.producers.broadcast.add({ scope: 'run', broadcastId: b.id }, { jobId: `second-${b.id}` });
    await h.until(async () => (await status(b.id)) === 'done', 30_000, 'the broadcast done');

    for (const u of ru.slice(3)) expect(await received(u)).toEqual(['📣 Новости']);
    for (const u of en) expect(await received(u)).toEqual(['📣 News']);
    const done = await h.db.repos.broadcasts.get(b.id);
    expect(done).toMatchObject({ totalCount: 18, sentCount: 15, blockedCount: 3, failedCount: 0 });
    const rows = await h.db.repos.broadcasts.listDeliveries(b.id, 'blocked');
    expect(rows.map((r) => r.userId).sort()).toEqual(blocked.map((u) => u.id).sort());
    for (const u of blocked) expect((await h.db.repos.users.findById(u.id))?.botBlockedAt).toBeInstanceOf(Date);
    // The flood limits were never broken, and the buttons went with the en version.
    const calls = await h.telegram.client.getCalls({ bot: 'vpn_client_bot', method: 'sendMessage' });
    expect(calls.filter((c) => c.errorCode === 429)).toEqual([]);
    const [enMessage] = await h.telegram.client.getMessages({ chatId: en[0]?.telegramId ?? 0, bot: 'vpn_client_bot' });
    expect(enMessage?.replyMarkup?.inline_keyboard[0]?.[0]).toMatchObject({ text: 'Open', url: 'https://example.com/news' });
    await Promise.all(workers.map((w) => w.close()));
  });

  it('waits out a 429 storm without losing or doubling a message', async () => {
    const users = await customers(10);
    await h.telegram.client.injectFault({
      method: 'sendMessage',
      bot: 'vpn_client_bot',
      times: 4,
      error: { code: 429, description: 'Too Many Requests: retry after 1', retryAfter: 1 },
    });
    const b = await broadcastTo(users, '📣 Шторм');
    const worker = await h.startWorker();
    await h.producers.broadcast.add({ scope: 'run', broadcastId: b.id });
    await h.until(async () => (await status(b.id)) === 'done', 30_000, 'the broadcast done');
    for (const u of users) expect(await received(u)).toEqual(['📣 Шторм']);
    expect(await h.db.repos.broadcasts.get(b.id)).toMatchObject({ sentCount: 10, failedCount: 0 });
    await worker.close();
  });

  it('pauses, resumes and cancels from the database', async () => {
    const users = await customers(8);
    const b = await broadcastTo(users, '📣 Пауза');
    // Paused before it starts: a run job finds it paused and sends nothing.
    await h.db.repos.broadcasts.setStatus(b.id, 'paused', ['running']);
    const worker = await h.startWorker();
    await ran(await h.producers.broadcast.add({ scope: 'run', broadcastId: b.id }));
    expect((await h.db.repos.broadcasts.get(b.id))?.sentCount).toBe(0);
    // Resumed: the tick gives every running broadcast a run job.
    await h.db.repos.broadcasts.setStatus(b.id, 'running', ['paused']);
    await h.producers.broadcast.add({ scope: 'tick' });
    await h.until(async () => (await status(b.id)) === 'done', 30_000, 'the resumed broadcast done');
    for (const u of users) expect(await received(u)).toEqual(['📣 Пауза']);

    const more = await customers(4);
    const c = await broadcastTo(more, '📣 Отмена');
    await h.db.repos.broadcasts.setStatus(c.id, 'cancelled', ['running']);
    await ran(await h.producers.broadcast.add({ scope: 'run', broadcastId: c.id }));
    for (const u of more) expect(await received(u)).toEqual([]);
    expect(await h.db.repos.broadcasts.countPending(c.id)).toBe(4);
    await worker.close();
  });

  it('resumes after a sender died mid-way; a row that died mid-send is closed, never sent twice', async () => {
    const users = await customers(9);
    const b = await broadcastTo(users, '📣 Сбой');
    // A row some earlier sender attempted and then died on: it may have arrived.
    const [first] = await h.db.repos.broadcasts.listPending(b.id, 1);
    await h.db.sequelize.query(
      "UPDATE broadcast_deliveries SET attempted_at = now() - interval '1 minute', claimed_until = now() - interval '1 second' WHERE id = $1",
      { bind: [first?.id] },
    );
    let batches = 0;
    const crashPoint = (step: CrashStep) => {
      // The second batch's sender dies right after its claim (nothing of it attempted).
      if (step === 'broadcast:after-claim' && ++batches === 2) throw new Error('worker killed after the claim');
    };
    const worker = await h.startWorker({}, { crashPoint, broadcastOptions: { batchSize: 3, leaseMs: 700, marginMs: 100 } });
    await h.producers.broadcast.add({ scope: 'run', broadcastId: b.id });
    await h.until(async () => (await status(b.id)) === 'done', 30_000, 'the broadcast done after the crash');
    expect(batches).toBeGreaterThanOrEqual(3);
    const inDoubt = users.find((u) => u.id === first?.userId);
    for (const u of users) expect(await received(u)).toEqual(u === inDoubt ? [] : ['📣 Сбой']);
    const failed = await h.db.repos.broadcasts.listDeliveries(b.id, 'failed');
    expect(failed.map((r) => r.userId)).toEqual([first?.userId]);
    expect(await h.db.repos.broadcasts.get(b.id)).toMatchObject({ sentCount: 8, failedCount: 1 });
    await worker.close();
  });

  it("keeps the admin's progress message current and ends it with the report", async () => {
    const users = await customers(5);
    const admin = await h.customer();
    const b = await broadcastTo(users, '📣 Отчёт');
    const progress = await h.deps.clientApi.sendMessage(admin.telegramId, '📣 …');
    await h.db.repos.broadcasts.setProgressMessage(b.id, admin.telegramId, progress.message_id);
    const onProgress = createProgressReporter({ api: h.deps.clientApi, i18n: createI18n(), logger: silentLogger() });
    const worker = await h.startWorker({}, { broadcasts: { ...h.deps.broadcasts!, onProgress } });
    await h.producers.broadcast.add({ scope: 'run', broadcastId: b.id });
    await h.until(async () => (await status(b.id)) === 'done', 30_000, 'the broadcast done');
    const shownText = async () => (await h.telegram.client.getMessages({ chatId: admin.telegramId, bot: 'vpn_client_bot' }))[0]?.text ?? '';
    // The report is the edit after the last row is recorded.
    await h.until(async () => (await shownText()).includes('завершена'), 10_000, 'the report');
    const [shown] = await h.telegram.client.getMessages({ chatId: admin.telegramId, bot: 'vpn_client_bot' });
    expect(shown?.text).toBe(
      `📣 Рассылка #${b.id}: завершена\nВсего получателей: 5\nОтправлено: 5 · заблокировали бота: 0 · ошибки: 0 · не отправлено: 0`,
    );
    // The admin bot's buttons stay with every edit: after the end, "delete the sent copies".
    expect(shown?.replyMarkup?.inline_keyboard?.flat().map((b) => b.callback_data)).toEqual([`bc:dl:${b.id}`]);
    await worker.close();
  });

  it('writes the progress report in the language of the admin who started it', async () => {
    const users = await customers(2);
    const admin = await h.customer();
    const b = await broadcastTo(users, '📣 Report');
    const progress = await h.deps.clientApi.sendMessage(admin.telegramId, '📣 …');
    await h.db.repos.broadcasts.setProgressMessage(b.id, admin.telegramId, progress.message_id, 'en');
    const onProgress = createProgressReporter({ api: h.deps.clientApi, i18n: createI18n(), logger: silentLogger() });
    const worker = await h.startWorker({}, { broadcasts: { ...h.deps.broadcasts!, onProgress } });
    await h.producers.broadcast.add({ scope: 'run', broadcastId: b.id });
    await h.until(async () => (await status(b.id)) === 'done', 30_000, 'the broadcast done');
    const en = createI18n().forLanguage('en');
    const report = async () => (await h.telegram.client.getMessages({ chatId: admin.telegramId, bot: 'vpn_client_bot' }))[0]?.text ?? '';
    // The report is the edit after the last row is recorded.
    await h.until(async () => (await report()).includes(en('notifications.broadcast.status.done')), 10_000, 'the report');
    expect(await report()).toContain(`#${b.id}`);
    expect(await report()).not.toMatch(/[а-яё]/i);
    await worker.close();
  });

  it("sends the admin bot's photo through the client bot: downloaded once, uploaded once, then its own file id", async () => {
    // Telegram's file ids are per bot (the emulator refuses another bot's, as Telegram does).
    const users = await customers(4);
    const admin = await h.customer();
    await h.telegram.client.sendPhoto({ from: admin.telegramId, bot: 'vpn_admin_bot', data: PNG, fileName: 'sale.png' });
    const [update] = await h.deps.broadcasts!.mediaSource!.api.getUpdates({ offset: -1 });
    const fileId = update!.message!.photo!.at(-1)!.file_id;
    const b = await broadcastTo(users, '📣 Фото', { text: '📣 Фото', media: { kind: 'photo', fileId } });
    const worker = await h.startWorker({}, { broadcastOptions: { batchSize: 4 } });
    await h.producers.broadcast.add({ scope: 'run', broadcastId: b.id });
    await h.until(async () => (await status(b.id)) === 'done', 30_000, 'the broadcast done');
    expect(await h.db.repos.broadcasts.get(b.id)).toMatchObject({ sentCount: 4, failedCount: 0 });
    for (const u of users) {
      const [got] = await h.telegram.client.getMessages({ chatId: u.telegramId, bot: 'vpn_client_bot' });
      expect(got?.caption).toBe('📣 Фото');
      expect(got?.mediaKind).toBe('photo');
    }
    const sends = await h.telegram.client.getCalls({ bot: 'vpn_client_bot', method: 'sendPhoto' });
    expect(sends.filter((c) => c.ok)).toHaveLength(4);
    expect(sends.filter((c) => c.params.photo === fileId)).toEqual([]);
    expect(await h.telegram.client.getCalls({ bot: 'vpn_admin_bot', method: 'getFile' })).toHaveLength(1);
    await worker.close();
  });

  it('deletes the sent copies on request', async () => {
    const users = await customers(4);
    const b = await broadcastTo(users, '📣 Удалить');
    const worker = await h.startWorker();
    await h.producers.broadcast.add({ scope: 'run', broadcastId: b.id });
    await h.until(async () => (await status(b.id)) === 'done', 30_000, 'the broadcast done');
    for (const u of users) expect(await received(u)).toEqual(['📣 Удалить']);
    await ran(await h.producers.broadcast.add({ scope: 'delete', broadcastId: b.id }));
    for (const u of users) expect(await received(u)).toEqual([]);
    expect((await h.db.repos.broadcasts.listDeliveries(b.id)).every((d) => d.deletedAt instanceof Date)).toBe(true);
    await worker.close();
  });
});
