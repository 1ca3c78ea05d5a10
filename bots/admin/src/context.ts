import type { AdminActor } from '@vpn/backoffice';
import type { Admin } from '@vpn/db';
import type { Language } from '@vpn/i18n';
import type { BotContext } from '@vpn/telegram-kit';

/** Text the bot waits for: which section asked, what for, and the ids the answer belongs to. */
export interface Prompt {
  /** The section id (the first part of its callback data). */
  s: string;
  /** The prompt's name within the section. */
  n: string;
  a?: string[];
}

/** What the admin bot keeps per admin in Redis (small: read and written on every update). */
export interface AdminSession {
  /** The admin's own language; absent → Telegram's `language_code`. */
  language?: Language;
  prompt?: Prompt;
  /** A section's draft between steps (a server being added, a plan being created …), by section id. */
  drafts?: Record<string, Record<string, unknown>>;
  /** A section's list filters, by section id. */
  filters?: Record<string, Record<string, string | number>>;
}

/** Set by the staff gate on every update that passes it: the admins row and the actor the back office checks. */
export interface StaffFlavor {
  actor: AdminActor;
  admin: Admin;
}

/** The context of every admin bot handler behind the gate. */
export type AdminContext = BotContext<AdminSession> & StaffFlavor;
