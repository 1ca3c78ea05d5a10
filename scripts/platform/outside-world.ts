import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createEmulator, type Emulator } from '@vpn/telegram-emulator';
import { createMarzbanEmulator, type MarzbanEmulator } from '@vpn/vpn/testing';
import { createYooKassaEmulator, type YooKassaEmulator } from '@vpn/payments/testing';
import type { Logger } from '@vpn/logger';

/**
 * Stand-ins for everything outside the platform: Telegram, a Marzban panel and YooKassa. They run
 * in this process (the sandbox launcher or a test), the platform's own processes talk to them over
 * HTTP exactly as they would to the real services.
 */
export interface OutsideWorld {
  telegram: Emulator;
  marzban: MarzbanEmulator;
  yookassa: YooKassaEmulator;
  clientBotToken: string;
  close(): Promise<void>;
}

export interface OutsideWorldOptions {
  logger?: Logger;
  /** Fixed ports for the sandbox (so a developer can bookmark them); 0 = any free port. */
  telegramPort?: number;
  panelPort?: number;
  yookassaPort?: number;
  /**
   * Where the panel emulator keeps its accounts between runs (the sandbox's `.sandbox`), so a
   * customer's link works after a restart; absent = in memory only (tests).
   */
  stateDir?: string;
  /** Telegram's real flood limits by default; tests that flood on purpose may turn them off. */
  telegramRateLimits?: boolean;
}

/** The bot token the sandbox uses; it only ever reaches the emulator. */
export const SANDBOX_CLIENT_BOT_TOKEN = '7000000001:SANDBOX-client-bot-token-0000000000';

export async function startOutsideWorld(options: OutsideWorldOptions = {}): Promise<OutsideWorld> {
  const telegram = await createEmulator({
    port: options.telegramPort ?? 0,
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.telegramRateLimits === false ? { rateLimits: false as const } : {}),
    bots: [{ token: SANDBOX_CLIENT_BOT_TOKEN, username: 'vpn_sandbox_bot', firstName: 'VPN' }],
  });
  const panelState = options.stateDir ? join(options.stateDir, 'panel-marzban.json') : undefined;
  const marzban = await createMarzbanEmulator({
    ...(options.panelPort ? { port: options.panelPort } : {}),
    ...(panelState ? { state: readState(panelState) } : {}),
  }).catch((error: unknown) => {
    void telegram.close();
    throw error;
  });
  const yookassa = await createYooKassaEmulator({ port: options.yookassaPort ?? 0 }).catch((error: unknown) => {
    void Promise.allSettled([telegram.close(), marzban.close()]);
    throw error;
  });
  // Written every few seconds and at close: a crash loses at most the last seconds of changes.
  const persist = panelState ? persister(panelState, () => marzban.saveState?.()) : undefined;
  return {
    telegram,
    marzban,
    yookassa,
    clientBotToken: SANDBOX_CLIENT_BOT_TOKEN,
    async close() {
      persist?.stop();
      await Promise.allSettled([telegram.close(), marzban.close(), yookassa.close()]);
    },
  };
}

function readState(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}

function persister(file: string, save: () => unknown): { stop(): void } {
  mkdirSync(join(file, '..'), { recursive: true });
  let last = '';
  const write = (): void => {
    const json = JSON.stringify(save());
    if (json === last) return;
    // Through a temporary file: a crash mid-write never leaves half a state behind.
    writeFileSync(`${file}.tmp`, json, { mode: 0o600 });
    renameSync(`${file}.tmp`, file);
    last = json;
  };
  const timer = setInterval(write, 2_000);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      write();
    },
  };
}
