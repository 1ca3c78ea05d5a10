import type { Database } from '@vpn/db';
import { probePanel } from '@vpn/vpn';
import { fail, ok, reason, skip, type CheckLine } from './report.js';

/**
 * Every active server of the `servers` table: its panel answers and takes its credentials (the
 * adapter's `connect()`: login and a supported version), then its health. Through the same
 * adapters the worker uses; nothing is written, not even the server's health columns.
 */
export async function checkPanels(db: Database, secrets: string[]): Promise<CheckLine[]> {
  const servers = await db.repos.servers.list();
  const active = servers.filter((s) => s.active);
  if (active.length === 0)
    return [fail('panel', 'no active VPN server: add one in the admin bot (Servers) or the dashboard, it is tested before it is saved')];
  const lines: CheckLine[] = [];
  for (const server of active) {
    const label = `${server.name} (${server.panelKind}, ${server.baseUrl})`;
    let row;
    try {
      row = await db.repos.servers.getWithCredentials(server.id);
    } catch (error) {
      lines.push(fail('panel', `${label}: credentials cannot be read (${reason(error)}): is ENCRYPTION_KEY the one they were saved with?`));
      continue;
    }
    if (!row) continue;
    // Panel credentials are secrets too: an error that quotes one is redacted.
    secrets.push(...Object.values(row.credentials));
    const health = await probePanel(row, { timeoutMs: 10_000 }, { degradedLatencyMs: 2_000 });
    const version = health.version ? `version ${health.version}, ` : '';
    if (health.status === 'down')
      lines.push(fail('panel', `${label}: ${health.error ?? 'down'}: check the address, the credentials and the panel`));
    else
      lines.push(ok('panel', `${label}: logged in, ${version}${health.latencyMs} ms${health.error ? `; degraded: ${health.error}` : ''}`));
  }
  const inactive = servers.length - active.length;
  if (inactive > 0) lines.push(skip('panel', `${inactive} inactive server(s) not checked`));
  return lines;
}
