import { can, canDeleteCopies } from '@vpn/backoffice';
import type { Broadcast } from '@vpn/db';
import { BROADCAST_CONTROL_VERBS, broadcastControls, broadcastProgressText } from '@vpn/telegram-kit';
import { InlineKeyboard } from 'grammy';
import type { AdminContext } from '../../context.js';
import { attempt } from '../../ui/errors.js';
import { stamp } from '../../ui/format.js';
import { HOME, SectionRouter, show, type Section } from '../../ui/section.js';
import type { FeatureDeps } from '../feature-deps.js';
import { audienceLabel } from './audience.js';
import { installCompose } from './compose.js';

const PAGE = 10;

/**
 * Broadcasts (marketing and owner): the latest with their counters, composing a new one
 * (`compose.ts`), and the controls under its live progress message: pause, resume, cancel, and
 * "delete the sent copies" within Telegram's 48 h. The back office changes the state (audited);
 * the worker sends, reading the state every batch, and keeps the progress message current.
 */
export function createBroadcastsSection(deps: FeatureDeps): Section {
  const r = new SectionRouter('bc');
  const { db, backoffice, producers } = deps;

  const list = async (ctx: AdminContext) => {
    const rows = await db.repos.broadcasts.list(PAGE);
    const keyboard = new InlineKeyboard();
    for (const b of rows)
      keyboard
        .text(`#${b.id} · ${ctx.t(`notifications.broadcast.status.${b.status}`)} · ${b.sentCount}/${b.totalCount}`, r.data('v', b.id))
        .row();
    if (can(ctx.actor, 'broadcasts:write')) keyboard.text(ctx.t('admin.broadcasts.new'), r.data('n')).row();
    keyboard.text(ctx.t('admin.common.menu'), HOME);
    const lines = rows.map(
      (b) => `#${b.id} ${stamp(b.createdAt)} · ${ctx.t(`notifications.broadcast.status.${b.status}`)} · ${b.sentCount}/${b.totalCount}`,
    );
    await show(
      ctx,
      [ctx.t('admin.broadcasts.title'), '', ...(lines.length > 0 ? lines : [ctx.t('admin.broadcasts.empty')])].join('\n'),
      keyboard,
    );
  };

  /** The broadcast's state with its buttons: on the progress message itself, or a card from the list. */
  const state = async (ctx: AdminContext, b: Broadcast) => {
    const text = [
      broadcastProgressText(ctx.t, b, b.status !== 'running', deps.now()),
      ctx.t('admin.broadcasts.audienceIs', { audience: await audienceLabel(ctx, db, b.audience), count: b.totalCount }),
      b.scheduledAt ? ctx.t('admin.broadcasts.at', { at: stamp(b.scheduledAt) }) : null,
    ].filter((l) => l !== null);
    const keyboard = (can(ctx.actor, 'broadcasts:write') ? broadcastControls(ctx.t, b) : undefined) ?? new InlineKeyboard();
    await show(ctx, text.join('\n'), keyboard.row().text(ctx.t('admin.common.back'), r.data('o')));
  };
  const card = async (ctx: AdminContext, id: number) => {
    const b = await db.repos.broadcasts.get(id);
    return b ? state(ctx, b) : list(ctx);
  };

  /** After the start: the live progress message the worker edits as it sends. */
  const afterStart = async (ctx: AdminContext, id: number) => {
    const b = await db.repos.broadcasts.get(id);
    if (!b) return;
    const keyboard = broadcastControls(ctx.t, b);
    const message = await ctx.reply(broadcastProgressText(ctx.t, b, false, deps.now()), {
      ...(keyboard ? { reply_markup: keyboard } : {}),
    });
    await db.repos.broadcasts.setProgressMessage(id, message.chat.id, message.message_id, ctx.i18n.language);
    await producers.broadcast.add({ scope: 'run', broadcastId: id });
  };
  installCompose(r, deps, afterStart);

  r.on('v', 'broadcasts:read', (ctx, [id]) => card(ctx, Number(id)));
  const control = (verb: string, what: 'pause' | 'resume' | 'cancel') =>
    r.on(verb, 'broadcasts:write', async (ctx, [id]) => {
      const changed = await attempt(ctx, () => backoffice.broadcasts.control(ctx.actor, { broadcastId: Number(id), control: what }));
      if (changed === null) await ctx.answerCallbackQuery({ text: ctx.t('admin.broadcasts.notNow'), show_alert: true });
      // A resumed broadcast needs its sender again (the worker's tick would also give it one within seconds).
      if (changed && what === 'resume') await producers.broadcast.add({ scope: 'run', broadcastId: changed.id });
      await card(ctx, Number(id));
    });
  control(BROADCAST_CONTROL_VERBS.pause, 'pause');
  control(BROADCAST_CONTROL_VERBS.resume, 'resume');
  control(BROADCAST_CONTROL_VERBS.cancel, 'cancel');
  r.on(BROADCAST_CONTROL_VERBS.deleteCopies, 'broadcasts:write', async (ctx, [id]) => {
    const b = await db.repos.broadcasts.get(Number(id));
    if (!b || !canDeleteCopies(b, deps.now())) {
      await ctx.answerCallbackQuery({ text: ctx.t('admin.broadcasts.tooLate'), show_alert: true });
      return;
    }
    const keyboard = new InlineKeyboard()
      .text(ctx.t('admin.common.confirm'), r.data('dy', b.id))
      .text(ctx.t('admin.common.cancel'), r.data('v', b.id));
    await ctx.reply(ctx.t('admin.broadcasts.confirmDelete', { id: b.id, count: b.sentCount }), { reply_markup: keyboard });
  });
  r.on('dy', 'broadcasts:write', async (ctx, [id]) => {
    const b = await attempt(ctx, () => backoffice.broadcasts.deleteCopies(ctx.actor, { broadcastId: Number(id) }));
    if (!b) return;
    await producers.broadcast.add({ scope: 'delete', broadcastId: b.id });
    await show(
      ctx,
      ctx.t('admin.broadcasts.deleting', { id: b.id, count: b.sentCount }),
      new InlineKeyboard().text(ctx.t('admin.common.back'), r.data('o')),
    );
  });

  return { id: r.id, title: 'admin.broadcasts.menu', permission: 'broadcasts:read', open: list, composer: r.composer };
}
