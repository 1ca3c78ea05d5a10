import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createEmulator, type Emulator } from '@vpn/telegram-emulator';
import { createMarzbanEmulator, type MarzbanEmulator } from '@vpn/vpn/testing';
import {
  createCryptoPayEmulator,
  createHeleketEmulator,
  createPlategaEmulator,
  createSeverpayEmulator,
  createXRocketEmulator,
  createWataEmulator,
  createYooKassaEmulator,
  type CryptoPayEmulator,
  type HeleketEmulator,
  type PlategaEmulator,
  type SeverpayEmulator,
  type XRocketEmulator,
  type WataEmulator,
  type YooKassaEmulator,
} from '@vpn/payments/testing';
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
  cryptopay: CryptoPayEmulator;
  wata: WataEmulator;
  heleket: HeleketEmulator;
  platega: PlategaEmulator;
  xrocket: XRocketEmulator;
  severpay: SeverpayEmulator;
  /** The payment methods the sandbox's bot offers, in order (PAYMENT_PROVIDERS). */
  providers: readonly SandboxProvider[];
  clientBotToken: string;
  /** The support bot and its staff forum (both bots admins with every right they need). */
  supportBotToken: string;
  supportChatId: number;
  /** A staff member of the forum (an admin), to play support staff. */
  staffUserId: number;
  adminBotToken: string;
  close(): Promise<void>;
}

export interface OutsideWorldOptions {
  logger?: Logger;
  /** Fixed ports for the sandbox (so a developer can bookmark them); 0 = any free port. */
  telegramPort?: number;
  panelPort?: number;
  yookassaPort?: number;
  cryptopayPort?: number;
  wataPort?: number;
  heleketPort?: number;
  plategaPort?: number;
  xrocketPort?: number;
  severpayPort?: number;
  /** Payment methods offered (every one has its emulator); default YooKassa and Stars. */
  providers?: readonly SandboxProvider[];
  /**
   * Where the panel emulator keeps its accounts between runs (the sandbox's `.sandbox`), so a
   * customer's link works after a restart; absent = in memory only (tests).
   */
  stateDir?: string;
  /** Telegram's real flood limits by default; tests that flood on purpose may turn them off. */
  telegramRateLimits?: boolean;
}

/** Every payment provider the project supports; each has an emulator with a pay page (Stars: the Telegram emulator). */
export const SANDBOX_PROVIDERS = ['yookassa', 'cryptopay', 'wata', 'stars', 'heleket', 'platega', 'xrocket', 'severpay'] as const;
export type SandboxProvider = (typeof SANDBOX_PROVIDERS)[number];

/** The bot token the sandbox uses; it only ever reaches the emulator. */
export const SANDBOX_CLIENT_BOT_TOKEN = '7000000001:SANDBOX-client-bot-token-0000000000';
/** The sandbox client bot's username (the admin bot's promo links open it). */
export const SANDBOX_CLIENT_BOT_USERNAME = 'vpn_sandbox_bot';
export const SANDBOX_SUPPORT_BOT_TOKEN = '7000000002:SANDBOX-support-bot-token-000000000';
/** The seeded staff forum and its staff member: fixed, so the sandbox chat can find them. */
export const SANDBOX_SUPPORT_CHAT_ID = -1001000000014;
export const SANDBOX_STAFF_USER_ID = 100_900;
/** The sandbox's admin bot token (emulator only). */
export const SANDBOX_ADMIN_BOT_TOKEN = '7000000003:SANDBOX-admin-bot-token-00000000000';
/** The Telegram id the sandbox makes the owner of the admin bot (`pnpm sandbox:chat --as admin` is them). */
export const SANDBOX_OWNER_ID = 100_000;

export async function startOutsideWorld(options: OutsideWorldOptions = {}): Promise<OutsideWorld> {
  const telegram = await createEmulator({
    port: options.telegramPort ?? 0,
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.telegramRateLimits === false ? { rateLimits: false as const } : {}),
    bots: [
      { token: SANDBOX_CLIENT_BOT_TOKEN, username: SANDBOX_CLIENT_BOT_USERNAME, firstName: 'VPN' },
      { token: SANDBOX_SUPPORT_BOT_TOKEN, username: 'vpn_sandbox_support_bot', firstName: 'VPN Support' },
      { token: SANDBOX_ADMIN_BOT_TOKEN, username: 'vpn_sandbox_admin_bot', firstName: 'VPN Admin' },
    ],
  });
  // The staff forum: both bots administrators with the rights the support bot checks at start.
  await telegram.client.createUser({ id: SANDBOX_STAFF_USER_ID, firstName: 'Staff', languageCode: 'ru' });
  await telegram.client.createSupergroup({
    id: SANDBOX_SUPPORT_CHAT_ID,
    title: 'VPN support',
    adminIds: [SANDBOX_STAFF_USER_ID],
    bots: [
      { bot: SANDBOX_CLIENT_BOT_TOKEN, admin: true },
      { bot: SANDBOX_SUPPORT_BOT_TOKEN, admin: true },
    ],
  });
  const panelState = options.stateDir ? join(options.stateDir, 'panel-marzban.json') : undefined;
  const marzban = await createMarzbanEmulator({
    ...(options.panelPort ? { port: options.panelPort } : {}),
    ...(panelState ? { state: readState(panelState) } : {}),
  }).catch((error: unknown) => {
    void telegram.close();
    throw error;
  });
  const started: Array<{ close(): Promise<void> }> = [telegram, marzban];
  const more = async <T extends { close(): Promise<void> }>(make: () => Promise<T>): Promise<T> => {
    try {
      const emulator = await make();
      started.push(emulator);
      return emulator;
    } catch (error) {
      await Promise.allSettled(started.map((e) => e.close()));
      throw error;
    }
  };
  const yookassa = await more(() => createYooKassaEmulator({ port: options.yookassaPort ?? 0 }));
  // Their pay pages stand for what the payer does in @CryptoBot, on WATA's form or on Heleket's page.
  const cryptopay = await more(() => createCryptoPayEmulator({ port: options.cryptopayPort ?? 0, payPage: true }));
  const wata = await more(() => createWataEmulator({ port: options.wataPort ?? 0 }));
  const heleket = await more(() => createHeleketEmulator({ port: options.heleketPort ?? 0 }));
  const platega = await more(() => createPlategaEmulator({ port: options.plategaPort ?? 0 }));
  const xrocket = await more(() => createXRocketEmulator({ port: options.xrocketPort ?? 0 }));
  const severpay = await more(() => createSeverpayEmulator({ port: options.severpayPort ?? 0 }));
  // Written every few seconds and at close: a crash loses at most the last seconds of changes.
  const persist = panelState ? persister(panelState, () => marzban.saveState?.()) : undefined;
  return {
    telegram,
    marzban,
    yookassa,
    cryptopay,
    wata,
    heleket,
    platega,
    xrocket,
    severpay,
    providers: options.providers ?? ['yookassa', 'stars'],
    clientBotToken: SANDBOX_CLIENT_BOT_TOKEN,
    supportBotToken: SANDBOX_SUPPORT_BOT_TOKEN,
    supportChatId: SANDBOX_SUPPORT_CHAT_ID,
    staffUserId: SANDBOX_STAFF_USER_ID,
    adminBotToken: SANDBOX_ADMIN_BOT_TOKEN,
    async close() {
      persist?.stop();
      await Promise.allSettled(started.map((e) => e.close()));
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
