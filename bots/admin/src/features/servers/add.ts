import type { ServerDraft } from '@vpn/backoffice';
import { PANEL_KINDS, type PanelKind } from '@vpn/db';
import { escapeHtml } from '@vpn/i18n';
import { InlineKeyboard } from 'grammy';
import type { AdminContext } from '../../context.js';
import { attempt, invalidInput } from '../../ui/errors.js';
import type { SectionRouter } from '../../ui/section.js';
import type { FeatureDeps } from '../feature-deps.js';
import { needsSettings, parseCredentials, parseSettings, type InputError } from './panel-input.js';

/** The server being added, between steps (no credentials: they are asked last and never stored). */
type Draft = Partial<Omit<ServerDraft, 'credentials'>>;

const isKind = (k: string | undefined): k is PanelKind => (PANEL_KINDS as readonly string[]).includes(k ?? '');

/**
 * Adding a panel, one question at a time: kind → URL → panel settings → name → country →
 * capacity → credentials. The credentials come last so they never wait in the session: the
 * message carrying them is deleted, the connection test runs, and only a panel that answers is
 * saved (encrypted, by the back office).
 */
export function installAddServer(r: SectionRouter, deps: FeatureDeps, showCard: (ctx: AdminContext, id: number) => Promise<void>): void {
  const draftOf = (ctx: AdminContext): Draft => ctx.session.drafts?.srv ?? {};
  const setDraft = (ctx: AdminContext, draft: Draft) => {
    ctx.session.drafts = { ...ctx.session.drafts, srv: draft };
  };
  const back = r.data('o');
  const ask = (ctx: AdminContext, name: string) => r.ask(ctx, name, ctx.t(`admin.servers.ask.${name as 'url'}`), { back });
  const refuse = async (ctx: AdminContext, error: InputError, again: string) => {
    await ctx.reply(invalidInput(ctx, error.field, error.details));
    await ask(ctx, again);
  };

  r.on('a', 'servers:write', async (ctx) => {
    setDraft(ctx, {});
    const keyboard = new InlineKeyboard();
    PANEL_KINDS.forEach((kind, i) => {
      keyboard.text(kind, r.data('k', kind));
      if (i % 3 === 2) keyboard.row();
    });
    keyboard.row().text(ctx.t('admin.common.cancel'), back);
    await ctx.reply(ctx.t('admin.servers.ask.kind'), { reply_markup: keyboard });
  });
  r.on('k', 'servers:write', async (ctx, [kind]) => {
    if (!isKind(kind)) return;
    setDraft(ctx, { panelKind: kind });
    await ask(ctx, 'url');
  });
  r.onText('url', 'servers:write', async (ctx, text) => {
    const baseUrl = text.trim().replace(/\/+$/, '');
    if (baseUrl.length > 300 || !/^https?:\/\/[^\s/@]+(\/\S*)?$/.test(baseUrl))
      return refuse(ctx, { field: 'baseUrl', details: { min: 8, max: 300 } }, 'url');
    const draft = { ...draftOf(ctx), baseUrl };
    setDraft(ctx, draft);
    await ask(ctx, draft.panelKind && needsSettings(draft.panelKind) ? `settings_${draft.panelKind.replace('-', '')}` : 'name');
  });
  for (const kind of PANEL_KINDS.filter(needsSettings)) {
    r.onText(`settings_${kind.replace('-', '')}`, 'servers:write', async (ctx, text) => {
      const draft = draftOf(ctx);
      const parsed = parseSettings(kind, text, draft.baseUrl ?? '');
      if (!parsed.ok) return refuse(ctx, parsed.error, `settings_${kind.replace('-', '')}`);
      setDraft(ctx, { ...draft, settings: parsed.value });
      await ask(ctx, 'name');
    });
  }
  r.onText('name', 'servers:write', async (ctx, text) => {
    const name = text.trim();
    if (!/^[\w.-]{1,64}$/.test(name)) return refuse(ctx, { field: 'name', details: { min: 1, max: 64 } }, 'name');
    setDraft(ctx, { ...draftOf(ctx), name });
    await ask(ctx, 'country');
  });
  r.onText('country', 'servers:write', async (ctx, text) => {
    const code = text.trim().toUpperCase();
    if (code !== '-' && !/^[A-Z]{2}$/.test(code))
      return refuse(ctx, { field: 'countryCode', details: { allowed: ['NL', 'DE', '…', '-'] } }, 'country');
    setDraft(ctx, { ...draftOf(ctx), countryCode: code === '-' ? null : code });
    await ask(ctx, 'capacity');
  });
  r.onText('capacity', 'servers:write', async (ctx, text) => {
    const value = text.trim();
    const capacity = value === '-' ? null : Number(value);
    if (capacity !== null && (!/^\d{1,7}$/.test(value) || capacity < 1 || capacity > 1_000_000))
      return refuse(ctx, { field: 'capacity', details: { min: 1, max: 1_000_000 } }, 'capacity');
    setDraft(ctx, { ...draftOf(ctx), capacity });
    await ask(ctx, `creds_${draftOf(ctx).panelKind === 'remnawave' ? 'token' : 'login'}`);
  });
  const onCredentials = async (ctx: AdminContext, text: string): Promise<void> => {
    // The secret leaves the chat at once (as far as the bot can: it deletes the admin's message).
    await ctx.deleteMessage().catch(() => undefined);
    const draft = draftOf(ctx);
    if (!draft.panelKind || !draft.baseUrl || !draft.name) {
      await ctx.reply(ctx.t('admin.servers.draftLost'));
      return;
    }
    const parsed = parseCredentials(draft.panelKind, text);
    if (!parsed.ok) return refuse(ctx, parsed.error, `creds_${draft.panelKind === 'remnawave' ? 'token' : 'login'}`);
    await ctx.reply(ctx.t('admin.servers.testing'));
    const input: ServerDraft = { ...(draft as Required<Draft>), credentials: parsed.value };
    const made = await attempt(ctx, () => deps.backoffice.servers.add(ctx.actor, input));
    if (!made) {
      const again = new InlineKeyboard().text(ctx.t('admin.servers.retry'), r.data('a')).text(ctx.t('admin.common.back'), back);
      await ctx.reply(ctx.t('admin.servers.notSaved'), { reply_markup: again });
      return;
    }
    setDraft(ctx, {});
    await ctx.reply(
      ctx.t('admin.servers.saved', { name: escapeHtml(made.server.name), version: made.health.version ?? '?', ms: made.health.latencyMs }),
    );
    await showCard(ctx, made.server.id);
  };
  r.onText('creds_login', 'servers:write', onCredentials);
  r.onText('creds_token', 'servers:write', onCredentials);
}
