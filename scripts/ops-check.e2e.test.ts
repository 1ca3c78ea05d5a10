import { execFile } from 'node:child_process';
import { Api } from 'grammy';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createScratchDatabase, TEST_ENCRYPTION_KEY, type ScratchDatabase } from '@vpn/db/testing';
import { marzbanServerRow } from '@vpn/vpn/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxEnv, SANDBOX_PROVIDERS, startOutsideWorld, type OutsideWorld } from './platform/index.js';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..');
/** A token of the right shape that Telegram does not know. */
const UNKNOWN_TOKEN = '7999999999:NoSuchBotTokenAnywhere0000000000';

/**
 * `pnpm ops:check` as the operator runs it (the README's command), against the project's
 * emulators: Telegram with the three bots and the staff forum, a Marzban panel, every payment
 * provider, and a migrated database with the panel registered.
 */
describe('pnpm ops:check', () => {
  let world: OutsideWorld;
  let db: ScratchDatabase;
  let env: Record<string, string>;

  /** Runs the check; resolves with its exit code, its output lines and the whole output. */
  const opsCheck = async (extra: Record<string, string> = {}) => {
    const result = await run('pnpm', ['ops:check'], { cwd: root, env: { ...process.env, ...env, ...extra } }).then(
      (r) => ({ code: 0, stdout: r.stdout }),
      (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }),
    );
    const lines = result.stdout.split('\n').filter((l) => /^[✓✗–] /.test(l));
    return { ...result, lines };
  };

  beforeAll(async () => {
    world = await startOutsideWorld({ providers: SANDBOX_PROVIDERS, telegramPort: 9401, panelPort: 9402, yookassaPort: 9403 });
    db = await createScratchDatabase('opscheck');
    await db.migrator().up();
    await db.repos.servers.create({
      name: 'nl-1',
      countryCode: 'NL',
      capacity: 100,
      weight: 1,
      active: true,
      ...marzbanServerRow(world.marzban),
    });
    env = {
      ...(sandboxEnv(world, 'http://127.0.0.1:9409') as Record<string, string>),
      ADMIN_BOT_TOKEN: world.adminBotToken,
      DATABASE_URL: db.url,
      DATABASE_SCHEMA: db.schema,
      ENCRYPTION_KEY: TEST_ENCRYPTION_KEY,
      NODE_ENV: 'production',
    };
  });
  afterAll(async () => {
    await db?.destroy();
    await world?.close();
  });

  it('passes with every token, the forum, the panel and every provider right (exit 0)', { timeout: 60_000 }, async () => {
    const { code, lines, stdout } = await opsCheck();
    expect(
      lines.filter((l) => l.startsWith('✗')),
      stdout,
    ).toEqual([]);
    expect(code).toBe(0);
    expect(lines).toEqual(
      expect.arrayContaining([
        '✓ telegram: CLIENT_BOT_TOKEN is the client bot @vpn_sandbox_bot (id 7000000001)',
        '✓ telegram: SUPPORT_BOT_TOKEN is the support bot @vpn_sandbox_support_bot (id 7000000002)',
        '✓ telegram: ADMIN_BOT_TOKEN is the admin bot @vpn_sandbox_admin_bot (id 7000000003)',
        `✓ forum: ${world.supportChatId} is a forum; the client bot @vpn_sandbox_bot and the support bot @vpn_sandbox_support_bot can manage topics, pin and delete`,
        expect.stringMatching(/^✓ database: reachable, schema \S+ up to date$/),
        expect.stringMatching(new RegExp(`^✓ panel: nl-1 \\(marzban, ${world.marzban.url}\\): logged in, version 0\\.8\\.4, \\d+ ms$`)),
        '✓ payments: cryptopay: getMe: app "VPN emulator app"',
        '✓ payments: xrocket: app/info: app "VPN emulator app"',
        expect.stringMatching(/^– payments: severpay: not checked/),
        expect.stringMatching(/^– payments: stars: no keys of its own/),
      ]),
    );
    for (const provider of ['yookassa', 'wata', 'heleket', 'platega'])
      expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^✓ payments: ${provider}: keys accepted`)));
    expect(lines.filter((l) => l.startsWith('✓ webhook:'))).toHaveLength(3);
    // Not one secret in the output, whole or in part.
    for (const key of ['CLIENT_BOT_TOKEN', 'YOOKASSA_SECRET_KEY', 'CRYPTOPAY_TOKEN', 'PLATEGA_SECRET', 'SEVERPAY_TOKEN', 'ENCRYPTION_KEY'])
      expect(stdout).not.toContain(env[key]!.split(':').at(-1));
    expect(stdout).not.toContain(world.marzban.credentials.password);
  });

  it(
    'names a refused token, a group that is not a forum, a panel that is down and refused keys (exit 1)',
    { timeout: 60_000 },
    async () => {
      const plain = await world.telegram.client.createSupergroup({
        title: 'Not a forum',
        isForum: false,
        bots: [{ bot: world.supportBotToken, admin: true }],
      });
      const down = await db.repos.servers.create({
        name: 'de-1',
        countryCode: 'DE',
        capacity: 100,
        weight: 1,
        active: true,
        ...marzbanServerRow(world.marzban),
        baseUrl: 'http://127.0.0.1:9499',
      });
      try {
        const { code, lines, stdout } = await opsCheck({
          ADMIN_BOT_TOKEN: UNKNOWN_TOKEN,
          SUPPORT_CHAT_ID: String(plain.id),
          CRYPTOPAY_TOKEN: 'wrong-cryptopay-token-123',
        });
        expect(code).toBe(1);
        expect(lines).toEqual(
          expect.arrayContaining([
            expect.stringMatching(
              /^✗ telegram: ADMIN_BOT_TOKEN was refused by Telegram \(401 Unauthorized\): copy the token again from @BotFather/,
            ),
            `✗ forum: SUPPORT_CHAT_ID ${plain.id} is not a forum supergroup: turn on Topics in the group settings`,
            expect.stringMatching(
              /^✗ panel: de-1 \(marzban, http:\/\/127\.0\.0\.1:9499\): .+: check the address, the credentials and the panel$/,
            ),
            expect.stringMatching(/^✓ panel: nl-1 /),
            expect.stringMatching(/^✗ payments: cryptopay: keys refused \(.*401.*\): copy them again/),
            expect.stringMatching(/^✓ payments: yookassa: keys accepted/),
          ]),
        );
        expect(stdout).not.toContain('NoSuchBotTokenAnywhere');
        expect(stdout).not.toContain('wrong-cryptopay-token');
        expect(stdout).toContain('Some checks failed');
      } finally {
        await db.repos.servers.update(down.id, { active: false });
      }
    },
  );

  it('in webhook mode wants each bot at https://DOMAIN/tg/<bot> and a strong secret', { timeout: 60_000 }, async () => {
    // The client bot's webhook points elsewhere (another deployment), the others have none yet.
    const client = new Api(world.clientBotToken, { apiRoot: world.telegram.apiRoot });
    await client.setWebhook('https://old.example.com/tg/client');
    const { code, lines } = await opsCheck({ DOMAIN: 'vpn.example.com', BOT_WEBHOOK_SECRET: 'short' });
    await client.deleteWebhook();
    expect(code).toBe(1);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^✗ webhook: client bot: webhook is https:\/\/old\.example\.com\/tg\/client, expected https:\/\/vpn\.example\.com\/tg\/client/,
        ),
        expect.stringMatching(
          /^✗ webhook: support bot: no webhook set \(expected https:\/\/vpn\.example\.com\/tg\/support\): start the bot/,
        ),
        '✗ webhook: BOT_WEBHOOK_SECRET must be 32+ characters in webhook mode: openssl rand -hex 32',
      ]),
    );
  });
});
