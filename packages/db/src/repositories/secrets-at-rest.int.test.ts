import { describe, expect, it } from 'vitest';
import { createSecretCipher } from '../crypto.js';
import type { Database } from '../database.js';
import { makeServer, makeSubscription, makeUser, useTestDatabase } from '../testing/index.js';

const PANEL_PASSWORD = 'marzban-Pa55word-plain';
const PROVIDER_KEY = 'live_yookassa_secret_0123456789';
const SUB_TOKEN = 'c3ViLXRva2VuLW9mLWFubmE';
const SUB_URL = `https://panel.example/sub/${SUB_TOKEN}`;
const SHARE_LINK = 'vless://0b9c6a3e-4d1f-4a7e-9a55-0f1e2d3c4b5a@panel.example:443?security=reality&sid=ab12#anna';
const NEW_SHARE_LINK = 'trojan://s3cret-trojan-pass@panel.example:443#anna';

/**
 * What a data dump of this worker's schema holds, without needing pg_dump on the machine: every
 * row of every table rendered as PostgreSQL text (`row::text`), as a dump would write it.
 */
async function dumpSchema(db: Database): Promise<{ tables: string[]; text: string }> {
  const [tables] = (await db.sequelize.query(
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE' ORDER BY 1",
    { bind: [db.schema] },
  )) as [{ name: string }[], unknown];
  const lines: string[] = [];
  for (const { name } of tables) {
    const [rows] = (await db.sequelize.query(`SELECT t::text AS row FROM "${db.schema}"."${name}" t`)) as [{ row: string }[], unknown];
    lines.push(`-- ${name}`, ...rows.map((r) => r.row));
  }
  return { tables: tables.map((t) => t.name), text: lines.join('\n') };
}

describe('secrets at rest', () => {
  const db = useTestDatabase();

  it('keeps panel credentials and secret settings out of every table and the dump', async () => {
    const server = await makeServer(db().repos, {
      credentials: { username: 'admin', password: PANEL_PASSWORD },
    });
    await db().repos.settings.set('yookassa.secretKey', PROVIDER_KEY);
    await db().repos.settings.set('trial.days', 5);

    expect(server).not.toHaveProperty('credentialsEncrypted');
    expect((await db().repos.servers.getWithCredentials(server.id))?.credentials).toEqual({
      username: 'admin',
      password: PANEL_PASSWORD,
    });
    expect(await db().repos.settings.get('yookassa.secretKey')).toBe(PROVIDER_KEY);
    expect(await db().repos.settings.getKnown('trial.days')).toBe(5);
    expect((await db().repos.settings.list()).find((s) => s.key === 'yookassa.secretKey')).toMatchObject({
      encrypted: true,
      value: '••••••',
    });

    const [servers] = await db().sequelize.query('SELECT * FROM servers');
    const [settings] = await db().sequelize.query('SELECT * FROM settings');
    const selected = JSON.stringify([servers, settings]);
    expect(selected).toContain('v1:');
    expect(selected).not.toContain(PANEL_PASSWORD);
    expect(selected).not.toContain(PROVIDER_KEY);

    const dump = await dumpSchema(db());
    expect(dump.tables).toEqual(expect.arrayContaining(['servers', 'settings', 'users', 'payments']));
    // The rows are there (so the dump is not empty), only the secrets are not readable.
    expect(dump.text).toContain('yookassa.secretKey');
    expect(dump.text).toContain(server.name);
    expect(dump.text).not.toContain(PANEL_PASSWORD);
    expect(dump.text).not.toContain(PROVIDER_KEY);
  });

  it('keeps subscription links and share links of panel accounts out of the table and the dump; search still finds them', async () => {
    const { repos } = db();
    const user = await makeUser(repos);
    const server = await makeServer(repos);
    const sub = await makeSubscription(repos, { userId: user.id });
    const account = await repos.vpnAccounts.upsertDesired({
      subscriptionId: sub.id,
      serverId: server.id,
      panelUserKey: `vpn_s${sub.id}`,
      desiredVersion: sub.version,
    });
    const synced = await repos.vpnAccounts.markSynced(account.id, {
      version: sub.version,
      panelId: 'p1',
      subscriptionUrl: SUB_URL,
      links: [SHARE_LINK],
    });
    expect(synced).toMatchObject({ subscriptionUrl: SUB_URL, links: [SHARE_LINK] });
    expect(await repos.vpnAccounts.get(account.id)).toMatchObject({ subscriptionUrl: SUB_URL, links: [SHARE_LINK] });

    let dump = await dumpSchema(db());
    expect(dump.text).toContain(`vpn_s${sub.id}`);
    expect(dump.text).not.toContain(SUB_TOKEN);
    expect(dump.text).not.toContain('0b9c6a3e-4d1f-4a7e-9a55-0f1e2d3c4b5a');

    // A reissue writes the new key the same way.
    await repos.vpnAccounts.startReissue(account.id, 'rq-1');
    const reissued = await repos.vpnAccounts.completeReissue(account.id, 'rq-1', {
      subscriptionUrl: `${SUB_URL}-new`,
      links: [NEW_SHARE_LINK],
    });
    expect(reissued).toMatchObject({ subscriptionUrl: `${SUB_URL}-new`, links: [NEW_SHARE_LINK] });
    dump = await dumpSchema(db());
    expect(dump.text).not.toContain(SUB_TOKEN);
    expect(dump.text).not.toContain('s3cret-trojan-pass');

    // Staff still find the customer by the link they were sent, or by its token alone.
    expect((await repos.users.search(`${SUB_URL}-new`)).map((u) => u.id)).toEqual([user.id]);
    expect((await repos.users.search(`${SUB_TOKEN}-new`)).map((u) => u.id)).toEqual([user.id]);
    expect(await repos.users.search(SUB_URL)).toEqual([]);
  });

  it('refuses credentials that were tampered with in the database', async () => {
    const server = await makeServer(db().repos);
    const [[row]] = (await db().sequelize.query('SELECT credentials_encrypted AS c FROM servers WHERE id = $1', {
      bind: [server.id],
    })) as [{ c: string }[], unknown];
    const body = row!.c.split(':')[3]!;
    const flipped = (body[0] === 'A' ? 'B' : 'A') + body.slice(1);
    await db().sequelize.query('UPDATE servers SET credentials_encrypted = $1 WHERE id = $2', {
      bind: [row!.c.replace(`:${body}`, `:${flipped}`), server.id],
    });
    await expect(db().repos.servers.getWithCredentials(server.id)).rejects.toMatchObject({
      code: 'DECRYPT_FAILED',
    });
  });

  it('cannot be read with another key', async () => {
    await db().repos.settings.set('cryptopay.token', 'tok');
    const [[row]] = (await db().sequelize.query("SELECT value FROM settings WHERE key = 'cryptopay.token'")) as [
      { value: string }[],
      unknown,
    ];
    expect(() => createSecretCipher('cd'.repeat(32)).decrypt(row!.value)).toThrow(/wrong key or tampered/);
  });
});
