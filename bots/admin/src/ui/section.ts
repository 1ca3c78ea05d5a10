import { can, type Permission } from '@vpn/backoffice';
import type { TranslationKey } from '@vpn/i18n';
import { assertCallbackData, editOrReply } from '@vpn/telegram-kit';
import { Composer, InlineKeyboard } from 'grammy';
import type { AdminContext } from '../context.js';

/**
 * One section of the admin bot (a folder under `features/`): its entry in the main menu and its
 * handlers. To add a section, write `features/<name>/index.ts` returning one, and list it in
 * `sections.ts`.
 */
export interface Section {
  /** A few letters: the first part of every callback data of the section (`<id>:<verb>:<args>`). */
  id: string;
  /** Its label in the main menu. */
  title: TranslationKey;
  /** What an admin needs to see and open it. */
  permission: Permission;
  /** Shows the section's first screen. */
  open(ctx: AdminContext): Promise<void>;
  composer: Composer<AdminContext>;
}

type Arg = string | number;
type PressHandler = (ctx: AdminContext, args: string[]) => Promise<void>;
type TextHandler = (ctx: AdminContext, text: string, args: string[]) => Promise<void>;

/** Callback data of section `id`: `<id>:<verb>[:<arg>…]`, checked against Telegram's 64 bytes when built. */
export function callback(id: string, verb: string, ...args: Arg[]): string {
  return assertCallbackData([id, verb, ...args.map(String)].join(':'));
}

/** The main menu's callback data (every screen's way home). */
export const HOME = 'h:m';

/**
 * Shows a screen: edits the message whose button was pressed, or sends a new one (a command, a
 * text answer). Text is HTML, at most 4096 characters (callers truncate lists).
 */
export async function show(ctx: AdminContext, text: string, keyboard?: InlineKeyboard): Promise<void> {
  const options = { ...(keyboard ? { reply_markup: keyboard } : {}), link_preview_options: { is_disabled: true } };
  if (ctx.callbackQuery) await editOrReply(ctx, text, options);
  else await ctx.reply(text, options);
}

/** Tells an admin their role may not do this: a toast on a button, a message otherwise. */
export async function denied(ctx: AdminContext): Promise<void> {
  const text = ctx.t('admin.errors.forbidden');
  if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text, show_alert: true });
  else await ctx.reply(text);
}

/**
 * The router of one section: button presses by verb and text answers by prompt name, each behind
 * a permission (checked here for what the bot shows; the back office checks again for what it does).
 */
export class SectionRouter {
  readonly composer = new Composer<AdminContext>();
  private readonly prompts = new Map<string, { permission: Permission; handler: TextHandler }>();
  private readonly verbs = new Set<string>();

  constructor(readonly id: string) {
    if (!/^[a-z]{1,3}$/.test(id)) throw new Error(`section id "${id}" must be 1..3 lowercase letters`);
    this.composer.on('message:text', async (ctx, next) => {
      const prompt = ctx.session.prompt;
      if (prompt?.s !== this.id || ctx.message.text.startsWith('/')) return next();
      const entry = this.prompts.get(prompt.n);
      ctx.session.prompt = undefined;
      if (!entry) return next();
      if (!can(ctx.actor, entry.permission)) return denied(ctx);
      await entry.handler(ctx, ctx.message.text, prompt.a ?? []);
    });
  }

  /** Callback data of this section. */
  data(verb: string, ...args: Arg[]): string {
    return callback(this.id, verb, ...args);
  }

  /** Handles presses of `<id>:<verb>:…`; the handler gets the arguments after the verb. */
  on(verb: string, permission: Permission, handler: PressHandler): this {
    // Two handlers for one verb: the second would never run (a bug found at start, not by a press).
    if (this.verbs.has(verb) || verb === 'o') throw new Error(`section ${this.id}: verb "${verb}" is taken`);
    this.verbs.add(verb);
    const pattern = new RegExp(`^${this.id}:${verb}(?::|$)`);
    this.composer.callbackQuery(pattern, async (ctx) => {
      if (!can(ctx.actor, permission)) return denied(ctx);
      await handler(ctx, ctx.callbackQuery.data.split(':').slice(2));
    });
    return this;
  }

  /** Handles the admin's text after {@link ask} with `name`. */
  onText(name: string, permission: Permission, handler: TextHandler): this {
    if (this.prompts.has(name)) throw new Error(`section ${this.id}: prompt "${name}" is taken`);
    this.prompts.set(name, { permission, handler });
    return this;
  }

  /** Asks for text (answered through `onText(name)`); a cancel button returns to `back`. */
  async ask(ctx: AdminContext, name: string, text: string, options: { args?: Arg[]; back?: string } = {}): Promise<void> {
    ctx.session.prompt = { s: this.id, n: name, ...(options.args ? { a: options.args.map(String) } : {}) };
    const keyboard = new InlineKeyboard().text(ctx.t('admin.common.cancel'), options.back ?? HOME);
    if (ctx.callbackQuery) await ctx.answerCallbackQuery();
    await ctx.reply(text, { reply_markup: keyboard });
  }
}
