import type { Database, SupportRelay, User } from '@vpn/db';
import type { I18n, Translate } from '@vpn/i18n';
import type { Api } from 'grammy';
import { GrammyError } from 'grammy';
import type { CrashStep } from '../deps.js';

export interface SupportRelayDeps {
  db: Pick<Database, 'repos'>;
  /** The client bot: it copies both ways (file ids and the customer's chat belong to it). */
  clientApi: Api;
  i18n: I18n;
  /** The staff forum supergroup. */
  supportChatId: number;
  /** How long a claimed relay is protected before another attempt may send it (default 60 s). */
  leaseMs?: number;
  crashPoint?: (step: CrashStep) => void;
}

export const RELAY_LEASE_MS = 60_000;

/** Texts for staff are in the source language (the staff forum has no per-reader language). */
export function staffT(i18n: I18n): Translate {
  return i18n.forLanguage(i18n.languages[0]!);
}

/** Another attempt holds the oldest unfinished relay of this customer: retried later, order kept. */
export class RelayBusyError extends Error {
  constructor(userId: number) {
    super(`the relay of customer ${userId} is held by another attempt; retried after its lease`);
    this.name = 'RelayBusyError';
  }
}

/** Telegram's answer for a topic deleted by hand or archived in a very large forum. */
export function isThreadGone(err: unknown): boolean {
  return err instanceof GrammyError && err.error_code === 400 && /message thread not found/i.test(err.description);
}

export function isUncopyable(err: unknown): boolean {
  return err instanceof GrammyError && err.error_code === 400 && /message can't be copied/i.test(err.description);
}

/** What one copy produced: the ids of the copies, one per relay row. */
export type Copier = (batch: SupportRelay[], user: User) => Promise<number[]>;
