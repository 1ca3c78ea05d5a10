import { isBackofficeError, type BackofficeError } from '@vpn/backoffice';
import { escapeHtml, type TranslationKey } from '@vpn/i18n';
import type { AdminContext } from '../context.js';

const MESSAGES: Record<BackofficeError['code'], TranslationKey> = {
  FORBIDDEN: 'admin.errors.forbidden',
  INVALID_INPUT: 'admin.errors.invalid',
  NOT_FOUND: 'admin.errors.notFound',
  NOT_ALLOWED: 'admin.errors.notAllowed',
  PROVIDER_CANNOT: 'admin.errors.providerCannot',
  PROVIDER_FAILED: 'admin.errors.providerFailed',
  PANEL_FAILED: 'admin.errors.panelFailed',
  DUPLICATE: 'admin.errors.duplicate',
};

/** The allowed range of an input (a refusal's details, a setting's rule), in the admin's language. */
export function rangeOf(ctx: AdminContext, details: Record<string, unknown>): string {
  const { min, max, allowed, unit, maxItems, maxLength, pattern } = details;
  if (Array.isArray(allowed)) return ctx.t('admin.errors.oneOf', { allowed: allowed.join(', ') });
  if (typeof maxLength === 'number') {
    const length = ctx.t('admin.errors.length', { max: maxLength });
    return typeof pattern === 'string' ? `${length}, ${ctx.t('admin.errors.pattern', { pattern: escapeHtml(pattern) })}` : length;
  }
  if (typeof min !== 'number' || typeof max !== 'number') return '';
  if (typeof maxItems === 'number') return ctx.t('admin.errors.list', { count: maxItems, min, max });
  if (unit === 'minutes' || unit === 'hours' || unit === 'days')
    return ctx.t('admin.errors.duration', { min, max, unit: ctx.t(`admin.settings.units.${unit}`) });
  if (typeof unit === 'string') return ctx.t('admin.errors.unitRange', { min, max, unit: escapeHtml(unit) });
  return ctx.t('admin.errors.range', { min, max });
}

/** What to tell the admin about a back-office refusal: the field and its allowed range, or why not. */
export function refusalText(ctx: AdminContext, error: BackofficeError): string {
  const head = ctx.t(MESSAGES[error.code]);
  if (error.code === 'INVALID_INPUT') return `${head} <b>${escapeHtml(error.field ?? '?')}</b>: ${rangeOf(ctx, error.details)}`.trim();
  // The back office's own words (English, for staff) say which state refused it.
  return error.code === 'FORBIDDEN' ? head : `${head}\n<code>${escapeHtml(error.message.slice(0, 300))}</code>`;
}

/**
 * Runs a back-office call and, when it refuses, tells the admin why (as a new message, so the
 * screen they were on stays); `undefined` then. Anything else (database down) goes to the error boundary.
 */
export async function attempt<T>(ctx: AdminContext, call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (error) {
    if (!isBackofficeError(error)) throw error;
    await ctx.reply(refusalText(ctx, error));
    return undefined;
  }
}

/** A refusal of the bot's own input checks, worded like the back office's: the field and its range. */
export function invalidInput(
  ctx: AdminContext,
  field: string,
  details: { min?: number; max?: number; allowed?: readonly string[] } = {},
): string {
  return `${ctx.t('admin.errors.invalid')} <b>${escapeHtml(field)}</b>: ${rangeOf(ctx, { ...details })}`.trim();
}
