import { makeSubscription } from '@vpn/db/testing';
import { labelsOf } from '@vpn/telegram-emulator';
import { createProvisioningService, createServerPool } from '@vpn/vpn';
import { createMarzbanEmulator, type MarzbanEmulator } from '@vpn/vpn/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TEST_TOKEN, startAdminWorld, type AdminWorld } from '../testing/admin-world.js';

describe('servers: a panel added through the bot is where customers get their accounts', () => {
  let w: AdminWorld;
  let marzban: MarzbanEmulator;
  beforeAll(async () => {
    w = await startAdminWorld('servers');
    marzban = await createMarzbanEmulator({});
  });
  afterAll(async () => {
    expect(w.logs.filter((l) => l.level >= 50).map((l) => JSON.stringify(l.err ?? l.msg).slice(0, 600))).toEqual([]);
    await marzban.close();
    await w.close();
  });

  /** Walks the add-a-panel questions with `answers` (one per question after the kind). */
  async function addPanel(owner: Awaited<ReturnType<AdminWorld['staff']>>, answers: string[]) {
    const t = owner.t;
    await w.menu(owner);
    await w.open(owner, t('admin.servers.menu'));
    await w.press(owner, t('admin.servers.add'));
    expect((await w.next(owner)).text).toBe(t('admin.servers.ask.kind'));
    await w.press(owner, 'marzban');
    await w.next(owner);
    for (const answer of answers) {
      await w.say(owner, answer);
      await w.next(owner);
    }
  }

  it('tests the connection, refuses a panel that does not answer, saves one that does (encrypted), and a customer is provisioned on it', async () => {
    const owner = await w.staff('owner');
    const t = owner.t;
    const { username, password } = marzban.credentials;

    // Wrong password: the test fails, nothing is saved.
    await addPanel(owner, [marzban.url, 'VLESS TCP REALITY', 'nl-1', 'nl', '500']);
    await w.say(owner, `${username} wrong-${password}`);
    expect((await w.next(owner)).text).toBe(t('admin.servers.testing'));
    expect((await w.next(owner)).text).toContain(t('admin.errors.panelFailed'));
    expect((await w.next(owner)).text).toBe(t('admin.servers.notSaved'));
    expect(await w.db.repos.servers.findByName('nl-1')).toBeNull();

    // Right password: saved, the card shows the server and no credential.
    await w.press(owner, t('admin.servers.retry'));
    await w.next(owner);
    await w.press(owner, 'marzban');
    await w.next(owner);
    for (const answer of [marzban.url, 'VLESS TCP REALITY', 'nl-1', 'nl', '500']) {
      await w.say(owner, answer);
      await w.next(owner);
    }
    const credentials = await w.tg.sendText({ from: owner.id, bot: ADMIN_TEST_TOKEN, text: `${username} ${password}` });
    expect((await w.next(owner)).text).toBe(t('admin.servers.testing'));
    expect((await w.next(owner)).text).toContain('nl-1');
    const card = await w.next(owner);
    expect(card.text).toContain('🇳🇱');
    expect(card.text).toContain('0/500');
    const server = (await w.db.repos.servers.findByName('nl-1'))!;
    expect(server).toMatchObject({ panelKind: 'marzban', countryCode: 'NL', capacity: 500, active: true, healthStatus: 'healthy' });
    expect((await w.db.repos.servers.getWithCredentials(server.id))?.credentials).toEqual({ username, password });
    // The message with the password is gone from the chat, and the bot never wrote it back.
    const chat = await w.tg.getMessages({ chatId: owner.id, bot: ADMIN_TEST_TOKEN, sender: 'any' });
    expect(chat.find((m) => m.messageId === credentials.messageId)).toBeUndefined();
    expect(chat.filter((m) => (m.text ?? '').includes(password))).toEqual([]);
    const [row] = (
      await w.db.sequelize.query('SELECT credentials_encrypted::text AS c FROM servers WHERE id = $1', { bind: [server.id] })
    )[0] as { c: string }[];
    expect(row!.c).not.toContain(password);
    const created = (await w.db.repos.auditLog.list({ entity: 'server' }))[0]!;
    expect(created.action).toBe('server.create');
    expect(JSON.stringify(created.data)).not.toContain(password);

    // The go-live: a customer's subscription is placed and provisioned on the new panel.
    const pool = createServerPool({ servers: w.db.repos.servers, retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 } });
    const provisioning = createProvisioningService({ db: w.db, pool });
    const sub = await makeSubscription(w.db.repos);
    const result = await provisioning.provision(sub.id, { reason: 'purchase' });
    expect(result).toMatchObject({ outcome: 'synced', account: { serverId: server.id } });
    expect(marzban.user(`vpn_s${sub.id}`)).toMatchObject({ status: 'active' });

    // Drained: existing accounts stay, a new one finds no server.
    await w.menu(owner);
    await w.open(owner, t('admin.servers.menu'));
    await w.open(owner, '🇳🇱 nl-1');
    const drained = await w.open(owner, t('admin.servers.drain'));
    expect(drained.text).toContain(t('admin.servers.state.draining'));
    expect((await w.db.repos.servers.get(server.id))?.weight).toBe(0);
    await expect(provisioning.provision((await makeSubscription(w.db.repos)).id, { reason: 'purchase' })).rejects.toThrow();
    expect(marzban.user(`vpn_s${sub.id}`)).toMatchObject({ status: 'active' });
    await w.open(owner, t('admin.servers.undrain'));
    const disabled = await w.open(owner, t('admin.servers.disable'));
    expect(disabled.text).toContain(t('admin.servers.state.disabled'));
    expect((await w.db.repos.servers.get(server.id))?.active).toBe(false);
    expect((await w.db.repos.auditLog.list({ entity: 'server' })).map((e) => e.action)).toEqual([
      'server.update',
      'server.update',
      'server.update',
      'server.create',
    ]);
  });

  it('refuses bad input by field and range, and changes nothing', async () => {
    const owner = await w.staff('owner');
    const t = owner.t;
    await w.menu(owner);
    await w.open(owner, t('admin.servers.menu'));
    await w.press(owner, t('admin.servers.add'));
    await w.next(owner);
    await w.press(owner, 'marzban');
    await w.next(owner);
    await w.say(owner, 'ftp://user:pw@panel');
    expect((await w.next(owner)).text).toContain('baseUrl');
    await w.next(owner);
    await w.say(owner, marzban.url);
    await w.next(owner);
    await w.say(owner, '-');
    await w.next(owner);
    await w.say(owner, 'x'.repeat(4000));
    expect((await w.next(owner)).text).toContain('name');
    await w.next(owner);
    await w.say(owner, 'de-1');
    await w.next(owner);
    await w.say(owner, 'Germany');
    expect((await w.next(owner)).text).toContain('countryCode');
    await w.next(owner);
    await w.say(owner, 'DE');
    await w.next(owner);
    await w.say(owner, '0');
    const capacity = (await w.next(owner)).text!;
    expect(capacity).toContain('capacity');
    expect(capacity).toContain('1');
    expect(capacity).toContain('1000000');
    expect(await w.db.repos.servers.findByName('de-1')).toBeNull();
  });

  it('lets support see servers but not change them', async () => {
    const support = await w.staff('support');
    await w.menu(support);
    const list = await w.open(support, support.t('admin.servers.menu'));
    expect(labelsOf(list)).not.toContain(support.t('admin.servers.add'));
    const press = w.pressData(support, 'srv:a');
    expect((await w.tg.waitForCallbackAnswer({ callbackQueryId: press })).text).toBe(support.t('admin.errors.forbidden'));
  });
});
