/**
 * The mixed journey every simulated customer makes, as the emulator's control client: commands,
 * button presses and free text, each waiting for the bot's answer before the next (a person
 * does not press a button that is not there yet). One step is one update.
 */
import type { I18n } from '@vpn/i18n';
import type { EmulatorClient, TgUser } from '@vpn/telegram-emulator';

export type Target = 'bare' | 'client';

interface Step {
  kind: 'command' | 'text' | 'press' | 'pressFirst';
  value: string;
  /** What the bot answers with: new messages (how many) or an edit of the pressed message. */
  answer: 1 | 2 | 'edit';
}

/** The client bot's journey (a Russian-speaking customer): start, trial, subscription, FAQ, plans, a stray text, config, menu. */
function clientJourney(i18n: I18n): Step[] {
  const t = i18n.forLanguage('ru');
  return [
    { kind: 'command', value: 'start', answer: 2 },
    { kind: 'press', value: t('client.menu.trial'), answer: 1 },
    { kind: 'press', value: t('client.menu.subscription'), answer: 'edit' },
    { kind: 'press', value: t('client.common.back'), answer: 'edit' },
    { kind: 'press', value: t('client.menu.faq'), answer: 'edit' },
    { kind: 'press', value: t('client.faq.categories.setup'), answer: 'edit' },
    { kind: 'press', value: 'Как подключиться?', answer: 'edit' },
    { kind: 'command', value: 'buy', answer: 1 },
    { kind: 'pressFirst', value: '', answer: 'edit' },
    { kind: 'press', value: t('client.checkout.backToPlans'), answer: 'edit' },
    { kind: 'text', value: 'привет, как дела?', answer: 1 },
    { kind: 'command', value: 'config', answer: 1 },
    { kind: 'command', value: 'menu', answer: 1 },
  ];
}

/** The same shape of traffic for the bare bot: the same kinds of update, answered the same way. */
function bareJourney(i18n: I18n): Step[] {
  return clientJourney(i18n).map((step): Step => {
    if (step.kind === 'press' || step.kind === 'pressFirst')
      return { kind: 'press', value: step.answer === 'edit' ? 'edit' : 'msg', answer: step.answer === 'edit' ? 'edit' : 1 };
    return { ...step, answer: 1 };
  });
}

export function journeyFor(target: Target, i18n: I18n): Step[] {
  return target === 'client' ? clientJourney(i18n) : bareJourney(i18n);
}

/** Walks one customer through `steps`; returns the number of updates sent. */
export async function walk(
  tg: EmulatorClient,
  bot: string,
  target: Target,
  user: TgUser,
  steps: Step[],
  timeoutMs = 20_000,
): Promise<number> {
  const chat = { chatId: user.id, bot, timeoutMs };
  for (const step of steps) {
    let seq: number;
    if (step.kind === 'command') seq = (await tg.sendCommand({ from: user.id, bot, command: step.value })).seq;
    else if (step.kind === 'text') seq = (await tg.sendText({ from: user.id, bot, text: step.value })).seq;
    else if (step.kind === 'press' && target === 'client') seq = (await tg.pressButton({ from: user.id, bot, text: step.value })).seq;
    else if (step.kind === 'press') seq = (await tg.pressButton({ from: user.id, bot, data: step.value })).seq;
    else {
      const last = (await tg.getMessages({ chatId: user.id, bot }))
        .reverse()
        .find((m) => m.replyMarkup?.inline_keyboard.flat().some((b) => b.callback_data));
      const data = last?.replyMarkup?.inline_keyboard.flat().find((b) => b.callback_data)?.callback_data;
      if (!last || !data) throw new Error('no button to press');
      seq = (await tg.pressButton({ from: user.id, bot, data, messageId: last.messageId })).seq;
    }
    if (step.answer === 'edit') await tg.waitForEdit({ ...chat, after: seq });
    else {
      const first = await tg.waitForMessage({ ...chat, after: seq });
      if (step.answer === 2) await tg.waitForMessage({ ...chat, after: first.seq });
    }
  }
  return steps.length;
}
