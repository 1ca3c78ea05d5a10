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
  yookassaPort?: number;
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
  const marzban = await createMarzbanEmulator({});
  const yookassa = await createYooKassaEmulator({ port: options.yookassaPort ?? 0 });
  return {
    telegram,
    marzban,
    yookassa,
    clientBotToken: SANDBOX_CLIENT_BOT_TOKEN,
    async close() {
      await Promise.allSettled([telegram.close(), marzban.close(), yookassa.close()]);
    },
  };
}
