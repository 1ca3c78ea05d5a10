import { Bot } from 'grammy';
import { describe, expect, it } from 'vitest';
import { messageUpdate, recordApiCalls, testBotInfo, testUser } from '../testing/index.js';
import { InFlightUpdates } from './in-flight.middleware.js';

describe('InFlightUpdates', () => {
  it('waits for running updates and reports a timeout', async () => {
    const inFlight = new InFlightUpdates();
    const bot = new Bot('1:test', { botInfo: testBotInfo() });
    recordApiCalls(bot.api);
    let release: () => void = () => undefined;
    bot.use(inFlight.middleware());
    bot.use(() => new Promise<void>((r) => (release = r)));

    expect(await inFlight.drain(10)).toBe(true);
    const handling = bot.handleUpdate(messageUpdate(testUser(1), 'x'));
    await new Promise((r) => setImmediate(r));
    expect(inFlight.size).toBe(1);
    expect(await inFlight.drain(20)).toBe(false);
    const drained = inFlight.drain(1_000);
    release();
    expect(await drained).toBe(true);
    await handling;
    expect(inFlight.size).toBe(0);
  });
});
