import type { Language } from '@vpn/i18n';
import type { TgUser } from '@vpn/telegram-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labelsOf } from '../testing/buttons.js';
import { startClientWorld, TEST_BOT_TOKEN, type ClientWorld } from '../testing/client-world.js';
import { DEFAULT_APP_CATALOG } from '../services/app-catalog.js';

const GIB = 1024 ** 3;

/** Two configurations a shop may run: the seeded defaults, and another trial, methods and referral mode. */
const CONFIGS = {
  seeded: {
    'trial.days': 3,
    'trial.trafficLimitBytes': 10 * GIB,
    'payments.methods': ['yookassa', 'stars'],
    'referral.mode': 'days',
    'referral.commissionPercent': 10,
  },
  other: {
    'trial.days': 7,
    'trial.trafficLimitBytes': null,
    'payments.methods': ['stars'],
    'referral.mode': 'commission',
    'referral.commissionPercent': 15,
  },
} as const;

/** What each configuration must and must not make the texts say, per language. */
const SAYS: Record<
  keyof typeof CONFIGS,
  Record<Language, { welcome: RegExp[]; notWelcome: RegExp[]; pay: RegExp[]; notPay: RegExp[]; referral: RegExp[]; notReferral: RegExp[] }>
> = {
  seeded: {
    ru: {
      welcome: [/3 дня и 10\sГБ трафика/],
      notWelcome: [/без ограничений/],
      pay: [/Картой или СБП/, /Telegram Stars/],
      notPay: [/крипто/i],
      referral: [/вы получите 7 дней/, /Друг получит 3 дня/],
      notReferral: [/%/],
    },
    en: {
      welcome: [/3 days and 10\sGB of traffic/],
      notWelcome: [/no limits/],
      pay: [/Card or SBP/, /Telegram Stars/],
      notPay: [/crypto/i],
      referral: [/you get 7 days/, /friend gets 3 days/],
      notReferral: [/%/],
    },
  },
  other: {
    ru: {
      welcome: [/7 дней без ограничения трафика/],
      notWelcome: [/ГБ/, /3 дн/],
      pay: [/Telegram Stars/],
      notPay: [/Карт/, /крипто/i],
      referral: [/15%/],
      notReferral: [/7 дней/, /3 дня/],
    },
    en: {
      welcome: [/7 days with unlimited traffic/],
      notWelcome: [/GB/, /3 days/],
      pay: [/Telegram Stars/],
      notPay: [/Card/, /crypto/i],
      referral: [/15%/],
      notReferral: [/7 days/, /3 days/],
    },
  },
};

/**
 * The client bot's texts say what the configuration in force gives (issue 13 item 8): the welcome
 * names the trial's real cap, the FAQ names the payment methods offered, the apps of the in-bot
 * guides and menu buttons that exist (no `{{…}}` left), the referral screen the rewards of the
 * referral mode, and a payment for a customer who has a key says it keeps working.
 */
