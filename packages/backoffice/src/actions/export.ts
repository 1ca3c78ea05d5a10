import type { CustomerSegment, PaymentStatus } from '@vpn/db';
import { CUSTOMER_SEGMENTS, PAYMENT_STATUSES } from '@vpn/db';
import { currencyExponent, minorToDecimal } from '@vpn/payments';
import type { Actor } from '../actor.js';
import { audit } from '../audit.js';
import type { BackofficeContext } from '../context.js';
import { BackofficeError } from '../errors.js';
import { authorize } from '../permissions.js';

/** The most rows one export holds (a few MB, far below Telegram's 50 MB for a bot's document). */
export const EXPORT_MAX_ROWS = 20_000;
const PAGE = 200;

export interface CsvExport {
  /** UTF-8 with a BOM (spreadsheets then read Cyrillic right), `\r\n` line ends (RFC 4180). */
  csv: Buffer;
  rows: number;
  /** More rows matched than {@link EXPORT_MAX_ROWS}: the newest were exported. */
  truncated: boolean;
}

/**
 * One CSV cell: quoted when it holds a comma, quote or line break; a cell a spreadsheet would run
 * as a formula (`=`, `+`, `-`, `@`, tab, CR at the start: customers choose their own names) gets
 * a leading apostrophe.
 */
export function csvCell(value: string | number | boolean | Date | null | undefined): string {
  let s = value === null || value === undefined ? '' : value instanceof Date ? value.toISOString() : String(value);
  if (/^[=+\-@\t\r]/.test(s) && typeof value === 'string') s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

type Cell = Parameters<typeof csvCell>[0];
/** The file, once its export is in the audit log (who took which rows out, how many). */
async function finish(
  ctx: BackofficeContext,
  actor: Actor,
  what: { action: string; entity: string; entityId: string },
  header: string[],
  rows: Cell[][],
  truncated: boolean,
): Promise<CsvExport> {
  await ctx.db.transaction((tx) => audit(ctx.db.repos, tx, actor, { ...what, details: { rows: rows.length, truncated } }));
  const csv = Buffer.from(`\uFEFF${[header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`, 'utf8');
  return { csv, rows: rows.length, truncated };
}

/** Pages through a keyset list until it ends or the cap is reached. */
async function collect<T>(page: (cursor: T | undefined) => Promise<T[]>): Promise<{ items: T[]; truncated: boolean }> {
  const items: T[] = [];
  for (let cursor: T | undefined; ;) {
    const rows = await page(cursor);
    items.push(...rows);
    if (items.length > EXPORT_MAX_ROWS) return { items: items.slice(0, EXPORT_MAX_ROWS), truncated: true };
    if (rows.length < PAGE) return { items, truncated: false };
    cursor = rows.at(-1);
  }
}

/** Customers of a segment as CSV (`customers:export`), newest first; the export is audited (it is personal data leaving). */
export async function exportCustomers(ctx: BackofficeContext, actor: Actor, input: { segment: CustomerSegment }): Promise<CsvExport> {
  authorize(actor, 'customers:export');
  if (!CUSTOMER_SEGMENTS.includes(input.segment))
    throw new BackofficeError('INVALID_INPUT', 'segment: unknown', 'segment', { allowed: CUSTOMER_SEGMENTS });
  const { items, truncated } = await collect((last: { id: number } | undefined) =>
    ctx.db.repos.users.listForStaff({ segment: input.segment, limit: PAGE, ...(last ? { beforeId: last.id } : {}) }),
  );
  const header = [
    'id',
    'telegram_id',
    'username',
    'first_name',
    'last_name',
    'language',
    'created_at',
    'trial_used_at',
    'blocked',
    'referral_code',
  ];
  const rows = items.map((u) => [
    u.id,
    u.telegramId,
    u.username,
    u.firstName,
    u.lastName,
    u.languageCode,
    u.createdAt,
    u.trialUsedAt,
    u.blocked,
    u.referralCode,
  ]);
  return finish(ctx, actor, { action: 'customer.export', entity: 'segment', entityId: input.segment }, header, rows, truncated);
}

/** Payments (of one status, or all) as CSV (`payments:export`), newest first; audited. */
export async function exportPayments(ctx: BackofficeContext, actor: Actor, input: { status?: PaymentStatus }): Promise<CsvExport> {
  authorize(actor, 'payments:export');
  if (input.status !== undefined && !PAYMENT_STATUSES.includes(input.status))
    throw new BackofficeError('INVALID_INPUT', 'status: unknown', 'status', { allowed: PAYMENT_STATUSES });
  const { items, truncated } = await collect((last: { createdAt: Date; id: string } | undefined) =>
    ctx.db.repos.payments.listForStaff({
      limit: PAGE,
      ...(input.status ? { status: input.status } : {}),
      ...(last ? { before: { createdAt: last.createdAt, id: last.id } } : {}),
    }),
  );
  const header = [
    'id',
    'user_id',
    'status',
    'kind',
    'provider',
    'external_id',
    'amount',
    'currency',
    'plan_id',
    'promo_code_id',
    'created_at',
    'paid_at',
    'refunded_at',
  ];
  const rows = items.map((p) => [
    p.id,
    p.userId,
    p.status,
    p.kind,
    p.provider,
    p.externalId,
    minorToDecimal(p.amountMinor, currencyExponent(p.currency)),
    p.currency,
    p.planId,
    p.promoCodeId,
    p.createdAt,
    p.paidAt,
    p.refundedAt,
  ]);
  return finish(ctx, actor, { action: 'payment.export', entity: 'payments', entityId: input.status ?? 'all' }, header, rows, truncated);
}
