import type { BroadcastAudience, BroadcastVersion } from '@vpn/db';
import { escapeHtml } from '@vpn/i18n';
import { broadcastControls } from '@vpn/telegram-kit';
import { GrammyError, InlineKeyboard } from 'grammy';
import type { AdminContext } from '../../context.js';
import { attempt, invalidInput } from '../../ui/errors.js';
import { stamp } from '../../ui/format.js';
import { show, type SectionRouter } from '../../ui/section.js';
import type { FeatureDeps } from '../feature-deps.js';
import { audienceLabel, installAudience } from './audience.js';
import { DRAFT_LANGUAGES, draftOf, parseButtons, parseWhen, saveDraft, type Draft, type DraftLanguage } from './draft.js';

/** The largest file a bot may download through the Bot API (getFile). */
const BOT_API_DOWNLOAD_MAX = 20 * 1024 * 1024;

const isLanguage = (s: string | undefined): s is DraftLanguage => DRAFT_LANGUAGES.includes(s as DraftLanguage);

/** A version's URL buttons as Telegram's inline keyboard. */
export function urlKeyboard(version: BroadcastVersion): InlineKeyboard | undefined {
  const rows = version.buttons ?? [];
  if (rows.length === 0) return undefined;
  return InlineKeyboard.from(rows.map((row) => row.map((b) => InlineKeyboard.url(b.text, b.url))));
}

/**
 * Sends one version to the admin as a customer would get it (the preview). Telegram's own HTML
 * parser reads it here: a text it refuses comes back as its error, and nothing is saved.
 */
async function sendVersion(ctx: AdminContext, version: BroadcastVersion): Promise<string | null> {
  const keyboard = urlKeyboard(version);
  const extra = { ...(keyboard ? { reply_markup: keyboard } : {}), parse_mode: 'HTML' as const };
  try {
    const media = version.media;
    if (media?.kind === 'photo') await ctx.replyWithPhoto(media.fileId, { caption: version.text, ...extra });
    else if (media?.kind === 'video') await ctx.replyWithVideo(media.fileId, { caption: version.text, ...extra });
    else await ctx.reply(version.text, extra);
    return null;
  } catch (err) {
    if (err instanceof GrammyError && err.error_code === 400) return err.description;
    throw err;
  }
}

/**
 * Composing a broadcast (marketing and owner): per-language text (HTML) or a photo/video with a
 * caption, URL buttons, the audience with its live count, a preview to the admin, then send now
 * or at a time. The draft lives in the admin's session; the back office creates and starts it.
 */
