/**
 * `pnpm sandbox:chat [--id 100001] [--name Anna] [--lang ru]`: be a customer of the sandbox.
 *
 * Type text to send it to the client bot (`/start ref_ABC` works too). Buttons of the bot's last
 * message are numbered: type `1` to press the first. `/pay` pays the newest Stars invoice,
 * `/open N` prints the URL of link button N (open YooKassa's checkout page in a browser),
 * `/block` and `/unblock` block the bot, `/quit` leaves.
 */
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { baseSchema, configOrExit, loadConfig, sandboxSchema, z } from '@vpn/config';
import { EmulatorClient, type SentMessage } from '@vpn/telegram-emulator';
import { SANDBOX_CLIENT_BOT_TOKEN } from './platform/outside-world.js';

const config = configOrExit(() => loadConfig(z.object({ ...baseSchema.shape, ...sandboxSchema.shape })));
const { values } = parseArgs({
  options: {
    id: { type: 'string', default: '100001' },
    name: { type: 'string', default: 'Sandbox' },
    lang: { type: 'string', default: 'ru' },
  },
});
const emulator = EmulatorClient.http(`http://127.0.0.1:${config.EMULATOR_PORT}`);
const bot = SANDBOX_CLIENT_BOT_TOKEN;
// A second chat session with the same id continues as the same customer.
const user = await emulator
  .createUser({ id: Number(values.id), firstName: values.name, languageCode: values.lang })
  .catch(() => ({ id: Number(values.id), first_name: values.name }));
const chat = { from: user.id, bot };

let buttons: Array<{ text: string; data?: string; url?: string }> = [];
let lastSeq = await emulator.currentSeq();

function show(message: SentMessage): void {
  const body = message.text ?? message.caption ?? '';
  const media = message.photoFileId ? '[photo] ' : message.documentFileId ? '[document] ' : '';
  process.stdout.write(`\n🤖 ${media}${body.replace(/<[^>]+>/g, '')}\n`);
  buttons = (message.replyMarkup?.inline_keyboard ?? []).flat().map((b) => ({
    text: b.text,
    ...('callback_data' in b && typeof b.callback_data === 'string' ? { data: b.callback_data } : {}),
    ...('url' in b && typeof b.url === 'string' ? { url: b.url } : {}),
  }));
  buttons.forEach((b, i) => process.stdout.write(`   [${i + 1}] ${b.text}${b.url ? ' (link)' : ''}\n`));
}

// Prints what the bot sends or edits, in order, while the prompt stays usable.
async function follow(): Promise<void> {
  for (;;) {
    // Until the customer's first message there is no chat to read from.
    const messages = await emulator.getMessages({ chatId: user.id, bot, after: lastSeq }).catch(() => []);
    for (const m of messages) {
      lastSeq = Math.max(lastSeq, m.seq);
      show(m);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
}
void follow();

const rl = createInterface({ input: process.stdin, output: process.stdout });
process.stdout.write(`You are ${user.first_name} (${user.id}). Say /start.\n`);
for (;;) {
  const line = (await rl.question('> ')).trim();
  if (!line) continue;
  try {
    if (line === '/quit') break;
    if (line === '/pay') await emulator.payInvoice(chat);
    else if (line === '/block') await emulator.blockBot({ from: user.id, bot });
    else if (line === '/unblock') await emulator.unblockBot({ from: user.id, bot });
    else if (/^\/open \d+$/.test(line)) process.stdout.write(`${buttons[Number(line.slice(6)) - 1]?.url ?? 'no such link'}\n`);
    else if (/^\d+$/.test(line)) {
      const button = buttons[Number(line) - 1];
      if (!button?.data) process.stdout.write(button?.url ? `open ${button.url}\n` : 'no such button\n');
      else await emulator.pressButton({ ...chat, data: button.data });
    } else if (line.startsWith('/')) {
      const [command = '', ...rest] = line.slice(1).split(' ');
      await emulator.sendCommand({ ...chat, command, ...(rest.length ? { payload: rest.join(' ') } : {}) });
    } else await emulator.sendText({ ...chat, text: line });
  } catch (error) {
    process.stdout.write(`! ${(error as Error).message}\n`);
  }
}
rl.close();
process.exit(0);
