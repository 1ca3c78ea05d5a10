import { Menu, type MenuOptions } from '@grammyjs/menu';
import { editOrReply } from '@vpn/telegram-kit';
import type { MiddlewareFn } from 'grammy';
import type { ClientContext } from '../context.js';

/**
 * Menu ids are the first part of every button's callback data (`<id>/<row>/<col>/<payload>/<hash>`):
 * kept to a few letters so data stays far below Telegram's 64 bytes.
 */
export type ScreenId =
  | 'm' // main menu
  | 'sub' // my subscription
  | 'use' // usage
  | 'cfg' // config
  | 'cfp' // a platform's guide
  | 'rk' // reissue the key?
  | 'buy' // plans
  | 'co' // checkout of one plan
  | 'ref' // referral programme
  | 'bal' // balance
  | 'tu' // top-up: how to pay
  | 'faq' // FAQ categories
  | 'fqc' // questions of a category
  | 'fqa' // one answer
  | 'sup' // writing to support
  | 'doc' // "VPN doesn't work"
  | 'set'; // settings

/** A screen: a text and the menu under it, shown by editing the pressed message or as a new one. */
export interface Screen {
  id: ScreenId;
  menu: Menu<ClientContext>;
  text(ctx: ClientContext): string | Promise<string>;
  /** Runs after the screen is shown, e.g. to start waiting for the customer's text. */
  entered?(ctx: ClientContext): void;
}

const NO_PREVIEW = { is_disabled: true } as const;

/**
 * The bot's screens. Features add theirs; `install()` registers every menu under the main menu
 * (one menu tree, so any handler may send any menu) and returns the middleware to install.
 */
export class Screens {
  private readonly screens = new Map<ScreenId, Screen>();

  /** A menu for screen `id`; buttons are answered by the bot's callback middleware, not the plugin. */
  menu(id: ScreenId): Menu<ClientContext> {
    const options: MenuOptions<ClientContext> = { autoAnswer: false, onMenuOutdated: (ctx) => this.outdated(ctx, id) };
    return new Menu<ClientContext>(id, options);
  }

  add(screen: Screen): this {
    if (this.screens.has(screen.id)) throw new Error(`screen ${screen.id} is added twice`);
    this.screens.set(screen.id, screen);
    return this;
  }

  /**
   * Shows screen `id`: edits the message whose button was pressed, or sends a new message (a
   * command, or `fresh`). Any text input the bot was waiting for ends here.
   */
  async show(ctx: ClientContext, id: ScreenId, options: { fresh?: boolean } = {}): Promise<void> {
    const screen = this.get(id);
    ctx.session.step = undefined;
    const text = await screen.text(ctx);
    if (options.fresh || !ctx.callbackQuery) await ctx.reply(text, { reply_markup: screen.menu, link_preview_options: NO_PREVIEW });
    else await editOrReply(ctx, text, { reply_markup: screen.menu, link_preview_options: NO_PREVIEW });
    screen.entered?.(ctx);
  }

  /** The menu of screen `id`, to put under a message of another text (a hint with the main menu). */
  menuOf(id: ScreenId): Menu<ClientContext> {
    return this.get(id).menu;
  }

  /** A handler that shows screen `id` (for menu buttons and commands). */
  to(id: ScreenId, options: { fresh?: boolean } = {}): (ctx: ClientContext) => Promise<void> {
    return (ctx) => this.show(ctx, id, options);
  }

  /** The main menu with every other menu registered under it: install once, before any handler sends a menu. */
  install(): MiddlewareFn<ClientContext> {
    const root = this.get('m').menu;
    for (const screen of this.screens.values()) if (screen.id !== 'm') root.register(screen.menu);
    return root.middleware();
  }

  private get(id: ScreenId): Screen {
    const screen = this.screens.get(id);
    if (!screen) throw new Error(`screen ${id} is not registered`);
    return screen;
  }

  /** An old menu (its buttons changed since it was sent): say so, and show the screen as it is now. */
  private async outdated(ctx: ClientContext, id: ScreenId): Promise<void> {
    await ctx.answerCallbackQuery({ text: ctx.t('client.common.outdated') });
    await this.show(ctx, id);
  }
}
