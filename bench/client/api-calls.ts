import type { Emulator } from '@vpn/telegram-emulator';

/** Counts the Bot API calls each bot makes, by method, from now on (the call log keeps only the last few thousand). */
export function countApiCalls(emulator: Emulator): { take(botId: number): Record<string, number> } {
  const counts = new Map<number, Record<string, number>>();
  const calls = emulator.world.calls;
  const add = calls.add.bind(calls);
  calls.add = (call) => {
    const perBot = counts.get(call.botId) ?? {};
    perBot[call.method] = (perBot[call.method] ?? 0) + 1;
    perBot[`${call.method}:bytes`] = (perBot[`${call.method}:bytes`] ?? 0) + JSON.stringify(call.params).length;
    counts.set(call.botId, perBot);
    add(call);
  };
  return {
    take(botId) {
      const out = counts.get(botId) ?? {};
      counts.delete(botId);
      return out;
    },
  };
}
