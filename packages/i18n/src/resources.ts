/**
 * Every locale file, imported statically so the key type follows the ru JSON and a bundler (or
 * tsx) needs no file-system access at run time. To add a namespace: create
 * `locales/<lng>/<namespace>.json` for every language and list it in both maps below.
 */
import enAdmin from '../locales/en/admin.json' with { type: 'json' };
import enClient from '../locales/en/client.json' with { type: 'json' };
import enCommon from '../locales/en/common.json' with { type: 'json' };
import enNotifications from '../locales/en/notifications.json' with { type: 'json' };
import enSupport from '../locales/en/support.json' with { type: 'json' };
import ruAdmin from '../locales/ru/admin.json' with { type: 'json' };
import ruClient from '../locales/ru/client.json' with { type: 'json' };
import ruCommon from '../locales/ru/common.json' with { type: 'json' };
import ruNotifications from '../locales/ru/notifications.json' with { type: 'json' };
import ruSupport from '../locales/ru/support.json' with { type: 'json' };
import type { Language } from './languages.js';

/** The source texts: the shape every key type is derived from. */
export const sourceResources = {
  common: ruCommon,
  client: ruClient,
  support: ruSupport,
  admin: ruAdmin,
  notifications: ruNotifications,
};

/** A namespace: one JSON file per language, one per bot or area. */
export type Namespace = keyof typeof sourceResources;

/** The namespaces in load order; `common` holds what every bot shares. */
export const NAMESPACES = Object.keys(sourceResources) as Namespace[];

/** Every language's texts, namespace by namespace, as i18next's `resources` option wants them. */
export const resources: Record<Language, Record<Namespace, object>> = {
  ru: sourceResources,
  en: { common: enCommon, client: enClient, support: enSupport, admin: enAdmin, notifications: enNotifications },
};
