import type { ServerResponse } from 'node:http';
import type { World } from '../state/world.js';
import { sendJson } from './respond.js';

/** `GET /file/bot<token>/<file_path>`: the bytes of a file `getFile` pointed at. */
export function handleFileDownload(res: ServerResponse, world: World, token: string, path: string): void {
  const bot = world.bots.byTokenOrUndefined(token);
  if (!bot) {
    sendJson(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
    return;
  }
  const file = world.files.atPath(decodeURIComponent(path));
  // A path is handed out by getFile to one bot: another bot's token does not download it.
  if (!file?.owners.has(bot.id)) {
    sendJson(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
    return;
  }
  res.writeHead(200, {
    'content-type': file.mimeType ?? 'application/octet-stream',
    'content-length': file.data.length,
  });
  res.end(file.data);
}
