import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buttonOf, labelsOf } from '../testing/buttons.js';
import { startClientWorld, type ClientWorld } from '../testing/client-world.js';

/**
 * A development set-up: a real-looking token, `PUBLIC_BASE_URL=http://localhost:8080`. Telegram
 * (and the emulator) refuse a message whose button URL has no dot in its host, so without care
 * every guide screen with an "add to app" button would fail.
 */
describe('a development set-up with a localhost PUBLIC_BASE_URL', () => {
  let w: ClientWorld;
  beforeAll(async () => {
    w = await startClientWorld('dev-setup', { goBaseUrl: 'http://localhost:8080' });
  });
  afterAll(async () => {
    expect(w.logs.filter((l) => l.level >= 50)).toEqual([]);
    await w.close();
  });

  it('still shows the guide screens, without the buttons Telegram would refuse', async () => {
    const t = w.i18n.forLanguage('en');
    const user = await w.newUser('en');
    await w.tg.start({ from: user.id, bot: w.botInfo.id });
    await w.next(user);
    await w.next(user);
    const customer = await w.db.repos.users.findByTelegramId(user.id);
    const sub = await w.billing.trial.startTrial(customer!.id);
    await w.provision(sub.id, 'https://panel.example.test/sub/dev-token');
    await w.tg.sendCommand({ from: user.id, bot: w.botInfo.id, command: 'config' });
    await w.next(user);
    await w.press(user, t('client.guides.platforms.ios'));
    const guide = await w.nextEdit(user);
    expect(guide.text).toContain('https://panel.example.test/sub/dev-token');
    expect(buttonOf(guide, '⬇️ Happ · App Store').url).toBe('https://apps.apple.com/app/id6504287215');
    expect(labelsOf(guide)).not.toContain(t('client.guides.addTo', { app: 'Happ' }));
    expect(labelsOf(guide)).toContain(t('client.common.back'));
    expect(w.logs.find((l) => l.host === 'localhost:8080')?.level).toBe(40);
  });
});