export function installCompose(r: SectionRouter, deps: FeatureDeps, afterStart: (ctx: AdminContext, id: number) => Promise<void>) {
  const { db, backoffice } = deps;

  const screen = async (ctx: AdminContext) => {
    const draft = draftOf(ctx);
    const count = await db.repos.broadcasts.countAudience(draft.audience);
    const lines = DRAFT_LANGUAGES.map((lang) => {
      const v = draft.versions[lang];
      if (!v) return `${lang}: ${ctx.t(lang === 'ru' ? 'admin.broadcasts.noText' : 'admin.broadcasts.fallsBack')}`;
      const media = v.media ? ` · ${v.media.kind}` : '';
      const rows = v.buttons?.length ? ` · ${ctx.t('admin.broadcasts.buttonRows', { count: v.buttons.length })}` : '';
      return `${lang}: ✅ ${ctx.t('admin.broadcasts.chars', { count: v.text.length })}${media}${rows}`;
    });
    const keyboard = new InlineKeyboard();
    for (const lang of DRAFT_LANGUAGES) keyboard.text(ctx.t('admin.broadcasts.editText', { lang }), r.data('t', lang));
    keyboard.row();
    for (const lang of DRAFT_LANGUAGES) keyboard.text(ctx.t('admin.broadcasts.editButtons', { lang }), r.data('k', lang));
    keyboard.row().text(ctx.t('admin.broadcasts.audience'), r.data('a')).row();
    if (draft.versions.ru) {
      keyboard.text(ctx.t('admin.broadcasts.preview'), r.data('pv')).row();
      keyboard.text(ctx.t('admin.broadcasts.sendNow'), r.data('s')).text(ctx.t('admin.broadcasts.schedule'), r.data('sc')).row();
    }
    keyboard.text(ctx.t('admin.broadcasts.discard'), r.data('x')).text(ctx.t('admin.common.back'), r.data('o'));
    const text = [
      ctx.t('admin.broadcasts.draft'),
      '',
      ...lines,
      '',
      ctx.t('admin.broadcasts.audienceIs', { audience: await audienceLabel(ctx, db, draft.audience), count }),
    ].join('\n');
    await show(ctx, text, keyboard);
  };
  const update = (ctx: AdminContext, change: (d: Draft) => void) => {
    const draft = draftOf(ctx);
    change(draft);
    saveDraft(ctx, draft);
  };
  const setAudience = async (ctx: AdminContext, audience: BroadcastAudience) => {
    update(ctx, (d) => (d.audience = audience));
    await screen(ctx);
  };
  installAudience(r, deps, { get: (ctx) => draftOf(ctx).audience, set: setAudience, back: r.data('d') });

  const askText = (ctx: AdminContext, lang: DraftLanguage) =>
    r.ask(ctx, 't', ctx.t('admin.broadcasts.askText', { lang }), { args: [lang], back: r.data('d') });
  /** A new text (or photo/video with its caption) for `lang`: Telegram must accept it before it is kept. */
  const takeVersion = async (ctx: AdminContext, lang: string | undefined, version: BroadcastVersion) => {
    if (!isLanguage(lang)) return;
    const buttons = draftOf(ctx).versions[lang]?.buttons ?? null;
    const refused = await sendVersion(ctx, { ...version, buttons });
    if (refused) {
      await ctx.reply(`${invalidInput(ctx, ctx.t('admin.fields.text'))}\n<code>${escapeHtml(refused)}</code>`);
      return askText(ctx, lang);
    }
    update(ctx, (d) => (d.versions[lang] = { ...version, buttons }));
    await screen(ctx);
  };

  r.on('n', 'broadcasts:write', async (ctx) => {
    saveDraft(ctx, undefined);
    await screen(ctx);
  });
  r.on('d', 'broadcasts:write', (ctx) => screen(ctx));
  r.on('x', 'broadcasts:write', async (ctx) => {
    saveDraft(ctx, undefined);
    await show(ctx, ctx.t('admin.broadcasts.discarded'), new InlineKeyboard().text(ctx.t('admin.common.back'), r.data('o')));
  });
  r.on('t', 'broadcasts:write', (ctx, [lang]) => (isLanguage(lang) ? askText(ctx, lang) : screen(ctx)));
  r.onText('t', 'broadcasts:write', (ctx, text, [lang]) => takeVersion(ctx, lang, { text, media: null }));
  // A photo or a video with a caption answers the same prompt (the SectionRouter takes only text).
  r.composer.on(['message:photo', 'message:video'], async (ctx, next) => {
    const prompt = ctx.session.prompt;
    if (prompt?.s !== r.id || prompt.n !== 't') return next();
    ctx.session.prompt = undefined;
    const video = ctx.message.video;
    const lang = prompt.a?.[0];
    // Customers get it from the client bot, which must download it from this bot first: the Bot
    // API downloads files up to 20 MB only.
    if (video && (video.file_size ?? 0) > BOT_API_DOWNLOAD_MAX) {
      await ctx.reply(ctx.t('admin.broadcasts.videoTooBig', { mb: BOT_API_DOWNLOAD_MAX / 1024 / 1024 }));
      return isLanguage(lang) ? askText(ctx, lang) : undefined;
    }
    const photo = ctx.message.photo?.at(-1);
    const media = photo
      ? { kind: 'photo' as const, fileId: photo.file_id }
      : { kind: 'video' as const, fileId: ctx.message.video!.file_id };
    await takeVersion(ctx, lang, { text: ctx.message.caption ?? '', media });
  });

  r.on('k', 'broadcasts:write', async (ctx, [lang]) => {
    if (isLanguage(lang) && draftOf(ctx).versions[lang])
      return r.ask(ctx, 'k', ctx.t('admin.broadcasts.askButtons'), { args: [lang], back: r.data('d') });
    await ctx.answerCallbackQuery({ text: ctx.t('admin.broadcasts.textFirst'), show_alert: true });
  });
  r.onText('k', 'broadcasts:write', async (ctx, text, [lang]) => {
    const parsed = parseButtons(text);
    const version = isLanguage(lang) ? draftOf(ctx).versions[lang] : undefined;
    if (!version || !isLanguage(lang)) return screen(ctx);
    if ('problem' in parsed) {
      await ctx.reply(`${invalidInput(ctx, ctx.t('admin.fields.buttons'))} ${ctx.t(`admin.broadcasts.buttonsProblem.${parsed.problem}`)}`);
      return r.ask(ctx, 'k', ctx.t('admin.broadcasts.askButtons'), { args: [lang], back: r.data('d') });
    }
    update(ctx, (d) => (d.versions[lang] = { ...version, buttons: parsed.rows }));
    await screen(ctx);
  });

  r.on('pv', 'broadcasts:write', async (ctx) => {
    const draft = draftOf(ctx);
    for (const lang of DRAFT_LANGUAGES) {
      const version = draft.versions[lang];
      if (!version) continue;
      await ctx.reply(ctx.t('admin.broadcasts.previewOf', { lang }));
      const refused = await sendVersion(ctx, version);
      if (refused) await ctx.reply(`⚠️ <code>${escapeHtml(refused)}</code>`);
    }
    await ctx.reply(ctx.t('admin.broadcasts.previewDone'), {
      reply_markup: new InlineKeyboard().text(ctx.t('admin.common.back'), r.data('d')),
    });
  });

  // Send now: a confirmation naming the count; the draft leaves the session on the first press, so a double press is one broadcast.
  r.on('s', 'broadcasts:write', async (ctx) => {
    const count = await db.repos.broadcasts.countAudience(draftOf(ctx).audience);
    const keyboard = new InlineKeyboard().text(ctx.t('admin.common.confirm'), r.data('sy')).text(ctx.t('admin.common.cancel'), r.data('d'));
    await show(ctx, ctx.t('admin.broadcasts.confirmSend', { count }), keyboard);
  });
  const create = async (ctx: AdminContext, scheduledAt: Date | null) => {
    const draft = draftOf(ctx);
    const { ru, ...others } = draft.versions;
    if (!ru) return screen(ctx);
    saveDraft(ctx, undefined);
    const created = await attempt(ctx, () =>
      backoffice.broadcasts.create(ctx.actor, {
        ru,
        versions: others,
        audience: draft.audience,
        scheduledAt,
        createdBy: ctx.admin.telegramId,
      }),
    );
    if (!created) saveDraft(ctx, draft);
    return created;
  };
  r.on('sy', 'broadcasts:write', async (ctx) => {
    if (!draftOf(ctx).versions.ru) {
      await ctx.answerCallbackQuery({ text: ctx.t('admin.common.outdated'), show_alert: true });
      return;
    }
    const created = await create(ctx, null);
    if (!created) return;
    const started = await attempt(ctx, () => backoffice.broadcasts.start(ctx.actor, { broadcastId: created.id }));
    if (started) await afterStart(ctx, created.id);
  });

  r.on('sc', 'broadcasts:write', (ctx) =>
    r.ask(ctx, 'w', ctx.t('admin.broadcasts.askWhen', { zone: deps.timeZone, now: stamp(deps.now()) }), { back: r.data('d') }),
  );
  r.onText('w', 'broadcasts:write', async (ctx, text) => {
    const at = parseWhen(text, deps.timeZone, deps.now());
    if (!at || at.getTime() <= deps.now().getTime()) {
      await ctx.reply(`${invalidInput(ctx, ctx.t('admin.fields.when'))} ${ctx.t('admin.broadcasts.whenFormat')}`);
      return r.ask(ctx, 'w', ctx.t('admin.broadcasts.askWhen', { zone: deps.timeZone, now: stamp(deps.now()) }), { back: r.data('d') });
    }
    const created = await create(ctx, at);
    if (!created) return;
    const keyboard = broadcastControls(ctx.t, created);
    const message = await ctx.reply(ctx.t('admin.broadcasts.scheduled', { id: created.id, at: stamp(at) }), {
      ...(keyboard ? { reply_markup: keyboard } : {}),
    });
    // The worker edits this message once the broadcast runs.
    await db.repos.broadcasts.setProgressMessage(created.id, message.chat.id, message.message_id, ctx.i18n.language);
  });
}
