import { botProcessShape, botTokensSchema, loadConfig, paymentsSchema, requireYooKassaReceiptEmail, z, type Env } from '@vpn/config';

/** Everything the admin bot process reads from the environment. */
export const adminBotConfigSchema = z
  .object({
    ...botProcessShape,
    ...paymentsSchema.shape,
    /** Required here: without it there is no admin bot to run. */
    ADMIN_BOT_TOKEN: botTokensSchema.shape.ADMIN_BOT_TOKEN.unwrap(),
    /** Owners made on start while the admins table has no active owner (then ignored). */
    ADMIN_IDS: botTokensSchema.shape.ADMIN_IDS,
    /** For the promo codes' deep links; without it the bot shows none. */
    CLIENT_BOT_USERNAME: botTokensSchema.shape.CLIENT_BOT_USERNAME,
  })
  // Refunds go through the same providers as payments, with the same receipt rules.
  .superRefine(requireYooKassaReceiptEmail);

export type AdminBotConfig = z.output<typeof adminBotConfigSchema>;

/** Parses the environment; throws one readable error listing every bad or missing key. */
export function loadAdminBotConfig(env?: Env): AdminBotConfig {
  return loadConfig(adminBotConfigSchema, env);
}
