import { metrics } from '@vpn/metrics';
import type { Transformer } from 'grammy';

/**
 * Counts every Bot API attempt by bot id and method, failures by error code (`network` when no
 * answer came), and flood waits with the seconds Telegram asked for. Installed innermost, so
 * each retry counts as the call it is.
 */
export function apiMetricsTransformer(token: string): Transformer {
  // The id part of the token (never the secret part): bounded and not sensitive.
  const bot = token.split(':')[0] ?? 'unknown';
  return async (prev, method, payload, signal) => {
    metrics.telegramCalls.inc({ bot, method });
    try {
      const result = await prev(method, payload, signal);
      if (!result.ok) {
        metrics.telegramErrors.inc({ bot, method, code: String(result.error_code) });
        if (result.error_code === 429) {
          metrics.telegramFloodWaits.inc({ bot, method });
          metrics.telegramFloodWaitSeconds.inc({ bot }, result.parameters?.retry_after ?? 0);
        }
      }
      return result;
    } catch (err) {
      metrics.telegramErrors.inc({ bot, method, code: 'network' });
      throw err;
    }
  };
}
