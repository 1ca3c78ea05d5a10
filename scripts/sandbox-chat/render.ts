import type { SentMessage, TgEntity, TgInlineButton } from '@vpn/telegram-emulator';

/** How formatting is shown: terminal styles, or plain markers when output is not a terminal. */
export type Style = 'ansi' | 'plain';

type Marks = { open: string; close: string };

const ANSI: Record<string, Marks> = {
  bold: { open: '\x1b[1m', close: '\x1b[22m' },
  italic: { open: '\x1b[3m', close: '\x1b[23m' },
  underline: { open: '\x1b[4m', close: '\x1b[24m' },
  strikethrough: { open: '\x1b[9m', close: '\x1b[29m' },
  spoiler: { open: '\x1b[7m', close: '\x1b[27m' },
  code: { open: '\x1b[36m', close: '\x1b[39m' },
  pre: { open: '\x1b[36m', close: '\x1b[39m' },
  text_link: { open: '\x1b[4m', close: '\x1b[24m' },
  blockquote: { open: '▎ ', close: '' },
  expandable_blockquote: { open: '▎ ', close: '' },
};
// Markdown-like markers, so a transcript (or a test) still sees what was struck through.
const PLAIN: Record<string, Marks> = {
  bold: { open: '*', close: '*' },
  italic: { open: '_', close: '_' },
  underline: { open: '__', close: '__' },
  strikethrough: { open: '~', close: '~' },
  spoiler: { open: '||', close: '||' },
  code: { open: '`', close: '`' },
  pre: { open: '```\n', close: '\n```' },
  text_link: { open: '[', close: ']' },
  blockquote: { open: '> ', close: '' },
  expandable_blockquote: { open: '> ', close: '' },
};

/** The text with its entities shown (offsets are UTF-16 units, as JavaScript strings count). */
export function formatText(text: string, entities: readonly TgEntity[] | undefined, style: Style): string {
  const marks = style === 'ansi' ? ANSI : PLAIN;
  const inserts: Array<{ at: number; order: number; text: string }> = [];
  (entities ?? []).forEach((e, i) => {
    const m = marks[e.type];
    if (!m) return;
    const suffix = e.type === 'text_link' && e.url ? ` (${e.url})` : '';
    // Opens in entity order; closes in reverse, so nested entities close inside out.
    inserts.push({ at: e.offset, order: 1_000 + i, text: m.open });
    inserts.push({ at: e.offset + e.length, order: -i, text: m.close + suffix });
  });
  inserts.sort((a, b) => a.at - b.at || a.order - b.order);
  let out = '';
  let at = 0;
  for (const ins of inserts) {
    out += text.slice(at, ins.at) + ins.text;
    at = ins.at;
  }
  return out + text.slice(at);
}

/** A button as the chat numbers it. */
export interface ChatButton {
  text: string;
  messageId: number;
  data?: string;
  url?: string;
  copyText?: string;
  pay?: boolean;
}

export function buttonsOf(message: SentMessage): ChatButton[] {
  return (message.replyMarkup?.inline_keyboard ?? []).flat().map((b: TgInlineButton) => {
    const copy = b.copy_text as { text?: string } | undefined;
    return {
      text: b.text,
      messageId: message.messageId,
      ...(typeof b.callback_data === 'string' ? { data: b.callback_data } : {}),
      ...(typeof b.url === 'string' ? { url: b.url } : {}),
      ...(typeof copy?.text === 'string' ? { copyText: copy.text } : {}),
      ...(b.pay === true ? { pay: true } : {}),
    };
  });
}

export function describeButton(b: ChatButton, n: number): string {
  const what = b.pay ? ' (pay: /pay)' : b.url ? ` (link: /open ${n})` : b.copyText !== undefined ? ` (copies: ${b.copyText})` : '';
  return `   [${n}] ${b.text}${what}`;
}

interface Invoice {
  title?: string;
  description?: string;
  currency?: string;
  total_amount?: number;
}

/** Stars are whole; other currencies count minor units (Telegram's `total_amount`). */
function amount(invoice: Invoice): string {
  const total = invoice.total_amount ?? 0;
  return invoice.currency === 'XTR' ? `${total} ⭐️` : `${(total / 100).toFixed(2)} ${invoice.currency ?? ''}`;
}

/** The lines that show one message (new or edited); `files` names where its photo/document was saved. */
export function renderMessage(message: SentMessage, options: { edited: boolean; style: Style; files: string[] }): string {
  const head = options.edited ? `🤖 ✏️ (message ${message.messageId} edited)` : `🤖`;
  const lines = [head];
  const body = message.text ?? message.caption;
  if (body) lines.push(formatText(body, message.entities, options.style));
  if (message.photoFileId) lines.push(`[photo: saved to ${options.files[0] ?? '?'}]`);
  if (message.documentFileId) {
    const name = message.message.document?.file_name ?? 'document';
    lines.push(`[document ${name}: saved to ${options.files[0] ?? '?'}]`);
  }
  const invoice = message.message.invoice as Invoice | undefined;
  if (invoice) {
    lines.push(`[invoice] ${invoice.title ?? ''}: ${invoice.description ?? ''}`);
    lines.push(`[invoice] total ${amount(invoice)} — type /pay to pay it`);
  }
  return lines.join('\n');
}
