import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createI18n } from '@vpn/i18n';
import { startSandboxHarness, type SandboxHarness } from './platform/testing/sandbox-harness.js';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');
const ports = { telegramPort: 18840, panelPort: 18841, yookassaPort: 18842, webhooksPort: 18843 };
const i18n = createI18n();
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `npm run sandbox:chat` itself, driven through its stdin and read on its stdout. */
class ChatProcess {
  private output = '';
  private cursor = 0;
  readonly child: ChildProcessWithoutNullStreams;

  constructor(args: string[], dataDir: string) {
    this.child = spawn(tsx, [join(root, 'scripts/sandbox-chat.ts'), ...args], {
      cwd: root,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        VITEST: 'true',
        EMULATOR_PORT: String(ports.telegramPort),
        SANDBOX_DATA_DIR: dataDir,
      },
    });
    this.child.stdout.on('data', (d: Buffer) => (this.output += d.toString()));
    this.child.stderr.on('data', (d: Buffer) => (this.output += d.toString()));
  }

  type(line: string): void {
    this.child.stdin.write(`${line}\n`);
  }

  /** Waits for `re` in what the chat printed since the last match, and moves past it. */
  async see(re: RegExp, timeoutMs = 30_000): Promise<RegExpExecArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = re.exec(this.output.slice(this.cursor));
      if (m) {
        this.cursor += m.index + m[0].length;
        return m;
      }
      if (Date.now() > deadline) throw new Error(`the chat never printed ${re}; it printed:\n${this.output.slice(this.cursor)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Presses the button labelled `label` (the newest one the chat numbered). */
  async press(label: string): Promise<void> {
    const m = await this.see(new RegExp(`\\[(\\d+)\\] ${escape(label)}`));
    this.type(m[1]!);
  }

  get transcript(): string {
    return this.output;
  }
}

describe('the sandbox chat (npm run sandbox:chat), as the README walks a customer through it', () => {
  let sandbox: SandboxHarness;
  const chats: ChatProcess[] = [];
  beforeAll(async () => {
    sandbox = await startSandboxHarness('chat', ports);
  });
  afterAll(async () => {
    for (const chat of chats) chat.child.kill();
    await sandbox?.close();
  });

  it.each([
    ['en', 188401],
    ['ru', 188402],
  ] as const)(
    '%s: trial with the QR saved to a file, menus that edit in place, a YooKassa purchase, a Stars purchase, /block',
    async (lng, id) => {
      const t = i18n.forLanguage(lng);
      const chat = new ChatProcess(['--id', String(id), '--lang', lng, '--name', 'Kate'], sandbox.dataDir);
      chats.push(chat);
      await chat.see(/Say \/start/);
      chat.type('/start');

      // The trial: the link arrives as a QR photo saved to a file the chat names, with a copy button.
      await chat.press(t('client.menu.trial'));
      const photo = await chat.see(/\[photo: saved to (\S+)\]/);
      expect(readFileSync(photo[1]!).subarray(1, 4).toString()).toBe('PNG');
      const link = (await chat.see(/\(copies: (http\S+\/sub\/\S+)\)/))[1]!;
      expect((await fetch(link)).status).toBe(200);

      // Buy a plan with YooKassa: the menu edits in place, the chat shows each edit.
      chat.type('/menu');
      await chat.press(t('client.menu.renew'));
      await chat.see(/✏️ \(message \d+ edited\)/);
      // The discounted plans show their list price struck through.
      await chat.see(/~[^~\n]+~/);
      await chat.press(lng === 'en' ? '1 month' : '1 месяц');
      await chat.see(/✏️ \(message \d+ edited\)/);
      await chat.press(t('client.checkout.methods.yookassa'));
      const open = await chat.see(/\[(\d+)\] [^\n]*\(link: \/open (\d+)\)/);
      chat.type(`/open ${open[2]}`);
      const checkout = (await chat.see(/(http:\/\/127\.0\.0\.1:18842\/checkout\/\S+)/))[1]!;
      // What the browser does when the customer presses Pay on the emulator's page.
      expect((await fetch(`${checkout}?action=pay`)).status).toBe(200);
      await chat.see(lng === 'en' ? /✅ Payment of ₽199 received/ : /✅ Оплата 199\s₽ получена/);

      // And with Telegram Stars: an invoice, paid with /pay.
      chat.type('/buy');
      await chat.press(lng === 'en' ? '1 month' : '1 месяц');
      await chat.press(t('client.checkout.methods.stars'));
      await chat.see(/\[invoice\] total \d+ ⭐️ — type \/pay to pay it/);
      chat.type('/pay');
      await chat.see(/\(you paid the invoice\)/);
      await chat.see(/✅/);

      chat.type('/block');
      await chat.see(/\(you blocked the bot: it can no longer write to you; \/unblock to undo\)/);
      chat.type('/unblock');
      await chat.see(/\(you unblocked the bot; say \/start\)/);
    },
  );

  it("runs the README's control-API example as written (on this test's port and customer)", async () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const command = /^curl .*\/control\/getMessages.*$/m.exec(readme)![0];
    const tg = sandbox.world.telegram.client;
    const user = await tg.createUser({ id: 188404, firstName: 'Curl', languageCode: 'en' });
    await tg.start({ from: user.id, bot: sandbox.world.clientBotToken });
    const menu = await tg.waitForMessage({ chatId: user.id, bot: sandbox.world.clientBotToken, timeoutMs: 15_000 });
    const ours = command.replace('127.0.0.1:8090', `127.0.0.1:${ports.telegramPort}`).replace('100001', String(user.id));
    const { stdout } = await run('sh', ['-c', ours]);
    const body = JSON.parse(stdout) as { ok: boolean; result: Array<{ text?: string }> };
    expect(body.ok).toBe(true);
    expect(body.result.map((m) => m.text)).toContain(menu.text);
  });

  it('keeps going across a restart of the sandbox: the customer is created again and the bot answers', async () => {
    const t = i18n.forLanguage('en');
    const chat = new ChatProcess(['--id', '188403', '--lang', 'en'], sandbox.dataDir);
    chats.push(chat);
    await chat.see(/Say \/start/);
    chat.type('/start');
    await chat.see(new RegExp(escape(t('client.menu.trial'))));
    await sandbox.restart();
    await chat.see(/\(the sandbox restarted: this is a new chat with the bot; say \/start\)/, 60_000);
    chat.type('/start');
    await chat.see(new RegExp(escape(t('client.menu.trial'))));
  });
});
