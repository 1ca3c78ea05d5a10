import { botMethods } from './bot-methods.js';
import { callbackMethods } from './callbacks.js';
import { chatMethods } from './chats.js';
import type { MethodHandler } from './context.js';
import { copyMethods } from './copy.js';
import { editMethods } from './edits.js';
import { forumMethods } from './forum.js';
import { mediaMethods } from './media.js';
import { messageMethods } from './messages.js';
import { paymentMethods } from './payments.js';
import { pinMethods } from './pins.js';
import { starMethods } from './stars.js';
import { updateMethods } from './updates.js';
import { webhookMethods } from './webhook.js';

const groups: Record<string, MethodHandler>[] = [
  botMethods,
  updateMethods,
  webhookMethods,
  messageMethods,
  editMethods,
  callbackMethods,
  mediaMethods,
  copyMethods,
  chatMethods,
  forumMethods,
  pinMethods,
  paymentMethods,
  starMethods,
];

/** Every emulated method by lower-case name: Telegram matches method names case-insensitively. */
export const METHODS: ReadonlyMap<string, MethodHandler> = new Map(
  groups.flatMap((g) => Object.entries(g)).map(([name, handler]) => [name.toLowerCase(), handler]),
);

/** The emulated method names in Telegram's spelling (for docs and the control API). */
export const METHOD_NAMES: readonly string[] = groups.flatMap((g) => Object.keys(g));
