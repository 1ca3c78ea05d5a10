import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EmulatorClient, SentMessage } from '@vpn/telegram-emulator';
import { buttonsOf, describeButton, renderMessage, type ChatButton, type Style } from './render.js';

export interface SandboxChatOptions {
  client: EmulatorClient;
  /** The sandbox bot's token (it names the private chat). */
  bot: string;
  user: { id: number; firstName: string; languageCode: string };
  /** Where photos (the QR code) and documents are saved, each under a name the chat prints. */
  filesDir: string;
  style: Style;
  out: (text: string) => void;
}

export interface SandboxChat {
  /** Acts on one line the customer typed; false after `/quit`. */
  handle(line: string): Promise<boolean>;
  /** Prints what the bot sent, edited or deleted since the last call; survives an emulator restart. */
  poll(): Promise<void>;
}

export const CHAT_HELP =
  'Type text to send it, a number to press that button, /pay to pay the newest invoice, /open N for the link of button N, /block and /unblock to block the bot, /quit to leave.';

const botIdOf = (token: string): number => Number(token.split(':')[0]);

/**
 * The sandbox chat as a customer sees it: the bot's messages in order, every edit as the new state
 * of its message (menus edit in place), media saved to files, invoices payable, buttons numbered.
 * It reads the emulator's event log, so nothing the bot does between two polls is missed.
 */
export function createSandboxChat(options: SandboxChatOptions): SandboxChat {
  const { client, bot, user, out } = options;
  const botId = botIdOf(bot);
  const chat = { from: user.id, bot };
  let cursor = 0;
  let buttons: ChatButton[] = [];
  let connected: boolean | undefined;
  let userReady = false;
  let everCreated = false;

  /**
   * Makes sure the emulator knows the customer. Creating them succeeds only in an emulator that
   * never saw them: after the first time, that means the platform restarted with an empty world,
   * whose event numbers start again.
   */
  async function ensureUser(): Promise<void> {
    if (userReady) return;
    const created = await client.createUser({ id: user.id, firstName: user.firstName, languageCode: user.languageCode }).then(
      () => true,
      (error: Error) => {
        if (!/exists/.test(error.message)) throw error;
        return false;
      },
    );
    userReady = true;
    if (created && everCreated) {
      cursor = 0;
      buttons = [];
      out('(the sandbox restarted: this is a new chat with the bot; say /start)');
    }
    everCreated ||= created;
  }

  function saveFiles(message: SentMessage, bytes: Buffer | undefined): string[] {
    if (!bytes) return [];
    mkdirSync(options.filesDir, { recursive: true });
    const name = message.photoFileId
      ? `message-${message.messageId}-photo.png`
      : `message-${message.messageId}-${(message.message.document?.file_name ?? 'document').replace(/[^\w.-]/g, '_')}`;
    const file = join(options.filesDir, name);
    writeFileSync(file, bytes);
    return [file];
  }

  async function show(message: SentMessage, edited: boolean): Promise<void> {
    const fileId = message.photoFileId ?? message.documentFileId;
    const bytes = fileId ? await client.downloadFile(fileId).catch(() => undefined) : undefined;
    out(renderMessage(message, { edited, style: options.style, files: saveFiles(message, bytes) }));
    const own = buttonsOf(message);
    // The numbers always belong to the newest message with buttons; an edit that removes the
    // buttons of that message removes them here too.
    if (own.length > 0) buttons = own;
    else if (buttons[0]?.messageId === message.messageId) buttons = [];
    own.forEach((b, i) => out(describeButton(b, i + 1)));
  }

  let inFlight: Promise<void> | undefined;
  /** One poll at a time: a slow one (a file download) must not let the next print the same events. */
  function poll(): Promise<void> {
    inFlight ??= pollOnce().finally(() => (inFlight = undefined));
    return inFlight;
  }

  async function pollOnce(): Promise<void> {
    let events;
    try {
      // A sequence behind ours is a restarted emulator even if no poll failed in between.
      if ((await client.currentSeq()) < cursor) userReady = false;
      await ensureUser();
      events = await client.getEvents({ after: cursor, types: ['message', 'edit', 'delete'] });
      if (connected === false) out('(the sandbox is back)');
      connected = true;
    } catch {
      if (connected !== false) out('(the sandbox is not answering; waiting for `npm start`…)');
      connected = false;
      userReady = false;
      return;
    }
    const mine = events.filter((e) => e.chatId === user.id && e.botId === botId);
    const messages = mine.length > 0 ? await client.getMessages({ chatId: user.id, bot }) : [];
    for (const event of mine) {
      const message = messages.find((m) => m.messageId === event.messageId);
      if (event.type === 'delete') out(`🤖 🗑 (message ${event.messageId} deleted)`);
      else if (message) await show(message, event.type === 'edit');
    }
    cursor = Math.max(cursor, events.at(-1)?.seq ?? cursor);
  }

  async function press(n: number): Promise<void> {
    const button = buttons[n - 1];
    if (!button) return out('no such button');
    if (button.copyText !== undefined) return out(`copied: ${button.copyText}`);
    if (button.url) return out(`open ${button.url}`);
    if (button.pay) return pay(button.messageId);
    if (!button.data) return out('this button does nothing here');
    const { callbackQueryId } = await client.pressButton({ ...chat, data: button.data, messageId: button.messageId });
    // The bot's toast or alert for the press (Telegram shows it for a few seconds).
    void client
      .waitForCallbackAnswer({ callbackQueryId, timeoutMs: 15_000 })
      .then((answer) => answer.text && out(answer.showAlert ? `⚠️ ${answer.text}` : `💬 ${answer.text}`))
      .catch(() => undefined);
  }

  async function pay(messageId?: number): Promise<void> {
    const result = await client.payInvoice({ ...chat, ...(messageId ? { messageId } : {}) });
    if (result.status === 'paid') out('(you paid the invoice)');
    else out(`(payment ${result.status}${result.errorMessage ? `: ${result.errorMessage}` : ''})`);
  }

  async function act(line: string): Promise<boolean> {
    if (line === '/quit') return false;
    if (line === '/help') out(CHAT_HELP);
    else if (line === '/pay') await pay();
    else if (line === '/block') {
      await client.blockBot({ from: user.id, bot });
      out('(you blocked the bot: it can no longer write to you; /unblock to undo)');
    } else if (line === '/unblock') {
      await client.unblockBot({ from: user.id, bot });
      out('(you unblocked the bot; say /start)');
    } else if (/^\/open \d+$/.test(line)) {
      const button = buttons[Number(line.slice(6)) - 1];
      out(button?.url ?? 'no such link');
    } else if (/^\d+$/.test(line)) await press(Number(line));
    else if (line.startsWith('/')) {
      const [command = '', ...rest] = line.slice(1).split(' ');
      await client.sendCommand({ ...chat, command, ...(rest.length ? { payload: rest.join(' ') } : {}) });
    } else await client.sendText({ ...chat, text: line });
    return true;
  }

  return {
    poll,
    async handle(raw) {
      const line = raw.trim();
      if (!line) return true;
      try {
        await ensureUser();
        return await act(line);
      } catch (error) {
        const message = (error as Error).message;
        // The emulator restarted between two polls: make the customer again and retry once.
        if (/unknown user|user \d+ not found|no chat/i.test(message)) {
          userReady = false;
          await ensureUser();
          return act(line);
        }
        out(`! ${message}`);
        return true;
      }
    },
  };
}
