/**
 * `npm run sandbox:chat -- [--id 100001] [--name Anna] [--lang ru]`: be a customer of the sandbox.
 * `npm run sandbox:chat -- --as admin`: be the sandbox's owner (id 100000) in the admin bot.
 *
 * Type text to send it to the client bot (`/start ref_ABC` works too). Buttons are numbered: type
 * `1` to press the first. Edited messages are shown again in their new state; photos (the QR code)
 * and documents are saved to files the chat names; `/pay` pays the newest invoice, `/open N`
 * prints the URL of link button N, `/block` and `/unblock` block the bot, `/quit` leaves. It
 * keeps going across a restart of `npm start` (the customer is created again).
 */
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { baseSchema, configOrExit, loadConfig, sandboxSchema, z } from '@vpn/config';
import { EmulatorClient } from '@vpn/telegram-emulator';
import { SANDBOX_ADMIN_BOT_TOKEN, SANDBOX_CLIENT_BOT_TOKEN, SANDBOX_OWNER_ID } from './platform/outside-world.js';
import { CHAT_HELP, createSandboxChat } from './sandbox-chat/chat.js';

const config = configOrExit(() => loadConfig(z.object({ ...baseSchema.shape, ...sandboxSchema.shape })));
const { values } = parseArgs({
  options: {
    as: { type: 'string', default: 'customer' },
    id: { type: 'string' },
    name: { type: 'string', default: 'Sandbox' },
    lang: { type: 'string', default: 'ru' },
  },
});
const asAdmin = values.as === 'admin';
if (!asAdmin && values.as !== 'customer') throw new Error(`--as must be customer or admin, got "${values.as}"`);
const id = Number(values.id ?? (asAdmin ? SANDBOX_OWNER_ID : 100_001));
const filesDir = resolve(import.meta.dirname, '..', config.SANDBOX_DATA_DIR, `chat-${id}`);
const chat = createSandboxChat({
  client: EmulatorClient.http(`http://127.0.0.1:${config.EMULATOR_PORT}`),
  bot: asAdmin ? SANDBOX_ADMIN_BOT_TOKEN : SANDBOX_CLIENT_BOT_TOKEN,
  user: { id, firstName: values.name, languageCode: values.lang },
  filesDir,
  style: process.stdout.isTTY ? 'ansi' : 'plain',
  out: (text) => process.stdout.write(`${text}\n`),
});

process.stdout.write(`You are ${values.name} (${id}), language ${values.lang}. Say /start. ${CHAT_HELP}\n`);
await chat.poll();
const timer = setInterval(() => void chat.poll(), 300);

// Lines are handled one after another, in the order typed (or piped in).
const rl = createInterface({ input: process.stdin });
let queue = Promise.resolve(true);
rl.on('line', (line) => {
  queue = queue.then(async (going) => {
    if (!going) return false;
    const next = await chat.handle(line);
    if (!next) {
      clearInterval(timer);
      rl.close();
      process.exit(0);
    }
    return next;
  });
});
rl.on('close', () => {
  void queue.then(() => {
    clearInterval(timer);
    process.exit(0);
  });
});
