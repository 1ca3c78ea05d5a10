import type { Language } from '@vpn/i18n';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buttonOf, labelsOf } from '../testing/buttons.js';
import { createGoTokens } from '@vpn/vpn/go-links';
import { GO_BASE_URL, GO_LINK_TEST_SECRET, startClientWorld, type ClientWorld } from '../testing/client-world.js';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47]);

describe.each<Language>(['ru', 'en'])('a new customer (%s): start, trial, config, guides, reissue', (lng) => {
  let w: ClientWorld;
  beforeAll(async () => {
    w = await startClientWorld(`onboarding-${lng}`);
  });
  afterAll(async () => {
    expect(w.logs.filter((l) => l.level >= 50)).toEqual([]);
    await w.close();
  });

  it('walks from /start to a working config in their language', async () => {
    const t = w.i18n.forLanguage(lng);
    const user = await w.newUser(lng, 'Ann <b>&</b>');
    await w.tg.start({ from: user.id, bot: w.botInfo.id });
    const welcome = await w.next(user);
    // The name is escaped for HTML: it arrives as typed, with no bold.
    expect(welcome.text).toContain('Ann <b>&</b>');
    expect(welcome.entities?.some((e) => e.type === 'bold')).toBeFalsy();
    expect(welcome.text).toContain(t('client.start.trialOffer', { count: 3 }).slice(0, 12));
    const menu = await w.next(user);
    expect(menu.text).toContain(t('client.status.none'));
    expect(labelsOf(menu)).toContain(t('client.menu.trial'));

    // The trial: progress at once, the subscription and its provisioning outbox row in the database.
    await w.press(user, t('client.menu.trial'));
    expect((await w.next(user)).text).toBe(t('client.trial.preparing', { count: 3 }));
    const customer = await w.db.repos.users.findByTelegramId(user.id);
    const sub = await w.db.repos.subscriptions.getCurrentForUser(customer!.id);
    expect(sub).toMatchObject({ isTrial: true, status: 'active' });
    const [rows] = (await w.db.sequelize.query(`SELECT payload FROM outbox WHERE kind = 'provision'`)) as [
      Array<{ payload: { subscriptionId: number } }>,
      unknown,
    ];
    expect(rows.map((r) => Number(r.payload.subscriptionId))).toContain(Number(sub!.id));

    // The config before the panel answered, then after.
    await w.press(user, t('client.menu.config'));
    expect((await w.nextEdit(user)).text).toContain(
      t('client.config.preparing')
        .split('\n')[0]!
        .replace(/<\/?b>/g, ''),
    );
    const url = `https://panel.example.test/sub/${lng}-token`;
    await w.provision(sub!.id, url);
    await w.press(user, t('client.common.refresh'));
    const config = await w.nextEdit(user);
    expect(config.text).toContain(url);
    expect(config.entities?.find((e) => e.type === 'code')).toBeDefined();
    expect(buttonOf(config, t('client.config.copy'))).toMatchObject({ copy_text: { text: url } });

    // The QR code is a PNG photo.
    await w.press(user, t('client.config.qr'));
    const qr = await w.next(user);
    expect(qr.caption).toBe(t('client.config.qrCaption'));
    expect((await w.tg.downloadFile(qr.photoFileId!)).subarray(0, 4)).toEqual(PNG);

    // The iPhone guide: store links and a one-tap "add to Happ" through the https /go page.
    await w.press(user, t('client.guides.platforms.ios'));
    const guide = await w.nextEdit(user);
    expect(guide.text).toContain(t('client.guides.title', { platform: t('client.guides.platforms.ios') }).replace(/<\/?b>/g, ''));
    expect(buttonOf(guide, '⬇️ Happ · App Store').url).toBe('https://apps.apple.com/app/id6504287215');
    const add = buttonOf(guide, t('client.guides.addTo', { app: 'Happ' })).url ?? '';
    expect(add.startsWith(`${GO_BASE_URL}/go/`)).toBe(true);
    // The token is sealed: it opens (with the shared key) to this app, URL and language only.
    const token = add.slice(`${GO_BASE_URL}/go/`.length);
    expect(Buffer.from(token, 'base64url').toString('latin1')).not.toContain(new URL(url).host);
    expect(createGoTokens(GO_LINK_TEST_SECRET).verify(token)).toMatchObject({
      app: 'happ',
      url,
      lang: lng,
      key: { account: expect.any(Number), version: 0 },
      bot: expect.any(String),
    });

    // Reissue, after a confirmation, goes to the worker through the provisioning queue.
    await w.press(user, t('client.common.back'));
    await w.nextEdit(user);
    await w.press(user, t('client.config.reissue'));
    expect(labelsOf(await w.nextEdit(user))).toEqual([t('client.config.reissueConfirm'), t('client.common.cancel')]);
    await w.press(user, t('client.config.reissueConfirm'));
    expect((await w.nextEdit(user)).text).toBe(t('client.config.reissuing'));
    const jobs = await w.queues.queue({ name: 'provisioning' } as never).getJobs(['waiting', 'delayed']);
    expect(jobs.map((j) => (j.data as { reason: string }).reason)).toContain('reissue');
  });

  it('offers the trial once: the old button is outdated and /trial says it was used', async () => {
    const t = w.i18n.forLanguage(lng);
    const user = await w.newUser(lng);
    await w.tg.start({ from: user.id, bot: w.botInfo.id });
    await w.next(user);
    await w.next(user);
    await w.press(user, t('client.menu.trial'));
    await w.next(user);
    // The main menu still shows the trial button; pressing it again finds a changed menu.
    const press = await w.tg.pressButton({ from: user.id, bot: w.botInfo.id, text: t('client.menu.trial') });
    expect((await w.tg.waitForCallbackAnswer({ callbackQueryId: press.callbackQueryId })).text).toBe(t('client.common.outdated'));
    expect(labelsOf(await w.nextEdit(user))).not.toContain(t('client.menu.trial'));
    await w.tg.sendCommand({ from: user.id, bot: w.botInfo.id, command: 'trial' });
    expect((await w.next(user)).text).toBe(t('client.trial.unavailable'));
    const customer = await w.db.repos.users.findByTelegramId(user.id);
    expect(await w.db.repos.subscriptions.listByUser(customer!.id)).toHaveLength(1);
  });
});