describe('texts true to the configuration in force', () => {
  let w: ClientWorld;
  beforeAll(async () => {
    w = await startClientWorld('texts-config', { settingsTtlMs: 0 });
  });
  afterAll(async () => {
    expect(w.logs.filter((l) => l.level >= 40).map((l) => JSON.stringify(l).slice(0, 600))).toEqual([]);
    await w.close();
  });

  const command = async (user: TgUser, name: string) => {
    await w.tg.sendCommand({ from: user.id, bot: TEST_BOT_TOKEN, command: name });
    return w.next(user);
  };
  /** Opens a FAQ answer through the menus as a customer does. */
  const faqAnswer = async (user: TgUser, lng: Language, category: 'setup' | 'billing' | 'general', question: string) => {
    const t = w.i18n.forLanguage(lng);
    await command(user, 'faq');
    await w.press(user, t(`client.faq.categories.${category}`));
    await w.nextEdit(user);
    await w.press(user, question);
    return (await w.nextEdit(user)).text ?? '';
  };
  const QUESTIONS: Record<Language, { pay: string; apps: string; connect: string; support: string }> = {
    ru: {
      pay: 'Как оплатить?',
      apps: 'Какие приложения использовать?',
      connect: 'Как подключиться?',
      support: 'Как связаться с поддержкой?',
    },
    en: { pay: 'How can I pay?', apps: 'Which apps should I use?', connect: 'How do I connect?', support: 'How do I contact support?' },
  };

  for (const config of ['seeded', 'other'] as const) {
    for (const lng of ['ru', 'en'] as const) {
      it(`welcome, FAQ and referral say what the ${config} configuration gives (${lng})`, async () => {
        for (const [key, value] of Object.entries(CONFIGS[config])) await w.db.repos.settings.set(key, value);
        const says = SAYS[config][lng];
        const t = w.i18n.forLanguage(lng);
        const user = await w.newUser(lng);

        const welcome = (await command(user, 'start')).text ?? '';
        await w.next(user);
        for (const re of says.welcome) expect(welcome).toMatch(re);
        for (const re of says.notWelcome) expect(welcome).not.toMatch(re);

        const pay = await faqAnswer(user, lng, 'billing', QUESTIONS[lng].pay);
        for (const re of says.pay) expect(pay).toMatch(re);
        for (const re of says.notPay) expect(pay).not.toMatch(re);

        const apps = await faqAnswer(user, lng, 'setup', QUESTIONS[lng].apps);
        for (const app of Object.values(DEFAULT_APP_CATALOG.vless).flat()) expect(apps).toContain(app.name);
        // No WireGuard server is in service here: its app is not offered.
        expect(apps).not.toContain('WireGuard');
        const connect = await faqAnswer(user, lng, 'setup', QUESTIONS[lng].connect);
        expect(connect).toContain(t('client.menu.config'));
        const support = await faqAnswer(user, lng, 'general', QUESTIONS[lng].support);
        expect(support).toContain(t('client.menu.support'));
        for (const text of [pay, apps, connect, support]) expect(text).not.toContain('{{');

        const referral = (await command(user, 'referral')).text ?? '';
        for (const re of says.referral) expect(referral).toMatch(re);
        for (const re of says.notReferral) expect(referral).not.toMatch(re);
      });
    }
  }

  it('with the trial switched off the welcome offers none', async () => {
    await w.db.repos.settings.set('trial.enabled', false);
    try {
      const t = w.i18n.forLanguage('en');
      const user = await w.newUser('en');
      const welcome = await command(user, 'start');
      expect(welcome.text).not.toMatch(/free|trial/i);
      expect(labelsOf(await w.next(user))).not.toContain(t('client.menu.trial'));
    } finally {
      await w.db.repos.settings.set('trial.enabled', true);
    }
  });

  for (const lng of ['ru', 'en'] as const) {
    it(`a Stars payment of a customer who has a key says the key keeps working, promising no link (${lng})`, async () => {
      await w.db.repos.settings.set('payments.methods', ['yookassa', 'stars']);
      const t = w.i18n.forLanguage(lng);
      const user = await w.newUser(lng);
      await command(user, 'start');
      await w.next(user);
      const row = await w.db.repos.users.findByTelegramId(user.id);
      await w.billing.trial.startTrial(row!.id);
      const plans = await command(user, 'buy');
      await w.press(
        user,
        labelsOf(plans).find((l) => /^1 (month|месяц)/.test(l))!,
      );
      await w.nextEdit(user);
      await w.press(user, t('client.checkout.methods.stars'));
      await w.next(user);
      expect((await w.tg.payInvoice({ from: user.id, bot: TEST_BOT_TOKEN })).status).toBe('paid');
      const received = (await w.next(user)).text ?? '';
      expect(received).toContain(t('client.payment.keyKept'));
      expect(received).not.toMatch(lng === 'ru' ? /ссылк/ : /link/);
    });
  }
});
