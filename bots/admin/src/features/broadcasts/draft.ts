import { BROADCAST_BUTTON_ROWS, BROADCAST_BUTTONS_PER_ROW } from '@vpn/backoffice';
import type { BroadcastAudience, BroadcastButton, BroadcastVersion } from '@vpn/db';
import type { AdminContext } from '../../context.js';

/** The languages a broadcast has versions in; ru is the fallback every customer can get. */
export const DRAFT_LANGUAGES = ['ru', 'en'] as const;
export type DraftLanguage = (typeof DRAFT_LANGUAGES)[number];

/** A broadcast being composed, kept in the admin's session between steps. */
export interface Draft {
  versions: Partial<Record<DraftLanguage, BroadcastVersion>>;
  audience: BroadcastAudience;
}

/** The admin's draft (a new, empty one when there is none). */
export function draftOf(ctx: AdminContext): Draft {
  const stored = ctx.session.drafts?.bc as Draft | undefined;
  return stored ?? { versions: {}, audience: {} };
}

export function saveDraft(ctx: AdminContext, draft: Draft | undefined): void {
  const { bc: _old, ...rest } = ctx.session.drafts ?? {};
  ctx.session.drafts = draft ? { ...rest, bc: draft as unknown as Record<string, unknown> } : rest;
}

/**
 * Parses the buttons an admin types: one line per row, buttons in a row apart by `;`, each
 * `label | link`. `-` alone removes them. Returns the rows, or the problem (the bot names it).
 */
export function parseButtons(text: string): { rows: BroadcastButton[][] | null } | { problem: 'rows' | 'perRow' | 'format' } {
  const trimmed = text.trim();
  if (trimmed === '-') return { rows: null };
  const lines = trimmed
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  if (lines.length === 0 || lines.length > BROADCAST_BUTTON_ROWS) return { problem: 'rows' };
  const rows: BroadcastButton[][] = [];
  for (const line of lines) {
    const cells = line
      .split(';')
      .map((c) => c.trim())
      .filter((c) => c !== '');
    if (cells.length === 0 || cells.length > BROADCAST_BUTTONS_PER_ROW) return { problem: 'perRow' };
    const row: BroadcastButton[] = [];
    for (const cell of cells) {
      const bar = cell.lastIndexOf('|');
      const label = cell.slice(0, bar).trim();
      const url = cell.slice(bar + 1).trim();
      if (bar < 1 || label === '' || label.length > 64 || !/^(https?|tg):\/\/\S+$/.test(url)) return { problem: 'format' };
      row.push({ text: label, url });
    }
    rows.push(row);
  }
  return { rows };
}

/** The parts of `date` as a wall clock in `timeZone`. */
function wallClock(date: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).formatToParts(date);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'));
}

/**
 * The moment an admin means by `YYYY-MM-DD HH:MM` or `HH:MM` (the next such time) in `timeZone`;
 * null when the text is not one of those.
 */
export function parseWhen(text: string, timeZone: string, now: Date): Date | null {
  const full = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{1,2}):(\d{2})$/.exec(text.trim());
  const short = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
  let wall: number;
  if (full) {
    const [y = 0, mo = 0, d = 0, h = 0, mi = 0] = full.slice(1).map(Number);
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59) return null;
    wall = Date.UTC(y, mo - 1, d, h, mi);
  } else if (short) {
    const [h = 0, mi = 0] = short.slice(1).map(Number);
    if (h > 23 || mi > 59) return null;
    const today = new Date(wallClock(now, timeZone));
    wall = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate(), h, mi);
    if (wall <= wallClock(now, timeZone)) wall += 86_400_000;
  } else return null;
  // The zone's offset at that moment (one correction covers every offset but a DST gap's hour).
  const offset = wallClock(new Date(wall), timeZone) - wall;
  return new Date(wall - offset);
}
