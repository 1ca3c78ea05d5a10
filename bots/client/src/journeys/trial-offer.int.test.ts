import type { Language } from '@vpn/i18n';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labelsOf } from '../testing/buttons.js';
import type { TgUser } from '@vpn/telegram-emulator';
import { startClientWorld, TEST_BOT_TOKEN, type ClientWorld } from '../testing/client-world.js';

const plain = (html: string) => html.replace(/<\/?b>/g, '');

/**
 * Screens that tell a customer without a subscription to take the free trial carry the trial
 * button; when the trial is not theirs to take (used, or switched off by `trial.enabled`), they
 * neither offer it nor mention it (issue 13 item 9).
 */
describe.each<Language>(['ru', 'en'])('the free trial on the "no subscription" screens (%s)', (lng) => {
  let w: ClientWorld;
  beforeAll(async () => {
    w = await startClientWorld(`trial-offer-${lng}`, { settingsTtlMs: 0 });
  });
  afterAll(async () => {
    expect(w.logs.filter((l) => l.level >= 50)).toEqual([]);
    await w.close();
  });
  const command = async (user: TgUser, name: string) => {
    await w.tg.sendCommand({ from: user.id, bot: TEST_BOT_TOKEN, command: name });
    return w.next(user);
  };
  const SCREENS = [
    ['subscription', 'client.subscription.none', 'client.subscription.noneNoTrial'],
    ['config', 'client.config.none', 'client.config.noneNoTrial'],
    ['doctor', 'client.doctor.advice.no_subscription', 'client.doctor.advice.no_subscription_no_trial'],
  ] as const;

  it('subscription, config and doctor offer the trial button, and it starts the trial', async () => {
    const t = w.i18n.forLanguage(lng);
    await w.db.repos.settings.set('trial.enabled', true);
    const user = await w.newUser(lng);
    await command(user, 'start');
    await w.next(user);
    for (const [name, withTrial] of SCREENS) {
      const screen = await command(user, name);
      expect(screen.text).toContain(plain(t(withTrial)).split('\n').at(-1));
      expect(labelsOf(screen)).toContain(t('client.menu.trial'));
    }
    await w.press(user, t('client.menu.trial'));
    expect((await w.next(user)).text).toBe(t('client.trial.preparing', { count: 3 }));
    const customer = await w.db.repos.users.findByTelegramId(user.id);
    expect(await w.db.repos.subscriptions.getCurrentForUser(customer!.id)).toMatchObject({ isTrial: true });
  });

  it('a customer whose trial is used up is not offered it, nor told to take it', async () => {
    const t = w.i18n.forLanguage(lng);
    const user = await w.newUser(lng);
    await command(user, 'start');
    await w.next(user);
    const customer = await w.db.repos.users.findByTelegramId(user.id);
    await w.db.repos.users.markTrialUsed(customer!.id);
    // The bot's customer cache keeps a row for 200 ms in this world.
    await new Promise((resolve) => setTimeout(resolve, 250));
    for (const [name, withTrial, without] of SCREENS) {
      const screen = await command(user, name);
      expect(screen.text).toContain(plain(t(without)).split('\n').at(-1));
      expect(screen.text).not.toContain(plain(t(withTrial)).split('\n').at(-1));
      expect(labelsOf(screen)).not.toContain(t('client.menu.trial'));
      expect(labelsOf(screen)).toContain(t('client.menu.buy'));
    }
  });

  it('with the trial switched off (trial.enabled false) nobody is offered it, and /trial says so', async () => {
    const t = w.i18n.forLanguage(lng);
    await w.db.repos.settings.set('trial.enabled', false);
    const user = await w.newUser(lng);
    await command(user, 'start');
    const menu = await w.next(user);
    expect(labelsOf(menu)).not.toContain(t('client.menu.trial'));
    for (const [name, withTrial, without] of SCREENS) {
      const screen = await command(user, name);
      expect(screen.text).toContain(plain(t(without)).split('\n').at(-1));
      expect(screen.text).not.toContain(plain(t(withTrial)).split('\n').at(-1));
      expect(labelsOf(screen)).not.toContain(t('client.menu.trial'));
    }
    expect((await command(user, 'trial')).text).toBe(t('client.trial.disabled'));
    const customer = await w.db.repos.users.findByTelegramId(user.id);
    expect(await w.db.repos.subscriptions.getCurrentForUser(customer!.id)).toBeNull();
    await w.db.repos.settings.set('trial.enabled', true);
  });
});
