import type { FaqInput } from '../repositories/faq.repository.js';

/** Starter FAQ in both bot languages; admins edit it later (seeding never overwrites by slug). */
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
      ru: 'Откройте «Моя подписка», скопируйте ссылку или отсканируйте QR-код и импортируйте её в приложение для вашего устройства. Пошаговая инструкция есть для каждой платформы.',
      en: 'Open "My subscription", copy the link or scan the QR code and import it into the app for your device. There is a step-by-step guide for every platform.',
    },
  },
  {
    slug: 'which-apps',
    category: 'setup',
    sortOrder: 30,
    question: { ru: 'Какие приложения использовать?', en: 'Which apps should I use?' },
    answer: {
      ru: 'iOS и macOS: Streisand или V2Box. Android: v2rayNG или Hiddify. Windows: Hiddify или v2rayN. Для WireGuard — официальное приложение WireGuard.',
      en: 'iOS and macOS: Streisand or V2Box. Android: v2rayNG or Hiddify. Windows: Hiddify or v2rayN. For WireGuard, the official WireGuard app.',
    },
  },
  {
    slug: 'payment',
    category: 'billing',
    sortOrder: 40,
    question: { ru: 'Как оплатить?', en: 'How can I pay?' },
    answer: {
      ru: 'Выберите тариф и способ оплаты: банковская карта или СБП, криптовалюта или Telegram Stars. Доступ продлевается автоматически сразу после оплаты.',
      en: 'Pick a plan and a payment method: bank card or SBP, cryptocurrency or Telegram Stars. Access is extended automatically as soon as the payment goes through.',
    },
  },
  {
    slug: 'refunds',
    category: 'billing',
    sortOrder: 50,
    question: { ru: 'Можно ли вернуть деньги?', en: 'Can I get a refund?' },
    answer: {
      ru: 'Если сервис не заработал у вас в течение 3 дней после оплаты, напишите в поддержку — мы поможем настроить подключение или вернём деньги.',
      en: 'If the service does not work for you within 3 days of paying, write to support: we will help you set it up or refund the payment.',
    },
  },
  {
    slug: 'support',
    category: 'general',
    sortOrder: 60,
    question: { ru: 'Как связаться с поддержкой?', en: 'How do I contact support?' },
    answer: {
      ru: 'Нажмите «Поддержка» в главном меню и опишите проблему — оператор ответит прямо в этом чате.',
      en: 'Tap "Support" in the main menu and describe the problem: an operator will answer right in this chat.',
    },
  },
];
