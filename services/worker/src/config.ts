import {
  baseSchema,
  botTokensSchema,
  databaseSchema,
  encryptionSchema,
  healthSchema,
  loadConfig,
  paymentsSchema,
  redisSchema,
  requireYooKassaReceiptEmail,
  sendLimitSchema,
  telegramSchema,
  workerSchema,
  z,
  type Env,
} from '@vpn/config';

/** Everything the worker reads from the environment; it sends as the client bot, so that token is required. */
export const workerConfigSchema = z
  .object({
    ...baseSchema.shape,
    ...databaseSchema.shape,
    ...redisSchema.shape,
    ...encryptionSchema.shape,
    TELEGRAM_API_ROOT: telegramSchema.shape.TELEGRAM_API_ROOT,
    CLIENT_BOT_TOKEN: botTokensSchema.shape.CLIENT_BOT_TOKEN.unwrap(),
    // The staff forum the support relay copies into (as the client bot); unset: no relay.
    SUPPORT_CHAT_ID: botTokensSchema.shape.SUPPORT_CHAT_ID,
    /** The admin bot's token: broadcasts keep the admin's progress message in that bot current. */
    ADMIN_BOT_TOKEN: botTokensSchema.shape.ADMIN_BOT_TOKEN,
    ...sendLimitSchema.shape,
    ...paymentsSchema.shape,
    ...workerSchema.shape,
    ...healthSchema.shape,
    // It charges saved YooKassa methods (auto-renew) and refunds, with receipts.
  })
  .superRefine(requireYooKassaReceiptEmail);

export type WorkerConfig = z.output<typeof workerConfigSchema>;

/** Parses the environment; throws one readable error listing every bad key. */
export function loadWorkerConfig(env?: Env): WorkerConfig {
  return loadConfig(workerConfigSchema, env);
}
