import {
  can,
  isSettingKey,
  SETTING_RULES,
  SETTINGS_APPLY_SECONDS,
  settingRange,
  settingValueText,
  type SettingKey,
  type SettingState,
} from '@vpn/backoffice';
import { escapeHtml } from '@vpn/i18n';
import { InlineKeyboard } from 'grammy';
import type { AdminContext } from '../../context.js';
import { attempt, rangeOf } from '../../ui/errors.js';
import { HOME, SectionRouter, show, type Section } from '../../ui/section.js';
import type { FeatureDeps } from '../feature-deps.js';

/** A value in the admin's words: on/off, `30 min`, `10 GiB`, `3, 2, 1` (escaped, ready for HTML). */
export function valueText(ctx: AdminContext, key: SettingKey, value: unknown): string {
  const rule = SETTING_RULES[key];
  if (rule.kind === 'bool') return ctx.t(value === true ? 'admin.settings.on' : 'admin.settings.off');
  if (rule.kind === 'duration') return `${String(value)} ${ctx.t(`admin.settings.units.${rule.unit}`)}`;
  return escapeHtml(settingValueText(key, value));
}

/**
 * Settings: every known runtime setting (`SETTING_RULES` in @vpn/backoffice) with its value, a
 * card with its help and allowed range, and a change by button (on/off, a choice, clearing a
 * text) or by typing. The back office checks the value against the rule (an invalid one changes
 * nothing), writes it and the audit row; running bots read it within `SETTINGS_APPLY_SECONDS`.
 */
export function createSettingsSection(deps: FeatureDeps): Section {
  const r = new SectionRouter('set');
  const { backoffice } = deps;

  const list = async (ctx: AdminContext) => {
    const states = await backoffice.settings.list(ctx.actor);
    const keyboard = new InlineKeyboard();
    const lines = states.map((s) => {
      keyboard.text(ctx.t(SETTING_RULES[s.key].label), r.data('v', s.key)).row();
      return `• ${ctx.t(SETTING_RULES[s.key].label)}: <b>${valueText(ctx, s.key, s.value)}</b>`;
    });
    keyboard.text(ctx.t('admin.common.menu'), HOME);
    await show(ctx, [ctx.t('admin.settings.title', { seconds: SETTINGS_APPLY_SECONDS }), '', ...lines].join('\n'), keyboard);
  };

  const card = async (ctx: AdminContext, key: SettingKey) => {
    const state = (await backoffice.settings.list(ctx.actor)).find((s) => s.key === key);
    if (!state) return list(ctx);
    const rule = SETTING_RULES[key];
    const text = ctx.t('admin.settings.card', {
      label: ctx.t(rule.label),
      key,
      help: ctx.t(rule.help),
      value: valueText(ctx, key, state.value),
      isDefault: state.isDefault ? ctx.t('admin.settings.isDefault') : '',
      range: rangeOf(ctx, settingRange(rule)),
    });
    const keyboard = new InlineKeyboard();
    if (can(ctx.actor, 'settings:write')) {
      if (rule.kind === 'bool')
        keyboard.text(
          ctx.t(state.value === true ? 'admin.settings.turnOff' : 'admin.settings.turnOn'),
          r.data('b', key, state.value ? 0 : 1),
        );
      else if (rule.kind === 'choice') for (const v of rule.values.filter((v) => v !== state.value)) keyboard.text(v, r.data('ch', key, v));
      else keyboard.text(ctx.t('admin.settings.change'), r.data('c', key));
      if (rule.kind === 'text' && !rule.pattern && state.value !== '') keyboard.text(ctx.t('admin.settings.clear'), r.data('x', key));
      keyboard.row();
    }
    keyboard.text(ctx.t('admin.common.back'), r.data('o'));
    await show(ctx, text, keyboard);
  };

  /** Saves through the back office; on success says what changed and shows the card again. */
  const save = async (ctx: AdminContext, key: SettingKey, change: { value: unknown } | { input: string }) => {
    const before = (await backoffice.settings.list(ctx.actor)).find((s) => s.key === key)?.value;
    const saved: SettingState | undefined = await attempt(ctx, () => backoffice.settings.update(ctx.actor, { key, ...change }));
    if (!saved) {
      if ('input' in change) await ask(ctx, key);
      return;
    }
    await ctx.reply(
      ctx.t('admin.settings.saved', {
        label: ctx.t(SETTING_RULES[key].label),
        before: valueText(ctx, key, before),
        after: valueText(ctx, key, saved.value),
        seconds: SETTINGS_APPLY_SECONDS,
      }),
    );
    await card(ctx, key);
  };

  const ask = (ctx: AdminContext, key: SettingKey) =>
    r.ask(
      ctx,
      'val',
      ctx.t('admin.settings.ask', { label: ctx.t(SETTING_RULES[key].label), range: rangeOf(ctx, settingRange(SETTING_RULES[key])) }),
      { args: [key], back: r.data('v', key) },
    );

  /** The key of a press or prompt, or the list again when it is not (or no longer) a known setting. */
  const known = (key: string | undefined, then: (key: SettingKey) => Promise<void>) => (ctx: AdminContext) =>
    key !== undefined && isSettingKey(key) ? then(key) : list(ctx);

  r.on('v', 'settings:read', (ctx, [key]) => known(key, (k) => card(ctx, k))(ctx));
  r.on('c', 'settings:write', (ctx, [key]) => known(key, (k) => ask(ctx, k))(ctx));
  r.on('b', 'settings:write', (ctx, [key, on]) => known(key, (k) => save(ctx, k, { value: on === '1' }))(ctx));
  r.on('ch', 'settings:write', (ctx, [key, value]) => known(key, (k) => save(ctx, k, { value }))(ctx));
  r.on('x', 'settings:write', (ctx, [key]) => known(key, (k) => save(ctx, k, { value: '' }))(ctx));
  r.onText('val', 'settings:write', (ctx, text, [key]) => known(key, (k) => save(ctx, k, { input: text }))(ctx));

  return { id: r.id, title: 'admin.settings.menu', permission: 'settings:read', open: list, composer: r.composer };
}
