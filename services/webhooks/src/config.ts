import {
  baseSchema,
  databaseSchema,
  encryptionSchema,
  healthSchema,
  httpSchema,
  loadConfig,
  paymentsSchema,
  redisSchema,
  requireHttpsPublicBaseUrl,
  webhooksSchema,
  z,
  type Env,
} from '@vpn/config';

/** Everything the webhooks process reads from the environment. */
export const webhooksConfigSchema = z
  .object({
    ...baseSchema.shape,
    ...databaseSchema.shape,
    ...redisSchema.shape,
    ...encryptionSchema.shape,
    ...httpSchema.shape,
    ...paymentsSchema.shape,
    ...webhooksSchema.shape,
    ...healthSchema.shape,
  })
  .superRefine(requireHttpsPublicBaseUrl);

export type WebhooksConfig = z.output<typeof webhooksConfigSchema>;

/** Parses the environment; throws one readable error listing every bad key. */
export function loadWebhooksConfig(env?: Env): WebhooksConfig {
  return loadConfig(webhooksConfigSchema, env);
}
