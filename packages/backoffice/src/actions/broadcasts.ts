import type { Broadcast, BroadcastAudience, BroadcastButton, BroadcastStatus, BroadcastVersion } from '@vpn/db';
import { validateTelegramHtml } from '@vpn/i18n';
import type { Actor } from '../actor.js';
import { audit } from '../audit.js';
import type { BackofficeContext } from '../context.js';
import { BackofficeError } from '../errors.js';
import { authorize } from '../permissions.js';
import * as v from '../validate.js';

/** Telegram's limits: a message's text 4096 characters, a caption 1024. */
export const BROADCAST_TEXT_MAX = 4096;
export const BROADCAST_CAPTION_MAX = 1024;
/** The limit: up to 3 rows of buttons; Telegram's own: 64 characters of label. */
export const BROADCAST_BUTTON_ROWS = 3;
export const BROADCAST_BUTTONS_PER_ROW = 4;
/** The longest a broadcast may be scheduled ahead. */
export const BROADCAST_SCHEDULE_MAX_DAYS = 30;
/** Telegram lets a bot delete its messages for 48 h; the worker keeps an hour of margin. */
const DELETE_WINDOW_MS = 47 * 3_600_000;

export interface BroadcastDraft {
  /** The ru version (every customer without a version in their language gets it). */
  ru: BroadcastVersion;
  /** Versions in other languages, by language code. */
  versions?: Record<string, BroadcastVersion>;
  audience: BroadcastAudience;
  /** When to send; absent: the broadcast is created as a draft to start now. */
  scheduledAt?: Date | null;
}

const bad = (field: string, message: string, details: Record<string, unknown> = {}) =>
  new BackofficeError('INVALID_INPUT', `${field}: ${message}`, field, details);

/** A URL button's target: http(s) or a tg:// deep link. */
function buttonUrl(field: string, value: unknown): string {
  const raw = v.text(field, value, 8, 512);
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw bad(field, 'must be an https:// or tg:// link', { pattern: 'https://… | tg://…' });
  }
  if (!['http:', 'https:', 'tg:'].includes(parsed.protocol))
    throw bad(field, 'must be an https:// or tg:// link', { pattern: 'https://… | tg://…' });
  return raw;
}

/** Checks the rows of URL buttons: at most 3 rows of 4, labels 1..64 characters. */
export function validButtons(field: string, rows: unknown): BroadcastButton[][] | null {
  if (rows == null) return null;
  if (!Array.isArray(rows) || rows.length > BROADCAST_BUTTON_ROWS)
    throw bad(field, `at most ${BROADCAST_BUTTON_ROWS} rows`, { min: 0, max: 3 });
  const out = rows.map((row: unknown) => {
    if (!Array.isArray(row) || row.length < 1 || row.length > BROADCAST_BUTTONS_PER_ROW)
      throw bad(field, `1 to ${BROADCAST_BUTTONS_PER_ROW} buttons a row`, { min: 1, max: BROADCAST_BUTTONS_PER_ROW });
    return row.map((b: { text?: unknown; url?: unknown }) => ({
      text: v.text(`${field}.text`, b?.text, 1, 64),
      url: buttonUrl(`${field}.url`, b?.url),
    }));
  });
  return out.length > 0 ? out : null;
}

/** One language's version: HTML Telegram accepts, within the text or caption limit, optional photo/video, buttons. */
export function validVersion(field: string, version: BroadcastVersion): BroadcastVersion {
  const media = version.media ?? null;
  if (media !== null && (!['photo', 'video'].includes(media.kind) || typeof media.fileId !== 'string' || media.fileId.length > 256))
    throw bad(`${field}.media`, 'must be a photo or a video', { allowed: ['photo', 'video'] });
  const max = media ? BROADCAST_CAPTION_MAX : BROADCAST_TEXT_MAX;
  const text = v.text(`${field}.text`, version.text, media ? 0 : 1, max);
  const problems = validateTelegramHtml(text);
  if (problems.length > 0) throw bad(`${field}.text`, `Telegram would refuse this HTML: ${problems.slice(0, 3).join('; ')}`, { problems });
  return { text, media, buttons: validButtons(`${field}.buttons`, version.buttons) };
}

/** The audience filters the delivery repository knows, with their numbers in range. */
function validAudience(a: BroadcastAudience): BroadcastAudience {
  const out: BroadcastAudience = {};
  if (a.subscription !== undefined) {
    if (!['active', 'none', 'expired'].includes(a.subscription))
      throw bad('audience.subscription', 'unknown', { allowed: ['active', 'none', 'expired'] });
    out.subscription = a.subscription;
  }
  if (a.expiredWithinDays !== undefined) out.expiredWithinDays = v.intIn('audience.expiredWithinDays', a.expiredWithinDays, 1, 3650);
  if (a.language !== undefined) out.language = v.text('audience.language', a.language, 2, 8);
  if (a.trialOnly) out.trialOnly = true;
  if (a.neverPaid) out.neverPaid = true;
  if (a.planId !== undefined) out.planId = v.id('audience.planId', a.planId);
  if (a.serverId !== undefined) out.serverId = v.id('audience.serverId', a.serverId);
  return out;
}

/**
 * Creates a broadcast (`broadcasts:write`): a draft to start now, or scheduled (the worker's tick
 * starts it). The texts are checked against Telegram's HTML rules here; the admin bot also sends
 * each version to the admin first, so Telegram's own parser has seen it.
 */
