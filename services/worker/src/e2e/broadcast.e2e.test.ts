import type { User } from '@vpn/db';
import { describe, expect, it } from 'vitest';
import { useE2eHarness } from '../testing/e2e-harness.js';

const h = useE2eHarness();
const TEXT = '📣 e2e';

// The worker process sends a broadcast on the emulator with Telegram's limits on and a 429 storm,
// and is SIGKILLed mid-way; a second worker process resumes it from the rows (the tick every 5 s).
// Nobody gets it twice; every row ends sent, blocked, or failed "in doubt" (a send the dead worker
// had started: at most the sends it had in flight), and each sent row is exactly one message.
describe('a broadcast through worker processes', () => {
  it('survives a 429 storm and a worker killed mid-way', async () => {
    await h.telegram.client.setRateLimits({ global: { burst: 30, perSecond: 30, retryAfter: 3 } });
    const users: User[] = [];
    for (let i = 0; i < 150; i++) users.push(await h.customer());
    const blocked = users.slice(0, 5);
    for (const u of blocked) await h.telegram.client.blockBot({ from: u.telegramId, bot: 'vpn_e2e_bot' });
    const b = await h.db.repos.broadcasts.create({ text: TEXT, audience: {} });
    const total = await h.db.repos.broadcasts.start(b.id, ['draft']);
    await h.telegram.client.injectFault({
      method: 'sendMessage',
      times: 6,
      error: { code: 429, description: 'Too Many Requests: retry after 1', retryAfter: 1 },
    });

    const doomed = await h.startWorker({ BROADCAST_LEASE_MS: '2000' });
    await h.until(async () => ((await h.db.repos.broadcasts.get(b.id))?.sentCount ?? 0) >= 40, 30_000, '40 sent');
    doomed.child.kill('SIGKILL');
    expect((await doomed.exited).signal).toBe('SIGKILL');
    const worker = await h.startWorker({ BROADCAST_LEASE_MS: '2000' });
    await h.until(async () => (await h.db.repos.broadcasts.get(b.id))?.status === 'done', 60_000, 'the broadcast done');
    await worker.stop();

    const done = await h.db.repos.broadcasts.get(b.id);
    const rows = await h.db.repos.broadcasts.listDeliveries(b.id);
    expect(rows).toHaveLength(total ?? -1);
    expect(rows.filter((r) => r.status === 'pending')).toEqual([]);
    const got = new Map<number, number>();
    for (const u of users) got.set(u.id, (await h.messagesTo(u)).filter((t) => t === TEXT).length);
    expect([...got.values()].filter((n) => n > 1)).toEqual([]);
    for (const row of rows) {
      if (row.status === 'sent') expect(got.get(row.userId)).toBe(1);
      if (row.status === 'blocked') expect(blocked.map((u) => u.id)).toContain(row.userId);
      if (row.status === 'failed') expect(row.error).toMatch(/^in doubt/);
    }
    expect(rows.filter((r) => r.status === 'blocked')).toHaveLength(5);
    expect(rows.filter((r) => r.status === 'failed').length).toBeLessThanOrEqual(8);
    expect(done).toMatchObject({
      sentCount: rows.filter((r) => r.status === 'sent').length,
      blockedCount: 5,
      failedCount: rows.filter((r) => r.status === 'failed').length,
    });
  });
});
