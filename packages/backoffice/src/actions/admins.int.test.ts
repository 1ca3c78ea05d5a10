import { describe, expect, it } from 'vitest';
import { bootstrapOwners, loadActor } from '../index.js';
import { refusal, useBackofficeHarness } from '../testing/index.js';

describe('staff management', () => {
  const h = useBackofficeHarness();

  it('ADMIN_IDS make owners only while no owner exists, audited as the system', async () => {
    const made = await bootstrapOwners(h.db, [111_000_111, 222_000_222]);
    expect(made.map((a) => [a.telegramId, a.role])).toEqual([
      [111_000_111, 'owner'],
      [222_000_222, 'owner'],
    ]);
    expect(await bootstrapOwners(h.db, [333_000_333])).toEqual([]);
    expect(await loadActor(h.db, 333_000_333)).toBeNull();
    const entries = await h.db.repos.auditLog.list({ actorKind: 'system' });
    expect(entries.map((e) => e.action)).toEqual(['admin.bootstrap', 'admin.bootstrap']);
  });

  it('an owner adds staff, changes roles and removes them; the actor follows at once; the last owner stays', async () => {
    const [owner] = await bootstrapOwners(h.db, [444_000_444]);
    const actor = (await loadActor(h.db, owner!.telegramId))!;
    expect(actor).toMatchObject({ kind: 'admin', adminId: owner!.id, role: 'owner' });
    const added = await h.backoffice.admins.save(actor, { telegramId: 555_000_555, role: 'finance', name: 'Olga' });
    expect((await loadActor(h.db, 555_000_555))?.role).toBe('finance');
    await h.backoffice.admins.save(actor, { telegramId: 555_000_555, role: 'marketing' });
    expect((await loadActor(h.db, 555_000_555))?.role).toBe('marketing');
    await h.backoffice.admins.remove(actor, { adminId: added.id });
    expect(await loadActor(h.db, 555_000_555)).toBeNull();
    expect(await refusal(h.backoffice.admins.remove(actor, { adminId: owner!.id }))).toBe('NOT_ALLOWED:adminId');
    expect(await refusal(h.backoffice.admins.save(actor, { telegramId: owner!.telegramId, role: 'admin' }))).toBe('NOT_ALLOWED:adminId');
    expect(await refusal(h.backoffice.admins.save(actor, { telegramId: 1, role: 'god' as never }))).toBe('INVALID_INPUT:role');
    const actions = (await h.db.repos.auditLog.list({ entity: 'admin' })).map((e) => e.action);
    expect(actions).toEqual(['admin.remove', 'admin.update', 'admin.create', 'admin.bootstrap']);
  });

  it('the audit log is append-only in the database itself', async () => {
    const actor = await h.actor('owner');
    await h.backoffice.customers.extend(actor, { userId: (await h.customer()).id, days: 1 });
    await expect(h.db.sequelize.query('UPDATE audit_log SET action = $1', { bind: ['forged'] })).rejects.toThrow(/append-only/);
    await expect(h.db.sequelize.query('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
    expect((await h.db.repos.auditLog.list()).map((e) => e.action)).toEqual(['customer.extend']);
  });
});
