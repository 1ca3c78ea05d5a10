import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useApiHarness } from '../testing/harness.js';

const h = useApiHarness();
const idsOf = (res: { body: { items: Array<{ id: number }> } }) => res.body.items.map((u) => u.id);

describe('customers over the admin API', () => {
  it('extends through the back office: the change, and an audit row naming the admin', async () => {
    const session = await h.signIn('support');
    const user = await h.customer();
    const res = await h.call(session, 'POST', `/api/users/${user.id}/extend`, { days: 7, reason: 'outage' });
    expect(res.status).toBe(200);
    const [sub] = await h.db.repos.subscriptions.listByUser(user.id);
    expect(sub!.endsAt!.getTime() - h.clock.now().getTime()).toBeGreaterThanOrEqual(7 * 86_400_000 - 1_000);
    const card = await h.call(session, 'GET', `/api/users/${user.id}`);
    expect(card.status).toBe(200);
    expect(card.body.audit).toEqual([expect.objectContaining({ action: 'customer.extend', actorKind: 'admin', actorId: session.adminId })]);
    expect(card.body.subscriptions).toHaveLength(1);
  });

  it('refuses every role without the permission, and changes nothing', async () => {
    const user = await h.customer();
    for (const role of ['finance', 'marketing', 'viewer'] as const) {
      const session = await h.signIn(role);
      const res = await h.call(session, 'POST', `/api/users/${user.id}/extend`, { days: 7 });
      expect(res, role).toMatchObject({ status: 403, body: { error: 'forbidden' } });
    }
    const marketing = await h.signIn('marketing');
    expect((await h.call(marketing, 'POST', `/api/users/${user.id}/block`, { reason: 'spam' })).status).toBe(403);
    expect(await h.db.repos.subscriptions.listByUser(user.id)).toEqual([]);
    expect((await h.db.repos.users.findById(user.id))!.blocked).toBe(false);
    expect(await h.db.repos.auditLog.list({ entity: 'user', entityId: String(user.id) })).toEqual([]);
    // Signed out: 401 before anything else.
    expect((await h.call(null, 'GET', `/api/users/${user.id}`)).status).toBe(401);
  });

  it('answers bad input with the field and changes nothing', async () => {
    const session = await h.signIn('owner');
    const user = await h.customer();
    for (const days of [0, -1, 3_651, 1.5, '7', null]) {
      const res = await h.call(session, 'POST', `/api/users/${user.id}/extend`, { days });
      expect(res, String(days)).toMatchObject({ status: 422, body: { error: 'invalid_input', field: 'days' } });
    }
    expect((await h.call(session, 'POST', `/api/users/${user.id}/extend`, { days: 3, reason: 'x'.repeat(501) })).body.field).toBe('reason');
    expect((await h.call(session, 'POST', `/api/users/abc/extend`, { days: 3 })).body.field).toBe('id');
    expect((await h.call(session, 'POST', `/api/users/${user.id}/extend`, '{"days": 3')).status).toBe(400);
    expect(
      (await h.call(session, 'POST', `/api/users/${user.id}/message`, { text: 'x'.repeat(70_000), requestId: randomUUID() })).status,
    ).toBe(413);
    expect((await h.call(session, 'POST', `/api/users/${user.id + 1000}/extend`, { days: 3 })).status).toBe(404);
    expect(await h.db.repos.subscriptions.listByUser(user.id)).toEqual([]);
  });

  it('lists by segment with paging, and searches', async () => {
    const session = await h.signIn('viewer');
    const users = [];
    for (let i = 0; i < 5; i++) users.push(await h.customer({ username: `page_user_${i}` }));
    const blocker = await h.signIn('owner');
    await h.call(blocker, 'POST', `/api/users/${users[1]!.id}/block`, { reason: 'fraud' });
    const page1 = await h.call(session, 'GET', '/api/users?limit=2');
    expect(idsOf(page1)).toEqual([users[4]!.id, users[3]!.id]);
    const page2 = await h.call(session, 'GET', `/api/users?limit=2&before=${page1.body.next}`);
    expect(idsOf(page2)).toEqual([users[2]!.id, users[1]!.id]);
    const blocked = await h.call(session, 'GET', '/api/users?segment=blocked');
    expect(idsOf(blocked)).toEqual([users[1]!.id]);
    const found = await h.call(session, 'GET', '/api/users?q=%40page_user_3');
    expect(idsOf(found)).toEqual([users[3]!.id]);
    // `_` is a literal in a search, not a wildcard.
    expect((await h.call(session, 'GET', '/api/users?q=page%5Fuser%5F')).body.items).toHaveLength(5);
    expect((await h.call(session, 'GET', '/api/users?q=pageXuser')).body.items).toHaveLength(0);
    expect((await h.call(session, 'GET', '/api/users?segment=nonsense')).body.field).toBe('segment');
  });
});
