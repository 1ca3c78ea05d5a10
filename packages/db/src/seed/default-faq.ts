import type { FaqInput } from '../repositories/faq.repository.js';

/**
 * Starter FAQ in both bot languages; admins edit it later (seeding never overwrites by slug).
 * Whatever depends on configuration is a placeholder the client bot fills when it shows the
 * answer (`{{paymentMethods}}`, `{{apps}}`, `{{trial}}`, `{{menu.<button>}}`), so an answer
 * stays true when the operator changes payment methods, apps or the trial.
 */
export const DEFAULT_FAQ: readonly FaqInput[] = [
  {
    slug: 'what-is-this',
    category: 'general',
    sortOrder: 10,
    question: { ru: 'Что это за сервис?', en: 'What is this service?' },
    answer: {
      ru: 'Это VPN-сервис, который полностью работает через Telegram: здесь вы оформляете подписку, оплачиваете её и получаете настройки для подключения.',
      en: 'A VPN service that runs entirely in Telegram: you subscribe, pay and get your connection settings right here.',
    },
  },
  {
    slug: 'how-to-connect',
    category: 'setup',
    sortOrder: 20,
    question: { ru: 'Как подключиться?', en: 'How do I connect?' },
    answer: {
      ru: 'Нажмите «{{menu.config}}» в главном меню: там ваши настройки подключения и QR-код. Выберите своё устройство — бот подскажет, какое приложение поставить, и добавит в него подписку одним касанием.',
      en: 'Tap “{{menu.config}}” in the main menu: your connection settings and a QR code are there. Choose your device, and the bot shows which app to install and adds the subscription to it in one tap.',
    },
  },
  {
    slug: 'which-apps',
    category: 'setup',
    sortOrder: 30,
    question: { ru: 'Какие приложения использовать?', en: 'Which apps should I use?' },
    answer: {
      ru: 'Приложения, которые мы рекомендуем:\n{{apps}}\nКнопки для установки — в разделе «{{menu.config}}», когда выберете устройство.',
      en: 'The apps we recommend:\n{{apps}}\nInstall buttons are under “{{menu.config}}” once you choose your device.',
    },
  },
  {
    slug: 'payment',
    category: 'billing',
    sortOrder: 40,
    question: { ru: 'Как оплатить?', en: 'How can I pay?' },
    answer: {
      ru: 'Выберите тариф и способ оплаты. Сейчас доступны: {{paymentMethods}}. Подписка продлевается автоматически сразу после оплаты.',
      en: 'Pick a plan and a payment method. Available now: {{paymentMethods}}. Your subscription is extended automatically as soon as the payment goes through.',
    },
  },
  {
    slug: 'refunds',
    category: 'billing',
    sortOrder: 50,
    question: { ru: 'Можно ли вернуть деньги?', en: 'Can I get a refund?' },
    answer: {
      ru: 'Если сервис у вас не заработал, напишите в поддержку: мы поможем настроить подключение, а если не получится — вернём деньги.',
      en: 'If the service does not work for you, write to support: we will help you set it up, and if that fails, refund the payment.',
    },
  },
  {
    slug: 'support',
    category: 'general',
    sortOrder: 60,
    question: { ru: 'Как связаться с поддержкой?', en: 'How do I contact support?' },
    answer: {
      ru: 'Нажмите «{{menu.support}}» в главном меню и опишите проблему — оператор ответит прямо в этом чате.',
      en: 'Tap “{{menu.support}}” in the main menu and describe the problem: an operator will answer right in this chat.',
    },
  },
];
