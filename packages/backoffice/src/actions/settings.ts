import { DEFAULT_SETTINGS } from '@vpn/db';
import type { Actor } from '../actor.js';
import { audit } from '../audit.js';
import type { BackofficeContext } from '../context.js';
import { BackofficeError } from '../errors.js';
import { authorize } from '../permissions.js';
import { SETTING_KEYS, isSettingKey, type SettingKey } from '../settings/rules.js';
import { parseSettingInput, validateSettingValue } from '../settings/values.js';

/** A known setting as staff see it: its value now, and whether that is the default (seeded or unset). */
export interface SettingState {
  key: SettingKey;
  value: unknown;
  isDefault: boolean;
}

/**
 * How long a change may take to reach every running process: readers cache settings for at most
 * this long (billing 10 s, the support bot's note prefix 30 s; the worker and the SLA watch read
 * them on each run).
 */
export const SETTINGS_APPLY_SECONDS = 30;

/** Every known setting with its current value (`settings:read`). */
export async function listSettings(ctx: BackofficeContext, actor: Actor): Promise<SettingState[]> {
  authorize(actor, 'settings:read');
  const stored = new Map((await ctx.db.repos.settings.list()).map((s) => [s.key, s.value]));
  return SETTING_KEYS.map((key) => {
    const value = stored.get(key) ?? DEFAULT_SETTINGS[key];
    return { key, value, isDefault: JSON.stringify(value) === JSON.stringify(DEFAULT_SETTINGS[key]) };
  });
}

/** A change: a typed `value`, or `input` as an operator typed it (parsed by the setting's rule). */
export type SettingChange = { key: string; value: unknown } | { key: string; input: string };

/**
 * Changes one known setting (`settings:write`): the value is checked against its rule (an
 * invalid one changes nothing), written with who changed it, and audited before → after in the
 * same transaction. Running processes pick it up within {@link SETTINGS_APPLY_SECONDS}.
 */
export async function updateSetting(ctx: BackofficeContext, actor: Actor, change: SettingChange): Promise<SettingState> {
  authorize(actor, 'settings:write');
  const { key } = change;
  if (typeof key !== 'string' || !isSettingKey(key))
    throw new BackofficeError('INVALID_INPUT', `setting ${String(key).slice(0, 64)} is not known`, 'key', { allowed: SETTING_KEYS });
  const value = 'input' in change ? parseSettingInput(key, String(change.input)) : validateSettingValue(key, change.value);
  return ctx.db.transaction(async (tx) => {
    const before = (await ctx.db.repos.settings.get(key, { transaction: tx })) ?? DEFAULT_SETTINGS[key];
    await ctx.db.repos.settings.set(key, value, { secret: false, updatedBy: actor.adminId }, { transaction: tx });
    await audit(ctx.db.repos, tx, actor, { action: 'setting.update', entity: 'setting', entityId: key, before, after: value });
    return { key, value, isDefault: JSON.stringify(value) === JSON.stringify(DEFAULT_SETTINGS[key]) };
  });
}
