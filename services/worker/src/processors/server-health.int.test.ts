import { makeSubscription } from '@vpn/db/testing';
import { createLogger } from '@vpn/logger';
import { createServerPool, type ServerPool } from '@vpn/vpn';
import { createMarzbanEmulator, marzbanServerRow, type MarzbanEmulator } from '@vpn/vpn/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { useWorkerHarness } from '../testing/worker-harness.js';

// The worker checks every panel at start and on the server-health schedule; placement follows.
const h = useWorkerHarness({ replicas: 0 });
const emulators: MarzbanEmulator[] = [];
afterAll(() => Promise.all(emulators.map((e) => e.close())));

async function panel(version?: string): Promise<MarzbanEmulator> {
  const emulator = await createMarzbanEmulator();
  if (version) emulator.setVersion(version);
  emulators.push(emulator);
  return emulator;
}

/** A pool like main.ts builds, with short timeouts so a down panel is found fast. */
const testPool = (): ServerPool =>
  createServerPool({ servers: h.db.repos.servers, adapterDeps: { timeoutMs: 500 }, retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 } });

/** A JSON-lines logger whose lines the test reads back. */
function capturedLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger({
    name: 'worker',
    level: 'info',
    destination: { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
  });
  return { logger, lines };
}

const nl = async () => (await h.db.repos.servers.findByName('nl-1'))!;

describe('server health in the worker', () => {
  it('a worker start with one refused server logs it by name, marks it down and still provisions on the good one', async () => {
    const bad = await panel('v1.0.0');
    // Heavier weight: placement would pick it while its health is unknown.
    const badRow = await h.db.repos.servers.create({ name: 'pasarguard-1', countryCode: 'NL', weight: 10, ...marzbanServerRow(bad) });
    const { logger, lines } = capturedLogger();
    await h.startWorker({ serverCheckAtStartTimeoutMs: 5_000 }, { logger, serverHealth: testPool() });

    const refused = lines.find((l) => l.server === 'pasarguard-1');
    expect(refused).toMatchObject({ level: 50, status: 'down', msg: expect.stringContaining('no new accounts are placed on it') });
    expect(refused?.error).toContain('Marzban v1.0.0 is not supported');
    expect(lines.find((l) => l.msg === 'servers checked at start')).toMatchObject({ healthy: 1, down: 1, servers: 2 });
    expect(await h.db.repos.servers.get(badRow.id)).toMatchObject({
      healthStatus: 'down',
      lastError: expect.stringContaining('PasarGuard'),
    });
    expect((await nl()).healthStatus).toBe('healthy');

    const sub = await makeSubscription(h.db.repos, {});
    await h.producers.provisioning.add({ subscriptionId: sub.id, version: 'start', reason: 'purchase' });
    await h.until(async () => (await h.db.repos.vpnAccounts.findBySubscription(sub.id))[0]?.syncState === 'synced', 10_000, 'the account');
    expect((await h.db.repos.subscriptions.get(sub.id))?.serverId).toBe((await nl()).id);
    expect(h.panel.userKeys()).toContain(`vpn_s${sub.id}`);
    expect(bad.userCount()).toBe(0);
    expect(bad.countRequests('POST /api/user')).toBe(0);
  });

  it('the server-health job marks a down panel down, placement avoids it, and it recovers', async () => {
    const de = await panel();
    const deRow = await h.db.repos.servers.create({ name: 'de-1', countryCode: 'DE', weight: 20, ...marzbanServerRow(de) });
    const pool = testPool();
    await h.startWorker({}, { serverHealth: pool });
    const checked = async () => {
      const job = await h.producers.serverHealth.add({});
      return (await job.finished()) as { healthy: number; down: number };
    };
    expect((await h.db.repos.servers.get(deRow.id))?.healthStatus).toBe('healthy');
    expect((await pool.place()).id).toBe(deRow.id);

    de.faults.setUnavailable(true);
    expect(await checked()).toMatchObject({ down: 2 }); // de-1 and the refused panel of the test above
    expect(await h.db.repos.servers.get(deRow.id)).toMatchObject({
      healthStatus: 'down',
      lastError: expect.stringMatching(/failed|socket|ECONN/),
    });
    expect((await pool.place()).id).toBe((await nl()).id);
    const sub = await makeSubscription(h.db.repos, {});
    await h.producers.provisioning.add({ subscriptionId: sub.id, version: 'down', reason: 'purchase' });
    await h.until(async () => (await h.db.repos.vpnAccounts.findBySubscription(sub.id))[0]?.syncState === 'synced', 10_000, 'the account');
    expect((await h.db.repos.subscriptions.get(sub.id))?.serverId).toBe((await nl()).id);

    de.faults.setUnavailable(false);
    expect(await checked()).toMatchObject({ down: 1 });
    expect(await h.db.repos.servers.get(deRow.id)).toMatchObject({ healthStatus: 'healthy', lastError: null });
    expect((await pool.place()).id).toBe(deRow.id);
    // One server only, by id.
    de.faults.setUnavailable(true);
    const one = await h.producers.serverHealth.add({ serverId: deRow.id });
    expect(await one.finished()).toEqual({ healthy: 0, degraded: 0, down: 1 });
  });
});
