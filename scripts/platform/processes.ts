import type { Env } from '@vpn/config';

/**
 * One of the platform's own processes as the launcher starts it. To add a process (a bot, a
 * service), add an entry to {@link PLATFORM_PROCESSES}: the launcher, the sandbox and the
 * end-to-end harness all start from this list.
 */
export interface PlatformProcess {
  readonly name: string;
  /** Entry point relative to the repository root. */
  readonly entry: string;
  /** How the launcher learns it is ready: `health` = a HEALTH_PORT of its own (the ops port) answering /healthz. */
  readonly ready: 'health';
  /** Started only when this holds for the environment (e.g. its bot token is set); default always. */
  readonly when?: (env: Env) => boolean;
}

/** Started in this order (the bots last: they need the others); stopped in reverse. */
export const PLATFORM_PROCESSES = [
  { name: 'webhooks', entry: 'services/webhooks/src/main.ts', ready: 'health' },
  { name: 'worker', entry: 'services/worker/src/main.ts', ready: 'health' },
  { name: 'admin-api', entry: 'services/admin-api/src/main.ts', ready: 'health' },
  { name: 'client-bot', entry: 'bots/client/src/main.ts', ready: 'health' },
  // The staff forum's bot, when there is a staff forum.
  {
    name: 'support-bot',
    entry: 'bots/support/src/main.ts',
    ready: 'health',
    when: (env: Env) => Boolean(env.SUPPORT_BOT_TOKEN && env.SUPPORT_CHAT_ID),
  },
  // The sandbox gives it a token (`npm start`); for real it runs once ADMIN_BOT_TOKEN is set.
  { name: 'admin-bot', entry: 'bots/admin/src/main.ts', ready: 'health', when: (env: Env) => Boolean(env.ADMIN_BOT_TOKEN) },
] as const satisfies readonly PlatformProcess[];

export type ServiceName = (typeof PLATFORM_PROCESSES)[number]['name'];
export const SERVICE_NAMES: readonly ServiceName[] = PLATFORM_PROCESSES.map((p) => p.name);

export function processNamed(name: ServiceName): PlatformProcess {
  return PLATFORM_PROCESSES.find((p) => p.name === name)!;
}
