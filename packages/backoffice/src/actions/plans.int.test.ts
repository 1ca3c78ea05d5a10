import { describe, expect, it } from 'vitest';
import { refusal, useBackofficeHarness } from '../testing/index.js';

const DRAFT = { code: 'w1', title: { ru: 'Неделя', en: 'A week' }, durationDays: 7, priceMinor: 9_900, priceStars: 80 };

describe('plans: create, edit, order, each checked and audited', () => {
  const h = useBackofficeHarness();

  it('creates a plan hidden and last, edits its price, period and limits, and audits both', async () => {
    const owner = await h.actor('owner');
    const first = await h.plan({ code: 'first' });
    const plan = await h.backoffice.plans.create(owner, DRAFT);
    expect(plan).toMatchObject({ code: 'w1', currency: 'RUB', active: false, priceStars: 80, deviceLimit: null });
    expect(plan.sortOrder).toBeGreaterThan(first.sortOrder);
    const edited = await h.backoffice.plans.update(owner, {
      planId: plan.id,
      priceMinor: 12_900,
      priceStars: null,
      durationDays: 10,
      trafficLimitBytes: 50 * 1024 ** 3,
      deviceLimit: 2,
      resetTrafficOnRenew: false,
      active: true,
    });
    expect(edited).toMatchObject({ priceMinor: 12_900, priceStars: null, durationDays: 10, deviceLimit: 2, active: true });
    expect(edited.trafficLimitBytes).toBe(50 * 1024 ** 3);
    const entries = await h.db.repos.auditLog.list({ entity: 'plan', entityId: String(plan.id) });
    expect(entries.map((e) => e.action).sort()).toEqual(['plan.create', 'plan.update']);
    const update = entries.find((e) => e.action === 'plan.update')!;
    expect(update).toMatchObject({ actorId: owner.adminId });
    expect(update.data).toMatchObject({ before: { priceMinor: 9_900, active: false }, after: { priceMinor: 12_900, active: true } });
  });

  it('refuses bad input by field and range, a taken code, and roles without plans:write; nothing is written', async () => {
    const owner = await h.actor('owner');
    const plan = await h.plan({ code: 'taken' });
    const update = (patch: Record<string, unknown>) => refusal(h.backoffice.plans.update(owner, { planId: plan.id, ...patch }));
    expect(await update({ priceMinor: 0 })).toBe('INVALID_INPUT:priceMinor');
    expect(await update({ priceMinor: 1e12 })).toBe('INVALID_INPUT:priceMinor');
    expect(await update({ priceMinor: 1.5 })).toBe('INVALID_INPUT:priceMinor');
    expect(await update({ priceStars: -1 })).toBe('INVALID_INPUT:priceStars');
    expect(await update({ durationDays: 0 })).toBe('INVALID_INPUT:durationDays');
    expect(await update({ deviceLimit: 101 })).toBe('INVALID_INPUT:deviceLimit');
    expect(await update({ title: { ru: 'x'.repeat(65), en: 'x' } })).toBe('INVALID_INPUT:title.ru');
    expect(await refusal(h.backoffice.plans.create(owner, { ...DRAFT, code: 'TAKEN' }))).toBe('DUPLICATE:code');
    expect(await refusal(h.backoffice.plans.create(owner, { ...DRAFT, code: 'a b' }))).toBe('INVALID_INPUT:code');
    expect(await refusal(h.backoffice.plans.update(owner, { planId: 999_999, priceMinor: 100 }))).toBe('NOT_FOUND:planId');
    for (const role of ['finance', 'support', 'marketing', 'viewer'] as const) {
      const actor = await h.actor(role);
      expect(await refusal(h.backoffice.plans.update(actor, { planId: plan.id, priceMinor: 100 }))).toBe('FORBIDDEN');
      expect(await refusal(h.backoffice.plans.create(actor, DRAFT))).toBe('FORBIDDEN');
      expect(await refusal(h.backoffice.plans.move(actor, { planId: plan.id, direction: 'up' }))).toBe('FORBIDDEN');
    }
    expect(await h.db.repos.plans.get(plan.id)).toEqual(plan);
    expect(await h.db.repos.auditLog.list()).toEqual([]);
  });

  it('moves a plan up and down the list, even among equal sort orders; at an end nothing moves', async () => {
    const admin = await h.actor('admin');
    const [a, b, c] = [
      await h.plan({ code: 'a', sortOrder: 5 }),
      await h.plan({ code: 'b', sortOrder: 5 }),
      await h.plan({ code: 'c', sortOrder: 5 }),
    ];
    const codes = async () => (await h.db.repos.plans.listAll()).map((p) => p.code);
    expect(await codes()).toEqual(['a', 'b', 'c']);
    await h.backoffice.plans.move(admin, { planId: c.id, direction: 'up' });
    expect(await codes()).toEqual(['a', 'c', 'b']);
    await h.backoffice.plans.move(admin, { planId: a.id, direction: 'down' });
    expect(await codes()).toEqual(['c', 'a', 'b']);
    await h.backoffice.plans.move(admin, { planId: b.id, direction: 'down' });
    expect(await codes()).toEqual(['c', 'a', 'b']);
    const moves = await h.db.repos.auditLog.list({ entity: 'plan' });
    expect(moves.map((e) => e.action)).toEqual(['plan.reorder', 'plan.reorder']);
    expect(moves.find((e) => e.entityId === String(c.id))!.data).toMatchObject({
      before: { order: ['a', 'b', 'c'] },
      after: { order: ['a', 'c', 'b'] },
    });
    expect(await refusal(h.backoffice.plans.move(admin, { planId: b.id, direction: 'left' as 'up' }))).toBe('INVALID_INPUT:direction');
  });
});
