import {
  adminApiSchema,
  baseSchema,
  botTokensSchema,
  databaseSchema,
  encryptionSchema,
  healthSchema,
  loadConfig,
  paymentsSchema,
  redisSchema,
  telegramSchema,
  z,
  type Env,
} from '@vpn/config';

/** Everything the admin API process reads from the environment. */
export const adminApiConfigSchema = z
  .object({
    ...baseSchema.shape,
    ...databaseSchema.shape,
    ...redisSchema.shape,
    ...encryptionSchema.shape,
    ...botTokensSchema.shape,
    ...telegramSchema.shape,
    ...paymentsSchema.shape,
    ...adminApiSchema.shape,
    ...healthSchema.shape,
  })
  .superRefine((config, ctx) => {
    // Without the key nobody could be signed in; without the admin bot's token the Login Widget
    // cannot be checked. Outside production a random key per start is acceptable (sign-ins end on restart).
    if (config.NODE_ENV === 'production' && !config.ADMIN_API_SECRET)
      ctx.addIssue({ code: 'custom', path: ['ADMIN_API_SECRET'], message: 'is required in production (at least 32 characters)' });
  });

export type AdminApiConfig = z.output<typeof adminApiConfigSchema>;

/** Parses the environment; throws one readable error listing every bad key. */
export function loadAdminApiConfig(env?: Env): AdminApiConfig {
  return loadConfig(adminApiConfigSchema, env);
}
