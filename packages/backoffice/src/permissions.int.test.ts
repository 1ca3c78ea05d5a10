import type { AdminRole } from '@vpn/db';
import { makePayment, makeServer } from '@vpn/db/testing';
import { describe, expect, it } from 'vitest';
import type { Actor } from './actor.js';
import { can, type Permission } from './permissions.js';
import { newRequestId, refusal, useBackofficeHarness, type BackofficeHarness } from './testing/index.js';

const ROLES: AdminRole[] = ['owner', 'admin', 'finance', 'support', 'marketing', 'viewer'];

/** Every action with the permission it needs, called on real rows. */
function actions(h: BackofficeHarness, ids: { userId: number; paymentId: string; planId: number; serverId: number }) {
  const { customers, payments, admins, plans, promo } = h.backoffice;
  const { userId } = ids;
  return [
    ['customers:extend', (a: Actor) => customers.extend(a, { userId, days: 1 })],
    ['customers:shorten', (a: Actor) => customers.shorten(a, { userId, days: 1 })],
    ['customers:grant_plan', (a: Actor) => customers.grantPlan(a, { userId, planId: ids.planId, days: 1 })],
    ['customers:block', (a: Actor) => customers.block(a, { userId, reason: 'x' })],
    ['customers:block', (a: Actor) => customers.unblock(a, { userId })],
    ['customers:reissue', (a: Actor) => customers.reissueKey(a, { userId, requestId: newRequestId() })],
    ['customers:reset_traffic', (a: Actor) => customers.resetTraffic(a, { userId, requestId: newRequestId() })],
    ['customers:move', (a: Actor) => customers.moveToServer(a, { userId, serverId: ids.serverId })],
    ['customers:reset_trial', (a: Actor) => customers.resetTrial(a, { userId })],
    ['customers:message', (a: Actor) => customers.message(a, { userId, text: 'hi', requestId: newRequestId() })],
    [
      'customers:adjust_balance',
      (a: Actor) => customers.adjustBalance(a, { userId, amountMinor: 100, reason: 'x', requestId: newRequestId() }),
    ],
    ['payments:refund', (a: Actor) => payments.refund(a, { paymentId: ids.paymentId, requestId: newRequestId() })],
    ['admins:write', (a: Actor) => admins.save(a, { telegramId: 12345, role: 'viewer' })],
    ['plans:write', (a: Actor) => plans.create(a, { code: 'new', title: { ru: 'x', en: 'x' }, durationDays: 1, priceMinor: 100 })],
    ['plans:write', (a: Actor) => plans.update(a, { planId: ids.planId, priceMinor: 100 })],
    ['plans:write', (a: Actor) => plans.move(a, { planId: ids.planId, direction: 'up' })],
    ['promo:write', (a: Actor) => promo.create(a, { kind: 'days', value: 1 })],
    ['promo:write', (a: Actor) => promo.createBatch(a, { prefix: 'X', count: 1, kind: 'days', value: 1 })],
  ] as const satisfies ReadonlyArray<readonly [Permission, (a: Actor) => Promise<unknown>]>;
}

describe('every action refuses every role without its permission, and writes nothing', () => {
  const h = useBackofficeHarness();

  it.each(ROLES)('%s', async (role) => {
    const actor = await h.actor(role);
    const user = await h.customer();
    const payment = await makePayment(h.db.repos, { userId: user.id });
    await h.db.repos.payments.transition(payment.id, 'succeeded');
    const ids = { userId: user.id, paymentId: payment.id, planId: (await h.plan()).id, serverId: (await makeServer(h.db.repos)).id };
    let refused = 0;
    for (const [permission, act] of actions(h, ids)) {
      if (can(actor, permission)) continue;
      expect(await refusal(act(actor)), `${role} ${permission}`).toBe('FORBIDDEN');
      refused++;
    }
    expect(await h.db.repos.auditLog.list()).toEqual([]);
    expect(await h.drainOutbox()).toEqual([]);
    expect((await h.db.repos.payments.get(payment.id))!.status).toBe('succeeded');
    // The table as documented: owners may do everything, viewers nothing that writes.
    expect(refused).toBe({ owner: 0, admin: 1, finance: 16, support: 10, marketing: 16, viewer: 18 }[role]);
  });
});
