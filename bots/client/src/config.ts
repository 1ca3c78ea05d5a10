import {
  botProcessShape,
  botTokensSchema,
  httpSchema,
  loadConfig,
  paymentsSchema,
  requireHttpsPublicBaseUrl,
  requireStrongWebhookSecret,
  requireYooKassaReceiptEmail,
  sendLimitSchema,
  webhooksSchema,
  z,
  type Env,
} from '@vpn/config';

/** Everything the client bot process reads from the environment. */
export const clientBotConfigSchema = z
  .object({
    ...botProcessShape,
    ...sendLimitSchema.shape,
    ...paymentsSchema.shape,
    /** Required here: the sandbox launcher gives one that only the Telegram emulator knows. */
    CLIENT_BOT_TOKEN: botTokensSchema.shape.CLIENT_BOT_TOKEN.unwrap(),
    /** The webhooks service: Stars payments are forwarded there, `/go/<token>` pages are served from there. */
    PUBLIC_BASE_URL: httpSchema.shape.PUBLIC_BASE_URL,
    /** Signs "add to app" links; unset → guides show store links and the copyable link only. */
    GO_LINK_SECRET: webhooksSchema.shape.GO_LINK_SECRET,
  })
  .superRefine(requireHttpsPublicBaseUrl)
  .superRefine(requireYooKassaReceiptEmail)
  .superRefine(requireStrongWebhookSecret);

export type ClientBotConfig = z.output<typeof clientBotConfigSchema>;

/** Parses the environment; throws one readable error listing every bad or missing key. */
export function loadClientBotConfig(env?: Env): ClientBotConfig {
  return loadConfig(clientBotConfigSchema, env);
}
