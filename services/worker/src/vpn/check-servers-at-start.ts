import type { Database } from '@vpn/db';
import type { Logger } from '@vpn/logger';
import { logProbes, type ServerHealthChecker } from '../processors/server-health.processor.js';

/**
 * Probes every active panel once at start-up (login and version check included), so a server
 * whose panel refuses us — an unsupported version, wrong credentials, unreachable — is marked
 * down before the first job could place a customer on it, and says so in the log by name.
 *
 * Never fails the start: the other servers must keep working. Waits at most `timeoutMs`; a
 * slower round of probes goes on in the background and still records what it finds.
 */
export async function checkServersAtStart(
  deps: { serverHealth: ServerHealthChecker; db: Pick<Database, 'repos'>; logger: Logger },
  options: { timeoutMs: number },
): Promise<void> {
  const log = deps.logger.child({ step: 'server-check-at-start' });
  const run = (async () => {
    const names = new Map((await deps.db.repos.servers.list()).map((s) => [s.id, s.name]));
    const probes = await deps.serverHealth.checkAll();
    log.info({ ...logProbes(probes, log, names), servers: probes.length }, 'servers checked at start');
  })().catch((err: unknown) => log.error({ err }, 'servers could not be checked at start; the schedule retries'));
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), options.timeoutMs);
  });
  const first = await Promise.race([run.then(() => 'done' as const), timeout]);
  clearTimeout(timer);
  if (first === 'timeout') log.warn({ timeoutMs: options.timeoutMs }, 'server checks still running at start; taking jobs meanwhile');
}
