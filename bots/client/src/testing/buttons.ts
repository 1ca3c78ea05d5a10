import type { SentMessage } from '@vpn/telegram-emulator';

type Button = NonNullable<SentMessage['replyMarkup']>['inline_keyboard'][number][number];

/** Every inline button of a message, row after row. */
export function buttonsOf(message: SentMessage): Button[] {
  return message.replyMarkup?.inline_keyboard.flat() ?? [];
}

/** The labels of a message's buttons. */
export function labelsOf(message: SentMessage): string[] {
  return buttonsOf(message).map((b) => b.text);
}

/** The button labelled `text`; fails the test when there is none. */
export function buttonOf(message: SentMessage, text: string): Button {
  const found = buttonsOf(message).find((b) => b.text === text);
  if (!found) throw new Error(`no button "${text}" among ${JSON.stringify(labelsOf(message))}`);
  return found;
}
