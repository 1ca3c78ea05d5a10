import { broadcastQueue } from '@vpn/queues';
import { makePlan, makeSubscription, makeUser } from '@vpn/db/testing';
import { labelsOf } from '@vpn/telegram-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TEST_TOKEN, startAdminWorld, type AdminWorld } from '../testing/admin-world.js';

/** A 1×1 PNG: what an admin's photo is to the emulator. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

describe('broadcasts: compose, check, preview, send or schedule, control', () => {
  let w: AdminWorld;
  beforeAll(async () => {
    w = await startAdminWorld('broadcasts');
  });
  afterAll(async () => {
    expect(w.logs.filter((l) => l.level >= 50).map((l) => JSON.stringify(l.err ?? l.msg).slice(0, 600))).toEqual([]);
    await w.close();
  });

  /** The broadcast once the bot has recorded its progress message (it does so just after sending it). */
  const withProgress = async (id?: number) => {
    for (let i = 0; i < 100; i++) {
      const [b] = id ? [await w.db.repos.broadcasts.get(id)] : await w.db.repos.broadcasts.list(1);
      if (b?.progressMessageId) return b;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('no progress message recorded');
  };
  const jobs = async () => (await w.queues.queue(broadcastQueue).getJobs(['waiting', 'delayed', 'active'])).map((j) => j.data);

  it('marketing composes ru (HTML checked by Telegram) and en with a photo, buttons and an audience, previews, sends once, pauses, resumes, cancels', async () => {
    const m = await w.staff('marketing');
    const t = m.t;
    const plan = await makePlan(w.db.repos);
    const active = [await makeUser(w.db.repos), await makeUser(w.db.repos)];
    for (const u of active) await makeSubscription(w.db.repos, { userId: u.id, planId: plan.id });
    await makeUser(w.db.repos); // no subscription: not in the audience

    await w.menu(m);
    await w.open(m, t('admin.broadcasts.menu'));
    expect((await w.open(m, t('admin.broadcasts.new'))).text).toContain('ru: — ');

    // HTML Telegram's parser refuses: its words come back, nothing is kept.
    await w.press(m, t('admin.broadcasts.editText', { lang: 'ru' }));
    await w.next(m);
    await w.say(m, '<b>Скидка 20%');
    const refusal = await w.next(m);
    expect(refusal.text).toContain("can't parse entities");
    await w.next(m); // asked again
    await w.say(m, '<b>Скидка</b> 20% &lt;только сегодня&gt;');
    expect((await w.next(m)).text).toBe('Скидка 20% <только сегодня>'); // the preview, as Telegram rendered it
    expect((await w.next(m)).text).toContain('ru: ✅');

    // Buttons: a bad line names the field; then one row of two.
    await w.press(m, t('admin.broadcasts.editButtons', { lang: 'ru' }));
    await w.next(m);
    await w.say(m, 'Продлить без ссылки');
    expect((await w.next(m)).text).toContain(t('admin.fields.buttons'));
    await w.next(m);
    await w.say(m, 'Продлить | https://t.me/vpn_client_bot?start=renew; Сайт | https://example.com');
    expect((await w.next(m)).text).toContain(t('admin.broadcasts.buttonRows', { count: 1 }));

    // en: a photo with a caption.
    await w.press(m, t('admin.broadcasts.editText', { lang: 'en' }));
    await w.next(m);
    await w.tg.sendPhoto({ from: m.id, bot: ADMIN_TEST_TOKEN, data: PNG, fileName: 'sale.png', caption: '<i>Sale</i> 20%' });
    expect((await w.next(m)).caption).toBe('Sale 20%');
    expect((await w.next(m)).text).toContain('en: ✅');

    // Audience: active subscriptions, counted live.
    await w.open(m, t('admin.broadcasts.audience'));
    const screen = await w.open(m, t('admin.broadcasts.aud.act'));
    expect(screen.text).toContain(`${t('admin.broadcasts.aud.act')} — recipients: 2`);

    // Preview: each version as customers get it, with its buttons.
    await w.press(m, t('admin.broadcasts.preview'));
    await w.next(m);
    const ru = await w.next(m);
    expect(ru.text).toBe('Скидка 20% <только сегодня>');
    expect(ru.replyMarkup?.inline_keyboard.flat().map((b) => b.url)).toEqual([
      'https://t.me/vpn_client_bot?start=renew',
      'https://example.com',
    ]);
    await w.next(m);
    expect((await w.next(m)).caption).toBe('Sale 20%');
    expect((await w.next(m)).text).toContain(t('admin.broadcasts.previewDone'));

    // Send now: the count, then one broadcast however often "confirm" is pressed.
    await w.press(m, t('admin.common.back'));
    await w.nextEdit(m);
    expect((await w.open(m, t('admin.broadcasts.sendNow'))).text).toContain('<b>2</b>'.replace(/<\/?b>/g, ''));
    await w.press(m, t('admin.common.confirm'));
    const progress = await w.next(m);
    await w.tg.pressButton({ from: m.id, bot: ADMIN_TEST_TOKEN, text: t('admin.common.confirm') }).catch(() => undefined);
    const b = await withProgress();
    expect(await w.db.repos.broadcasts.list()).toHaveLength(1);
    expect(b).toMatchObject({ status: 'running', totalCount: 2, progressChatId: m.id, progressMessageId: progress.messageId });
    expect(b.text).toBe('<b>Скидка</b> 20% &lt;только сегодня&gt;');
    expect(b.versions.en).toMatchObject({ text: '<i>Sale</i> 20%', media: { kind: 'photo' } });
    expect(b.buttons).toHaveLength(1);
    expect((await w.db.repos.broadcasts.listDeliveries(b.id)).map((d) => d.userId).sort()).toEqual(active.map((u) => u.id).sort());
    expect(await jobs()).toContainEqual({ scope: 'run', broadcastId: String(b.id) });
    expect(labelsOf(progress)).toEqual([t('notifications.broadcast.buttons.pause'), t('notifications.broadcast.buttons.cancel')]);

    // The progress message's buttons: pause, resume (its sender again), cancel.
    expect((await w.open(m, t('notifications.broadcast.buttons.pause'))).text).toContain(t('notifications.broadcast.status.paused'));
    expect((await w.db.repos.broadcasts.get(b.id))!.status).toBe('paused');
    await w.queues.queue(broadcastQueue).empty();
    const resumed = await w.open(m, t('notifications.broadcast.buttons.resume'));
    expect(labelsOf(resumed)).toContain(t('notifications.broadcast.buttons.pause'));
    expect((await w.db.repos.broadcasts.get(b.id))!.status).toBe('running');
    expect(await jobs()).toContainEqual({ scope: 'run', broadcastId: String(b.id) });
    await w.open(m, t('notifications.broadcast.buttons.cancel'));
    expect((await w.db.repos.broadcasts.get(b.id))!.status).toBe('cancelled');
    const actions = (await w.db.repos.auditLog.list({ actionPrefix: 'broadcast.' })).map((e) => e.action).sort();
    expect(actions).toEqual(['broadcast.cancel', 'broadcast.create', 'broadcast.pause', 'broadcast.resume', 'broadcast.start']);

    // Ended with copies sent: "delete the sent copies" queues the worker's job, once confirmed.
    const [first] = await w.db.repos.broadcasts.listDeliveries(b.id);
    await w.db.repos.broadcasts.markDelivery(first!.id, 'sent', { messageId: 77 });
    await w.menu(m);
    await w.open(m, t('admin.broadcasts.menu'));
    await w.open(
      m,
      labelsOf((await w.tg.lastMessage({ chatId: m.id, bot: ADMIN_TEST_TOKEN }))!).find((l) => l.startsWith(`#${b.id}`))!,
    );
    await w.press(m, t('notifications.broadcast.buttons.deleteCopies'));
    expect((await w.next(m)).text).toContain(`#${b.id} (1)`);
    await w.open(m, t('admin.common.confirm'));
    expect(await jobs()).toContainEqual({ scope: 'delete', broadcastId: String(b.id) });
  });

  it('schedules at a time in the admin time zone; a past or malformed time names the field', async () => {
    const owner = await w.staff('owner');
    const t = owner.t;
    await w.menu(owner);
    await w.open(owner, t('admin.broadcasts.menu'));
    await w.open(owner, t('admin.broadcasts.new'));
    await w.press(owner, t('admin.broadcasts.editText', { lang: 'ru' }));
    await w.next(owner);
    await w.say(owner, 'Плановые работы ночью');
    await w.next(owner);
    await w.next(owner);
    await w.press(owner, t('admin.broadcasts.schedule'));
    await w.next(owner);
    for (const bad of ['завтра', '2020-01-01 10:00']) {
      await w.say(owner, bad);
      expect((await w.next(owner)).text).toContain(t('admin.fields.when'));
      await w.next(owner);
    }
    const at = new Date(Date.now() + 3 * 86_400_000);
    const moscow = new Date(at.getTime() + 3 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
    await w.say(owner, moscow);
    const scheduled = await w.next(owner);
    expect(labelsOf(scheduled)).toEqual([t('notifications.broadcast.buttons.cancel')]);
    const b = await withProgress();
    expect(b).toMatchObject({ status: 'scheduled', progressMessageId: scheduled.messageId, totalCount: 0 });
    expect(Math.abs(b.scheduledAt!.getTime() - at.getTime())).toBeLessThan(60_000);
  });

  it('refuses a video over the 20 MB the client bot could download, and keeps asking', async () => {
    const m = await w.staff('marketing');
    const t = m.t;
    await w.menu(m);
    await w.open(m, t('admin.broadcasts.menu'));
    await w.open(m, t('admin.broadcasts.new'));
    await w.press(m, t('admin.broadcasts.editText', { lang: 'ru' }));
    const asked = await w.next(m);
    await w.tg.sendMedia({ from: m.id, bot: ADMIN_TEST_TOKEN, kind: 'video', data: Buffer.alloc(21 * 1024 * 1024), fileName: 'promo.mp4' });
    expect((await w.next(m)).text).toBe(t('admin.broadcasts.videoTooBig', { mb: 20 }));
    expect((await w.next(m)).text).toBe(asked.text);
  });

  it('support and finance may not open, compose or control', async () => {
    const support = await w.staff('support');
    const finance = await w.staff('finance');
    const b = await w.db.repos.broadcasts.create({ text: 'x', status: 'running' });
    for (const who of [support, finance]) {
      expect(labelsOf(await w.menu(who))).not.toContain(who.t('admin.broadcasts.menu'));
      for (const data of ['bc:n', `bc:pa:${b.id}`, `bc:ca:${b.id}`]) {
        const press = w.pressData(who, data);
        expect((await w.tg.waitForCallbackAnswer({ callbackQueryId: press })).text).toBe(who.t('admin.errors.forbidden'));
      }
    }
    expect((await w.db.repos.broadcasts.get(b.id))!.status).toBe('running');
    const m = await w.staff('marketing');
    expect(labelsOf(await w.menu(m))).toContain(m.t('admin.broadcasts.menu'));
  });
});
