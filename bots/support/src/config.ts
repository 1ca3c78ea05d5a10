import { botProcessShape, botTokensSchema, loadConfig, paymentsSchema, requireYooKassaReceiptEmail, z, type Env } from '@vpn/config';

/** Everything the support bot reads from the environment; the token and the staff forum are required. */
export const supportBotConfigSchema = z
  .object({
    ...botProcessShape,
    SUPPORT_BOT_TOKEN: botTokensSchema.shape.SUPPORT_BOT_TOKEN.unwrap(),
    SUPPORT_CHAT_ID: botTokensSchema.shape.SUPPORT_CHAT_ID.unwrap(),
    /** Checked at start: the client bot copies into the forum and must be an admin there too. */
    CLIENT_BOT_TOKEN: botTokensSchema.shape.CLIENT_BOT_TOKEN,
    // The card's "refund the last payment" goes through the same providers, with the same receipt rules.
    ...paymentsSchema.shape,
  })
  .superRefine(requireYooKassaReceiptEmail);

export type SupportBotConfig = z.output<typeof supportBotConfigSchema>;

export function loadSupportBotConfig(env?: Env): SupportBotConfig {
  return loadConfig(supportBotConfigSchema, env);
}
