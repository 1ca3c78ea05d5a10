import type { Server } from '@vpn/db';
import { escapeHtml } from '@vpn/i18n';
import { can } from '@vpn/backoffice';
import { InlineKeyboard } from 'grammy';
import type { AdminContext } from '../../context.js';
import { attempt, invalidInput } from '../../ui/errors.js';
import { stamp } from '../../ui/format.js';
import { HOME, SectionRouter, show, type Section } from '../../ui/section.js';
import type { FeatureDeps } from '../feature-deps.js';
import { installAddServer } from './add.js';
import { flag } from './panel-input.js';

const HEALTH_ICON: Record<string, string> = { healthy: '🟢', degraded: '🟡', down: '🔴', unknown: '⚪️' };

/** A server's state for staff: disabled, draining (weight 0) or serving. */
const stateOf = (s: Server): 'disabled' | 'draining' | 'serving' => (!s.active ? 'disabled' : s.weight === 0 ? 'draining' : 'serving');

/**
 * Servers: the panels accounts are placed on. The list and a card per server (health, load,
 * state; never its credentials), a health check on demand, enable / disable, drain / undrain and
 * capacity, all through the back office (audited); adding one is `add.ts`.
 */
export function createServersSection(deps: FeatureDeps): Section {
  const r = new SectionRouter('srv');
  const { db, backoffice } = deps;

  const summary = (ctx: AdminContext, s: Server) =>
    `${HEALTH_ICON[s.healthStatus] ?? '⚪️'} ${flag(s.countryCode)} <b>${escapeHtml(s.name)}</b> · ${s.panelKind} · ${s.usersCount}/${s.capacity ?? '∞'} · ${ctx.t(`admin.servers.state.${stateOf(s)}`)}`;

  const list = async (ctx: AdminContext) => {
    const servers = await db.repos.servers.list();
    const keyboard = new InlineKeyboard();
    for (const s of servers) keyboard.text(`${flag(s.countryCode)} ${s.name}`, r.data('v', s.id)).row();
    if (can(ctx.actor, 'servers:write')) keyboard.text(ctx.t('admin.servers.add'), r.data('a')).row();
    keyboard.text(ctx.t('admin.common.menu'), HOME);
    const lines = servers.length > 0 ? servers.map((s) => summary(ctx, s)) : [ctx.t('admin.servers.empty')];
    await show(ctx, [ctx.t('admin.servers.title'), '', ...lines].join('\n'), keyboard);
  };

  const card = async (ctx: AdminContext, id: number) => {
    const s = await db.repos.servers.get(id);
    if (!s) return list(ctx);
    const text = [
      summary(ctx, s),
      ctx.t('admin.servers.card', {
        url: s.baseUrl,
        weight: s.weight,
        latency: s.latencyMs ?? '—',
        checked: stamp(s.healthCheckedAt),
      }),
      s.lastError ? `\n⚠️ <code>${escapeHtml(s.lastError.slice(0, 300))}</code>` : '',
    ].join('\n');
    const keyboard = new InlineKeyboard().text(ctx.t('admin.servers.check'), r.data('c', s.id)).row();
    if (can(ctx.actor, 'servers:write')) {
      keyboard
        .text(ctx.t(s.active ? 'admin.servers.disable' : 'admin.servers.enable'), r.data('e', s.id, s.active ? 0 : 1))
        .text(ctx.t(s.weight === 0 ? 'admin.servers.undrain' : 'admin.servers.drain'), r.data('d', s.id, s.weight === 0 ? 1 : 0))
        .row()
        .text(ctx.t('admin.servers.capacity'), r.data('cp', s.id))
        .row();
    }
    keyboard.text(ctx.t('admin.common.back'), r.data('o'));
    await show(ctx, text, keyboard);
  };

  r.on('v', 'servers:read', (ctx, [id]) => card(ctx, Number(id)));
  r.on('c', 'servers:read', async (ctx, [id]) => {
    const result = await attempt(ctx, () => backoffice.servers.check(ctx.actor, { serverId: Number(id) }));
    if (result) await ctx.answerCallbackQuery({ text: `${HEALTH_ICON[result.status] ?? ''} ${result.status} · ${result.latencyMs} ms` });
    await card(ctx, Number(id));
  });
  r.on('e', 'servers:write', async (ctx, [id, on]) => {
    if (await attempt(ctx, () => backoffice.servers.update(ctx.actor, { serverId: Number(id), active: on === '1' })))
      await card(ctx, Number(id));
  });
  r.on('d', 'servers:write', async (ctx, [id, weight]) => {
    if (await attempt(ctx, () => backoffice.servers.update(ctx.actor, { serverId: Number(id), weight: Number(weight) })))
      await card(ctx, Number(id));
  });
  r.on('cp', 'servers:write', (ctx, [id]) =>
    r.ask(ctx, 'cap', ctx.t('admin.servers.ask.capacity'), { args: [Number(id)], back: r.data('v', Number(id)) }),
  );
  r.onText('cap', 'servers:write', async (ctx, text, [id]) => {
    const value = text.trim();
    const capacity = value === '-' ? null : Number(value);
    if (capacity !== null && (!/^\d{1,7}$/.test(value) || capacity < 1 || capacity > 1_000_000)) {
      await ctx.reply(invalidInput(ctx, 'capacity', { min: 1, max: 1_000_000 }));
      return r.ask(ctx, 'cap', ctx.t('admin.servers.ask.capacity'), { args: [Number(id)], back: r.data('v', Number(id)) });
    }
    if (await attempt(ctx, () => backoffice.servers.update(ctx.actor, { serverId: Number(id), capacity }))) await card(ctx, Number(id));
  });
  installAddServer(r, deps, card);

  return { id: r.id, title: 'admin.servers.menu', permission: 'servers:read', open: list, composer: r.composer };
}
