import { z } from '@vpn/config';
import type { SettingsRepository } from '@vpn/db';
import type { Logger } from '@vpn/logger';
import { CLIENT_APP_IDS, isClientApp } from '@vpn/vpn/go-links';
import { PLATFORMS, type Platform } from '../context.js';
import defaultCatalog from '../features/config/client-apps.json' with { type: 'json' };

const store = z.object({
  label: z.string().min(1).max(24),
  url: z
    .string()
    .url()
    .regex(/^https:\/\//, 'store links must be https (Telegram URL buttons)'),
});

const app = z
  .object({
    /** For `deepLink` apps: an app id the webhooks `/go` page knows (its allow-list of schemes). */
    id: z.string().regex(/^[a-z0-9-]{1,32}$/),
    name: z.string().min(1).max(24),
    /** The app imports a subscription from a link (one-tap "add to app"). */
    deepLink: z.boolean().default(false),
    stores: z.array(store).min(1).max(3),
  })
  // The shared app list (`@vpn/vpn/go-links`) is what the /go page can open: an "add to app"
  // button for any other id would lead to the error page.
  .refine((a) => !a.deepLink || isClientApp(a.id), {
    message: `a deepLink app id must be one of ${CLIENT_APP_IDS.join(', ')}`,
    path: ['id'],
  });

const perPlatform = z.object(
  Object.fromEntries(PLATFORMS.map((p) => [p, z.array(app).max(5)])) as Record<Platform, z.ZodArray<typeof app>>,
);

/** Which apps to suggest per platform, for subscription-link (VLESS) and WireGuard customers. */
export const appCatalogSchema = z.object({ vless: perPlatform, wireguard: perPlatform });
export type AppCatalog = z.output<typeof appCatalogSchema>;
export type ClientApp = z.output<typeof app>;

/** The settings key an admin overrides the bundled catalog with (same JSON shape). */
export const APP_CATALOG_SETTING = 'client.apps';

/** The catalog shipped with the bot (`features/config/client-apps.json`). */
export const DEFAULT_APP_CATALOG: AppCatalog = appCatalogSchema.parse(defaultCatalog);

/**
 * The catalog a `client.apps` setting asks for: the setting when it is valid (shape, https store
 * links, "add to app" only for apps the /go page knows), else the bundled one with the reasons
 * logged. Unset (`null`) is the bundled one, silently.
 */
export function resolveAppCatalog(raw: unknown, logger: Pick<Logger, 'error'>): AppCatalog {
  if (raw === null || raw === undefined) return DEFAULT_APP_CATALOG;
  const parsed = appCatalogSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.slice(0, 5).map((i) => ({ path: i.path.join('.'), message: i.message }));
  logger.error({ issues }, `setting ${APP_CATALOG_SETTING} is invalid; using the bundled app list`);
  return DEFAULT_APP_CATALOG;
}

/** Where the bot reads the catalog from. */
export interface AppCatalogSource {
  get(): Promise<AppCatalog>;
}

/**
 * The catalog from the `client.apps` setting when it is set and valid, else the bundled one;
 * read at most once a minute. An invalid setting is logged and ignored, never shown half-broken.
 */
export function createAppCatalogSource(options: { settings: SettingsRepository; logger: Logger; ttlMs?: number }): AppCatalogSource {
  const ttlMs = options.ttlMs ?? 60_000;
  let cached: { at: number; catalog: AppCatalog } | undefined;
  return {
    async get() {
      if (cached && Date.now() - cached.at < ttlMs) return cached.catalog;
      const catalog = resolveAppCatalog(await options.settings.get(APP_CATALOG_SETTING), options.logger);
      cached = { at: Date.now(), catalog };
      return catalog;
    },
  };
}

/** A fixed catalog (tests, bench). */
export function staticAppCatalog(catalog: AppCatalog = DEFAULT_APP_CATALOG): AppCatalogSource {
  return { get: async () => catalog };
}
