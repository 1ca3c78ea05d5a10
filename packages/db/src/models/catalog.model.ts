import { DataTypes, type Sequelize } from 'sequelize';
import { col, defineModel, type Creation } from './define.js';

/** A text in every bot language; `ru` is the source locale. */
export interface LocalizedText {
  ru: string;
  en: string;
}

/**
 * A plan on sale. `priceMinor` (kopecks/cents) and `priceStars` are what the customer pays before
 * a promo code. `discountPercent` is no longer read (0 since migration 202612071100): the saving
 * against the shortest plan is derived from the prices (billing `planSaving`).
 */
export interface Plan {
  id: number;
  code: string;
  title: LocalizedText;
  durationDays: number;
  priceMinor: number;
  currency: string;
  /** Price in Telegram Stars; null means billing converts from `priceMinor`. */
  priceStars: number | null;
  discountPercent: number;
  /** null = unlimited. */
  trafficLimitBytes: number | null;
  /** null = unlimited. */
  deviceLimit: number | null;
  resetTrafficOnRenew: boolean;
  active: boolean;
  sortOrder: number;
  createdAt: Date;
  updatedAt: Date;
}

export type PanelKind = 'marzban' | '3x-ui' | 'remnawave' | 'wg-easy' | 'pasarguard';
export const PANEL_KINDS: readonly PanelKind[] = ['marzban', '3x-ui', 'remnawave', 'wg-easy', 'pasarguard'];
export type ServerHealth = 'unknown' | 'healthy' | 'degraded' | 'down';
export const SERVER_HEALTH: readonly ServerHealth[] = ['unknown', 'healthy', 'degraded', 'down'];

/** A VPN panel. Its credentials are stored encrypted; see `ServersRepository.getWithCredentials`. */
export interface ServerRow {
  id: number;
  name: string;
  countryCode: string | null;
  panelKind: PanelKind;
  baseUrl: string;
  /** AES-256-GCM ciphertext (`v1:...`) of the credentials JSON. Never logged, never shown. */
  credentialsEncrypted: string;
  /** Panel-specific: inbounds, protocol, flow, squads, subscription URL base... */
  settings: Record<string, unknown>;
  /** Max accounts; null = unlimited. */
  capacity: number | null;
  weight: number;
  active: boolean;
  healthStatus: ServerHealth;
  healthCheckedAt: Date | null;
  lastError: string | null;
  /** How long the last health check took; null before the first timed check. */
  latencyMs: number | null;
  usersCount: number;
  createdAt: Date;
  updatedAt: Date;
}

/** A FAQ entry; `slug` is the stable key the seed and the admin bot use. */
export interface FaqItem {
  id: number;
  slug: string;
  category: string;
  question: LocalizedText;
  answer: LocalizedText;
  sortOrder: number;
  active: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/** A key → JSON setting; secret values are stored encrypted (`encrypted` = true). */
export interface SettingRow {
  key: string;
  value: unknown;
  encrypted: boolean;
  updatedAt: Date;
  /** Telegram id of the admin who changed it, null for scripts. */
  updatedBy: number | null;
}

export function defineCatalogModels(sequelize: Sequelize) {
  const Plan = defineModel<
    Plan,
    Creation<
      Plan,
      'currency' | 'priceStars' | 'discountPercent' | 'trafficLimitBytes' | 'deviceLimit' | 'resetTrafficOnRenew' | 'active' | 'sortOrder'
    >
  >(sequelize, 'Plan', 'plans', {
    id: col.id,
    code: { type: DataTypes.STRING(32), allowNull: false },
    title: col.reqJson,
    durationDays: col.reqInt,
    priceMinor: col.reqBigint,
    currency: { type: DataTypes.STRING(8), allowNull: false, defaultValue: 'RUB' },
    priceStars: col.int,
    discountPercent: col.intDefault(0),
    trafficLimitBytes: col.bigint,
    deviceLimit: col.int,
    resetTrafficOnRenew: col.bool(true),
    active: col.bool(true),
    sortOrder: col.intDefault(0),
    createdAt: col.stamp,
    updatedAt: col.stamp,
  });
  const Server = defineModel<
    ServerRow,
    Creation<
      ServerRow,
      | 'countryCode'
      | 'settings'
      | 'capacity'
      | 'weight'
      | 'active'
      | 'healthStatus'
      | 'healthCheckedAt'
      | 'lastError'
      | 'latencyMs'
      | 'usersCount'
    >
  >(sequelize, 'Server', 'servers', {
    id: col.id,
    name: col.reqText,
    countryCode: { type: DataTypes.CHAR(2), allowNull: true },
    panelKind: col.enum(PANEL_KINDS),
    baseUrl: col.reqText,
    credentialsEncrypted: col.reqText,
    settings: { type: DataTypes.JSONB, allowNull: false, defaultValue: {} },
    capacity: col.int,
    weight: col.intDefault(1),
    active: col.bool(true),
    healthStatus: col.enum(SERVER_HEALTH, 'unknown'),
    healthCheckedAt: col.date,
    lastError: col.text,
    latencyMs: col.int,
    usersCount: col.intDefault(0),
    createdAt: col.stamp,
    updatedAt: col.stamp,
  });
  const FaqItem = defineModel<FaqItem, Creation<FaqItem, 'category' | 'sortOrder' | 'active'>>(sequelize, 'FaqItem', 'faq_items', {
    id: col.id,
    slug: { type: DataTypes.STRING(64), allowNull: false },
    category: { type: DataTypes.STRING(32), allowNull: false, defaultValue: 'general' },
    question: col.reqJson,
    answer: col.reqJson,
    sortOrder: col.intDefault(0),
    active: col.bool(true),
    createdAt: col.stamp,
    updatedAt: col.stamp,
  });
  const Setting = defineModel<SettingRow, Creation<SettingRow, 'encrypted' | 'updatedBy' | 'updatedAt'>>(
    sequelize,
    'Setting',
    'settings',
    {
      key: { type: DataTypes.STRING(128), primaryKey: true },
      value: col.reqJson,
      encrypted: col.bool(false),
      updatedAt: col.stamp,
      updatedBy: col.bigint,
    },
    { createdAt: false },
  );
  return { Plan, Server, FaqItem, Setting };
}
