import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from '../api/errors.js';
import { readRaw } from '../http/body.js';
import { sendJson } from '../http/respond.js';
import { EmulatorTimeoutError } from '../state/events.js';
import type { Control } from './control.js';
import { invokeControl } from './invoke.js';
import { ControlError } from './resolve.js';
import type { ControlAction } from './types.js';

/** Every action reachable over HTTP; anything else on /control is a 404. */
export const CONTROL_ACTIONS: readonly ControlAction[] = [
  'registerBot',
  'listBots',
  'createUser',
  'createSupergroup',
  'addMember',
  'sendText',
  'sendCommand',
  'sendPhoto',
  'sendDocument',
  'editText',
  'editCaption',
  'sendMedia',
  'sendLocation',
  'sendContact',
  'sendAlbum',
  'manageTopic',
  'pressButton',
  'payInvoice',
  'renewSubscription',
  'blockBot',
  'unblockBot',
  'getMessages',
  'waitForMessage',
  'waitForEdit',
  'getCallbackAnswers',
  'waitForCallbackAnswer',
  'getTopics',
  'getFile',
  'getCalls',
  'getEvents',
  'currentSeq',
  'injectFault',
  'clearFaults',
  'setRateLimits',
  'getPaidBroadcasts',
  'setTimings',
  'reset',
];

/**
 * `POST /control/<action>` with the input as a JSON body. Answers `{ ok: true, result }`, or
 * `{ ok: false, error, timeout? }` with 400 (bad input), 408 (a wait timed out) or 404.
 */
export async function handleControl(req: IncomingMessage, res: ServerResponse, action: string, control: Control): Promise<void> {
  if (!(CONTROL_ACTIONS as readonly string[]).includes(action)) {
    sendJson(res, 404, { ok: false, error: `unknown control action "${action}"` });
    return;
  }
  const text = (await readRaw(req)).toString('utf8');
  let input: unknown;
  try {
    input = text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    sendJson(res, 400, { ok: false, error: 'the body must be JSON' });
    return;
  }
  try {
    const result = await invokeControl(control, action as ControlAction, input);
    sendJson(res, 200, { ok: true, result });
  } catch (error) {
    if (error instanceof EmulatorTimeoutError) sendJson(res, 408, { ok: false, error: error.message, timeout: true });
    else if (error instanceof ControlError) sendJson(res, 400, { ok: false, error: error.message });
    else if (error instanceof ApiError) sendJson(res, 400, { ok: false, error: error.description, errorCode: error.code });
    else throw error;
  }
}
