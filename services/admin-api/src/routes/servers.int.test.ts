import { createMarzbanEmulator, type MarzbanEmulator } from '@vpn/vpn/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useApiHarness } from '../testing/harness.js';

const h = useApiHarness();

describe('servers and staff over the admin API', () => {
  let marzban: MarzbanEmulator;
  beforeAll(async () => {
    marzban = await createMarzbanEmulator({});
  });
  afterAll(async () => {
    await marzban.close();
  });

  const draft = (password: string) => ({
    name: 'de-1',
    panelKind: 'marzban',
    baseUrl: marzban.url,
    credentials: { username: marzban.credentials.username, password },
    settings: { subscriptionBaseUrl: marzban.url },
    countryCode: 'de',
    capacity: 500,
  });

  it('tests, refuses a panel that does not answer, adds one that does, and never returns its credentials', async () => {
    const owner = await h.signIn('owner');
    const wrong = await h.call(owner, 'POST', '/api/servers/test', draft('wrong-password'));
    expect(wrong.status).toBe(200);
    expect(wrong.body.status).toBe('down');
    expect((await h.call(owner, 'POST', '/api/servers', draft('wrong-password'))).body).toMatchObject({ error: 'panel_failed' });
    expect(await h.db.repos.servers.findByName('de-1')).toBeNull();

    const added = await h.call(owner, 'POST', '/api/servers', draft(marzban.credentials.password));
    expect(added.status).toBe(201);
    expect(added.body.server).toMatchObject({ name: 'de-1', countryCode: 'DE', capacity: 500, active: true });
    const list = await h.call(owner, 'GET', '/api/servers');
    expect((list.body.items as Array<{ name: string }>).map((s) => s.name)).toEqual(['de-1']);
    const raw = JSON.stringify([added.body, list.body, (await h.call(owner, 'GET', `/api/servers/${added.body.server.id}`)).body]);
    expect(raw).not.toContain(marzban.credentials.password);
    expect(raw).not.toContain('credentials');
    const [entry] = await h.db.repos.auditLog.list({ entity: 'server', entityId: String(added.body.server.id) });
    expect(entry).toMatchObject({ action: 'server.create', actorId: owner.adminId });
    expect(JSON.stringify(entry)).not.toContain(marzban.credentials.password);

    // Drain, then a duplicate name and bad input are refused with the field.
    const drained = await h.call(owner, 'PATCH', `/api/servers/${added.body.server.id}`, { weight: 0 });
    expect(drained.body).toMatchObject({ weight: 0 });
    expect((await h.call(owner, 'POST', '/api/servers', draft(marzban.credentials.password))).body).toMatchObject({
      error: 'duplicate',
      field: 'name',
    });
    expect((await h.call(owner, 'PATCH', `/api/servers/${added.body.server.id}`, { weight: 1001 })).body.field).toBe('weight');
    expect((await h.call(owner, 'PATCH', '/api/servers/99999', { active: false })).status).toBe(404);
  });

  it('lets a viewer read servers but not change them, and only the owner manage staff', async () => {
    const viewer = await h.signIn('viewer');
    expect((await h.call(viewer, 'GET', '/api/servers')).status).toBe(200);
    expect((await h.call(viewer, 'POST', '/api/servers', draft(marzban.credentials.password))).status).toBe(403);
    expect(await h.db.repos.servers.findByName('de-1')).toBeNull();

    const admin = await h.signIn('admin');
    expect((await h.call(admin, 'GET', '/api/admins')).status).toBe(200);
    expect((await h.call(admin, 'PUT', '/api/admins/555000111', { role: 'support' })).status).toBe(403);
    expect(await h.db.repos.admins.findByTelegramId(555000111)).toBeNull();

    const owner = await h.signIn('owner');
    const added = await h.call(owner, 'PUT', '/api/admins/555000111', { role: 'support', name: 'Kate' });
    expect(added.body).toMatchObject({ telegramId: 555000111, role: 'support', active: true, name: 'Kate' });
    expect((await h.call(owner, 'PUT', '/api/admins/555000111', { role: 'janitor' })).body.field).toBe('role');
    const removed = await h.call(owner, 'DELETE', `/api/admins/${added.body.id}`);
    expect(removed.body).toMatchObject({ active: false });
    const actions = (await h.db.repos.auditLog.list({ entity: 'admin', entityId: String(added.body.id) })).map((e) => e.action);
    expect(actions).toEqual(['admin.remove', 'admin.create']);
    // The last owner cannot remove themselves; other owners exist here (signIn made them), so remove all but one first.
    const owners = (await h.db.repos.admins.list()).filter((a) => a.active && a.role === 'owner');
    for (const other of owners.filter((a) => a.id !== owner.adminId))
      expect((await h.call(owner, 'DELETE', `/api/admins/${other.id}`)).status).toBe(200);
    expect((await h.call(owner, 'DELETE', `/api/admins/${owner.adminId}`)).body).toMatchObject({ error: 'not_allowed' });
  });
});