export async function createBroadcast(
  ctx: BackofficeContext,
  actor: Actor,
  input: BroadcastDraft & { createdBy: number },
): Promise<Broadcast> {
  authorize(actor, 'broadcasts:write');
  const ru = validVersion('ru', input.ru);
  const versions: Record<string, BroadcastVersion> = {};
  for (const [lang, version] of Object.entries(input.versions ?? {})) {
    if (!/^[a-z]{2}$/.test(lang) || lang === 'ru') throw bad('versions', 'a two-letter language other than ru', { pattern: 'en' });
    versions[lang] = validVersion(lang, version);
  }
  const audience = validAudience(input.audience);
  const at = input.scheduledAt ?? null;
  if (at !== null) {
    const ahead = at.getTime() - ctx.now().getTime();
    if (!(ahead > 0 && ahead <= BROADCAST_SCHEDULE_MAX_DAYS * 86_400_000))
      throw bad('scheduledAt', `must be in the next ${BROADCAST_SCHEDULE_MAX_DAYS} days`, { min: 0, max: BROADCAST_SCHEDULE_MAX_DAYS });
  }
  return ctx.db.transaction(async (tx) => {
    const created = await ctx.db.repos.broadcasts.create(
      {
        text: ru.text,
        media: ru.media ?? null,
        buttons: ru.buttons ?? null,
        versions,
        audience,
        createdBy: input.createdBy,
        status: at ? 'scheduled' : 'draft',
        scheduledAt: at,
      },
      { transaction: tx },
    );
    const after = { audience, languages: ['ru', ...Object.keys(versions)], scheduledAt: at?.toISOString() ?? null };
    await audit(ctx.db.repos, tx, actor, {
      action: at ? 'broadcast.schedule' : 'broadcast.create',
      entity: 'broadcast',
      entityId: created.id,
      after,
    });
    return created;
  });
}

/**
 * Starts a draft now (`broadcasts:write`): one delivery row per recipient, the paid-broadcast
 * setting as it is now. Started once: a second call (a double press) returns null.
 */
export async function startBroadcast(
  ctx: BackofficeContext,
  actor: Actor,
  input: { broadcastId: number },
): Promise<{ recipients: number } | null> {
  authorize(actor, 'broadcasts:write');
  const id = v.id('broadcastId', input.broadcastId);
  const allowPaid = await ctx.db.repos.settings.getKnown('broadcast.allowPaid');
  return ctx.db.transaction(async (tx) => {
    const recipients = await ctx.db.repos.broadcasts.start(id, ['draft'], { allowPaid }, { transaction: tx });
    if (recipients === null) return null;
    await audit(ctx.db.repos, tx, actor, {
      action: 'broadcast.start',
      entity: 'broadcast',
      entityId: id,
      details: { recipients, allowPaid },
    });
    return { recipients };
  });
}

/** What each control does: the status it sets and the statuses it may come from. */
const CONTROLS = {
  pause: { to: 'paused', from: ['running'] },
  resume: { to: 'running', from: ['paused'] },
  cancel: { to: 'cancelled', from: ['running', 'paused', 'scheduled', 'draft'] },
} as const satisfies Record<string, { to: BroadcastStatus; from: BroadcastStatus[] }>;
export type BroadcastControl = keyof typeof CONTROLS;

/**
 * Pauses, resumes or cancels a broadcast (`broadcasts:write`); the senders read the status every
 * batch. Returns the broadcast as it is now, or null when it was not in a state the control
 * applies to (pressed twice, or it finished meanwhile): nothing changes then.
 */
export async function controlBroadcast(
  ctx: BackofficeContext,
  actor: Actor,
  input: { broadcastId: number; control: BroadcastControl },
): Promise<Broadcast | null> {
  authorize(actor, 'broadcasts:write');
  const id = v.id('broadcastId', input.broadcastId);
  const rule = CONTROLS[input.control];
  if (!rule) throw bad('control', 'unknown', { allowed: Object.keys(CONTROLS) });
  return ctx.db.transaction(async (tx) => {
    const changed = await ctx.db.repos.broadcasts.setStatus(id, rule.to, [...rule.from], { transaction: tx });
    if (!changed) return null;
    await audit(ctx.db.repos, tx, actor, {
      action: `broadcast.${input.control}`,
      entity: 'broadcast',
      entityId: id,
      after: { status: rule.to },
    });
    return changed;
  });
}

/** Whether a broadcast's sent copies may still be deleted (ended, started within Telegram's 48 h). */
export function canDeleteCopies(b: Pick<Broadcast, 'status' | 'startedAt' | 'sentCount'>, now: Date): boolean {
  return (
    (b.status === 'done' || b.status === 'cancelled') &&
    b.sentCount > 0 &&
    b.startedAt !== null &&
    now.getTime() - b.startedAt.getTime() < DELETE_WINDOW_MS
  );
}

/**
 * "Delete the sent copies" (`broadcasts:write`): allowed while Telegram still lets the bot delete
 * them; the caller queues the worker's `delete` job. Audit-logged once per request.
 */
export async function deleteBroadcastCopies(ctx: BackofficeContext, actor: Actor, input: { broadcastId: number }): Promise<Broadcast> {
  authorize(actor, 'broadcasts:write');
  const id = v.id('broadcastId', input.broadcastId);
  const b = await ctx.db.repos.broadcasts.get(id);
  if (!b) throw new BackofficeError('NOT_FOUND', `broadcast ${id} not found`, 'broadcastId');
  if (!canDeleteCopies(b, ctx.now()))
    throw new BackofficeError('NOT_ALLOWED', 'only an ended broadcast started within 48 h has copies to delete');
  await ctx.db.transaction((tx) =>
    audit(ctx.db.repos, tx, actor, {
      action: 'broadcast.delete_copies',
      entity: 'broadcast',
      entityId: id,
      details: { sent: b.sentCount },
    }),
  );
  return b;
}
