import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '@vpn/logger';
import type { Dispatch } from '../api/context.js';
import { handleControl } from '../control/control-routes.js';
import type { Control } from '../control/control.js';
import type { World } from '../state/world.js';
import { handleBotApi } from './bot-api.js';
import { handleFileDownload } from './files-route.js';
import { sendJson } from './respond.js';

export interface HandlerDeps {
  world: World;
  control: Control;
  dispatch: Dispatch;
  logger: Logger;
}

const BOT_PATH = /^\/bot([^/]+)\/([^/]*)$/;
const FILE_PATH = /^\/file\/bot([^/]+)\/(.+)$/;
const CONTROL_PATH = /^\/control\/([A-Za-z]+)$/;

/**
 * Routes `/bot<token>/<method>` (Bot API), `/file/bot<token>/<path>` (downloads),
 * `/control/<action>` (the control API) and `/health`. Unexpected failures are logged and
 * answered with 500 so one bad request never takes the emulator down.
 */
export function createRequestHandler(deps: HandlerDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://emulator');
    const bot = BOT_PATH.exec(url.pathname);
    if (bot) return handleBotApi(req, res, url, decodeURIComponent(bot[1]!), bot[2]!, deps);
    const file = FILE_PATH.exec(url.pathname);
    if (file) return handleFileDownload(res, deps.world, decodeURIComponent(file[1]!), file[2]!);
    const control = CONTROL_PATH.exec(url.pathname);
    if (control && req.method === 'POST') return handleControl(req, res, control[1]!, deps.control);
    if (url.pathname === '/health') return sendJson(res, 200, { ok: true });
    sendJson(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
  };
  return (req, res) => {
    route(req, res).catch((error: unknown) => {
      deps.logger.error({ err: error, path: req.url?.replace(/\/bot[^/]+/, '/bot<token>') }, 'emulator request failed');
      sendJson(res, 500, { ok: false, error_code: 500, description: 'Internal Server Error' });
    });
  };
}
