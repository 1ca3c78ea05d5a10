import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { Bot, GrammyError, type Context } from 'grammy';
import { run, type RunnerHandle } from '@grammyjs/runner';
import { createEmulator, type Emulator, type EmulatorOptions } from '../emulator.js';
import type { BotInfo } from '../state/bots.js';

/** Test tokens (any "<digits>:<secret>" works). */
export const CLIENT_TOKEN = '7000000001:AAClientBotTokenForEmulatorTests_x';
export const SUPPORT_TOKEN = '7000000002:AASupportBotTokenForEmulatorTests_';

/** Fast settings for tests: no flood limits, short answer windows and webhook retries. */
export function startTestEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  return createEmulator({
    rateLimits: false,
    timings: {
      callbackQueryTtlMs: 2_000,
      preCheckoutTimeoutMs: 1_000,
      webhookRetryBaseMs: 20,
      webhookRetryMaxMs: 100,
    },
    bots: [
      { token: CLIENT_TOKEN, username: 'client_test_bot', firstName: 'Client' },
      { token: SUPPORT_TOKEN, username: 'support_test_bot', firstName: 'Support' },
    ],
    ...options,
  });
}

/** A grammY bot pointed at the emulator; `botInfo` from the emulator so no getMe is needed. */
export async function makeBot(emulator: Emulator, token: string): Promise<Bot> {
  const bots = await emulator.control.listBots();
  const info = bots.find((b) => token.startsWith(`${b.id}:`)) as BotInfo;
  return new Bot<Context>(token, { client: { apiRoot: emulator.apiRoot }, botInfo: info });
}

/**
 * Runs a bot with @grammyjs/runner (long polling) and returns a stopper. The short poll timeout
 * keeps stop() quick.
 */
export function runBot(bot: Bot): { handle: RunnerHandle; stop: () => Promise<void> } {
  const handle = run(bot, { runner: { fetch: { timeout: 1 } } });
  return { handle, stop: () => (handle.isRunning() ? handle.stop() : Promise.resolve()) };
}

/** A minimal valid PNG of the given size (header only matters to the emulator). */
export function pngBytes(width: number, height: number): Buffer {
  const header = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const ihdr = Buffer.alloc(25);
  ihdr.writeUInt32BE(13, 0);
  ihdr.write('IHDR', 4, 'ascii');
  ihdr.writeUInt32BE(width, 8);
  ihdr.writeUInt32BE(height, 12);
  ihdr.writeUInt8(8, 16);
  ihdr.writeUInt8(2, 17);
  return Buffer.concat([header, ihdr, Buffer.from('rest-of-image-bytes')]);
}

/**
 * Per-file set-up: one emulator for the file, bots started with `started()` are stopped after
 * each test, the emulator is closed after the file.
 */
export function useEmulator(options: EmulatorOptions = {}): {
  readonly emulator: Emulator;
  started: (token: string, setup: (bot: Bot) => void) => Promise<Bot>;
} {
  let emulator: Emulator | undefined;
  const stops: (() => Promise<void>)[] = [];
  beforeAll(async () => {
    emulator = await startTestEmulator(options);
  });
  afterEach(async () => {
    await Promise.all(stops.splice(0).map((stop) => stop()));
  });
  afterAll(async () => {
    await emulator?.close();
  });
  const get = (): Emulator => {
    if (!emulator) throw new Error('the emulator starts in beforeAll');
    return emulator;
  };
  return {
    get emulator() {
      return get();
    },
    started: async (token, setup) => {
      const bot = await makeBot(get(), token);
      setup(bot);
      stops.push(runBot(bot).stop);
      return bot;
    },
  };
}

/** What a refused Bot API call carried (the test fails if the call was not refused by the API). */
export async function refusal(
  call: Promise<unknown>,
): Promise<{ error_code: number; description: string; parameters?: GrammyError['parameters'] }> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof GrammyError)) throw new Error(`expected a GrammyError, got ${String(error)}`);
  const shape = { error_code: error.error_code, description: error.description };
  // grammY fills in `{}` when Telegram sent no parameters; keep the shape as it was on the wire.
  return Object.keys(error.parameters).length > 0 ? { ...shape, parameters: error.parameters } : shape;
}

/** A new user who has sent /start to the bot, so the bot may write to them. Returns the user id. */
export async function userWhoStarted(emulator: Emulator, token: string, firstName: string): Promise<number> {
  const user = await emulator.client.createUser({ firstName });
  await emulator.client.start({ from: user.id, bot: token });
  return user.id;
}

/** Asserts a call is refused with 400 "Bad Request: <what>". */
export async function expectBadRequest(call: Promise<unknown>, what: string): Promise<void> {
  expect(await refusal(call)).toMatchObject({
    error_code: 400,
    description: `Bad Request: ${what}`,
  });
}

/** A grammY bot and a user who has started it. */
export async function botWithUser(emulator: Emulator, token: string, firstName: string): Promise<{ bot: Bot; userId: number }> {
  const userId = await userWhoStarted(emulator, token, firstName);
  return { bot: await makeBot(emulator, token), userId };
}
