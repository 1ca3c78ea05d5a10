import type { Database } from '@vpn/db';
import { afterEach, beforeEach } from 'vitest';
import { createServerPool, type ServerPool } from '../pool/server-pool.js';
import { create3xuiEmulator, type XuiEmulator } from './3x-ui/xui.emulator.js';
import { createMarzbanEmulator, type MarzbanEmulator } from './marzban/marzban.emulator.js';

/**
 * Fresh Marzban and 3x-ui emulators for every test (like the fresh schema: no state leaks),
 * closed after it. For this package's int tests; not exported (it registers vitest hooks).
 */
export function usePanelEmulators(): { marzban: () => MarzbanEmulator; xui: () => XuiEmulator } {
  let marzban: MarzbanEmulator | undefined;
  let xui: XuiEmulator | undefined;
  beforeEach(async () => {
    [marzban, xui] = await Promise.all([createMarzbanEmulator(), create3xuiEmulator()]);
  });
  afterEach(async () => {
    await Promise.all([marzban?.close(), xui?.close()]);
  });
  const get = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('usePanelEmulators(): only inside tests');
    return value;
  };
  return { marzban: () => get(marzban), xui: () => get(xui) };
}

/** A pool with short timeouts and no retries, so a failing panel fails the call at once. */
export function testPool(db: Pick<Database, 'repos'>): ServerPool {
  return createServerPool({
    servers: db.repos.servers,
    adapterDeps: { timeoutMs: 500 },
    retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
  });
}
