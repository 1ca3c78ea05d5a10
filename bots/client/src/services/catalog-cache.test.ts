import type { FaqItem, Plan } from '@vpn/db';
import { describe, expect, it } from 'vitest';
import { createCatalogCache } from './catalog-cache.js';

const plan = (id: number) => ({ id, code: `p${id}` }) as Plan;

function fakeRepos() {
  const calls = { listActive: 0, get: 0, faq: 0 };
  let fail = false;
  let plans = [plan(1)];
  return {
    calls,
    setPlans: (p: Plan[]) => void (plans = p),
    failNext: () => void (fail = true),
    plans: {
      listActive: async () => {
        calls.listActive++;
        if (fail) {
          fail = false;
          throw new Error('database down');
        }
        return plans;
      },
      get: async (id: number) => {
        calls.get++;
        return plans.find((p) => p.id === id) ?? null;
      },
    },
    faq: {
      listActive: async () => {
        calls.faq++;
        return [] as FaqItem[];
      },
    },
  };
}

describe('catalog cache', () => {
  it('reads the plans once per ttl, then again', async () => {
    let t = 0;
    const repos = fakeRepos();
    const cache = createCatalogCache({ plans: repos.plans, faq: repos.faq, ttlMs: 1_000, now: () => t });
    expect(await cache.plans()).toEqual([plan(1)]);
    repos.setPlans([plan(1), plan(2)]);
    t = 999;
    expect(await cache.plans()).toEqual([plan(1)]);
    t = 1_000;
    expect(await cache.plans()).toEqual([plan(1), plan(2)]);
    expect(repos.calls.listActive).toBe(2);
  });

  it('shares one read between concurrent misses and keeps plans apart by id', async () => {
    const repos = fakeRepos();
    repos.setPlans([plan(1), plan(2)]);
    const cache = createCatalogCache({ plans: repos.plans, faq: repos.faq, now: () => 0 });
    const [a, b, c] = await Promise.all([cache.plan(1), cache.plan(1), cache.plan(2)]);
    expect([a?.id, b?.id, c?.id]).toEqual([1, 1, 2]);
    expect(repos.calls.get).toBe(2);
    await Promise.all([cache.faq(), cache.faq()]);
    expect(repos.calls.faq).toBe(1);
  });

  it('does not keep a failed read', async () => {
    const repos = fakeRepos();
    const cache = createCatalogCache({ plans: repos.plans, faq: repos.faq, now: () => 0 });
    repos.failNext();
    await expect(cache.plans()).rejects.toThrow('database down');
    expect(await cache.plans()).toEqual([plan(1)]);
    expect(repos.calls.listActive).toBe(2);
  });
});
