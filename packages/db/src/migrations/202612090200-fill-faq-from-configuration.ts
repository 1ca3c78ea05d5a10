import type { MigrationFn } from './sql-migration.js';

/**
 * The starter FAQ named payment methods, apps, a menu path and a refund window that the
 * configuration does not give (issue 13 item 8); its answers now carry placeholders the client
 * bot fills from the configuration in force. Only answers still exactly as seeded are replaced:
 * an answer an admin edited is theirs. The texts are frozen here (later seed edits do not move
 * this migration); `down` puts back only answers still exactly as this migration wrote them.
 */
const ANSWERS: readonly { slug: string; before: Record<'ru' | 'en', string>; after: Record<'ru' | 'en', string> }[] = [
  {
    slug: 'how-to-connect',
    before: {
      ru: 'Откройте «Моя подписка», скопируйте ссылку или отсканируйте QR-код и импортируйте её в приложение для вашего устройства. Пошаговая инструкция есть для каждой платформы.',
      en: 'Open "My subscription", copy the link or scan the QR code and import it into the app for your device. There is a step-by-step guide for every platform.',
    },
    after: {
      ru: 'Нажмите «{{menu.config}}» в главном меню: там ваши настройки подключения и QR-код. Выберите своё устройство — бот подскажет, какое приложение поставить, и добавит в него подписку одним касанием.',
      en: 'Tap “{{menu.config}}” in the main menu: your connection settings and a QR code are there. Choose your device, and the bot shows which app to install and adds the subscription to it in one tap.',
    },
  },
  {
    slug: 'which-apps',
    before: {
      ru: 'iOS и macOS: Streisand или V2Box. Android: v2rayNG или Hiddify. Windows: Hiddify или v2rayN. Для WireGuard — официальное приложение WireGuard.',
      en: 'iOS and macOS: Streisand or V2Box. Android: v2rayNG or Hiddify. Windows: Hiddify or v2rayN. For WireGuard, the official WireGuard app.',
    },
    after: {
      ru: 'Приложения, которые мы рекомендуем:\n{{apps}}\nКнопки для установки — в разделе «{{menu.config}}», когда выберете устройство.',
      en: 'The apps we recommend:\n{{apps}}\nInstall buttons are under “{{menu.config}}” once you choose your device.',
    },
  },
  {
    slug: 'payment',
    before: {
      ru: 'Выберите тариф и способ оплаты: банковская карта или СБП, криптовалюта или Telegram Stars. Доступ продлевается автоматически сразу после оплаты.',
      en: 'Pick a plan and a payment method: bank card or SBP, cryptocurrency or Telegram Stars. Access is extended automatically as soon as the payment goes through.',
    },
    after: {
      ru: 'Выберите тариф и способ оплаты. Сейчас доступны: {{paymentMethods}}. Подписка продлевается автоматически сразу после оплаты.',
      en: 'Pick a plan and a payment method. Available now: {{paymentMethods}}. Your subscription is extended automatically as soon as the payment goes through.',
    },
  },
  {
    slug: 'refunds',
    before: {
      ru: 'Если сервис не заработал у вас в течение 3 дней после оплаты, напишите в поддержку — мы поможем настроить подключение или вернём деньги.',
      en: 'If the service does not work for you within 3 days of paying, write to support: we will help you set it up or refund the payment.',
    },
    after: {
      ru: 'Если сервис у вас не заработал, напишите в поддержку: мы поможем настроить подключение, а если не получится — вернём деньги.',
      en: 'If the service does not work for you, write to support: we will help you set it up, and if that fails, refund the payment.',
    },
  },
  {
    slug: 'support',
    before: {
      ru: 'Нажмите «Поддержка» в главном меню и опишите проблему — оператор ответит прямо в этом чате.',
      en: 'Tap "Support" in the main menu and describe the problem: an operator will answer right in this chat.',
    },
    after: {
      ru: 'Нажмите «{{menu.support}}» в главном меню и опишите проблему — оператор ответит прямо в этом чате.',
      en: 'Tap “{{menu.support}}” in the main menu and describe the problem: an operator will answer right in this chat.',
    },
  },
];

const swap =
  (from: 'before' | 'after', to: 'before' | 'after'): MigrationFn =>
  async ({ context }) => {
    await context.sequelize.transaction(async (transaction) => {
      for (const item of ANSWERS) {
        await context.sequelize.query(
          'UPDATE faq_items SET answer = $1::jsonb, updated_at = now() WHERE slug = $2 AND answer = $3::jsonb',
          { bind: [JSON.stringify(item[to]), item.slug, JSON.stringify(item[from])], transaction },
        );
      }
    });
  };

export const up = swap('before', 'after');
export const down = swap('after', 'before');
