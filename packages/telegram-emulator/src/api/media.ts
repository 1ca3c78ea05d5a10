import { composeCaption } from '../html/compose-text.js';
import type { UploadedFile } from '../http/params.js';
import type { FileKind } from '../state/files.js';
import type { TgEntity, TgMessage } from '../types.js';
import type { MethodContext, MethodHandler } from './context.js';
import { badRequest, TG } from './errors.js';
import { CAPTIONED, KIND_NAME, mediaObject, storeMedia } from './media-objects.js';
import { postFromBot, resolveTarget } from './send.js';

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Fetches a file by URL. The emulator never reaches the internet: only http(s) URLs on this
 * machine are fetched; any other URL is refused like an unusable identifier.
 */
async function download(url: string): Promise<UploadedFile> {
  const parsed = new URL(url);
  if (!LOCAL_HOSTS.has(parsed.hostname)) throw badRequest(TG.wrongFileId);
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  } catch {
    throw badRequest(TG.urlContentFailed);
  }
  if (!res.ok) throw badRequest(TG.urlContentFailed);
  const data = Buffer.from(await res.arrayBuffer());
  const fileName = decodeURIComponent(parsed.pathname.split('/').pop() ?? '') || undefined;
  const mimeType = res.headers.get('content-type')?.split(';')[0];
  return {
    data,
    ...(fileName ? { fileName } : {}),
    ...(mimeType && mimeType !== 'application/octet-stream' ? { mimeType } : {}),
  };
}

/** The media object for a file parameter: a new upload, a URL, or a file id of the right kind. */
export async function mediaFor(ctx: MethodContext, kind: FileKind, param: string = kind): Promise<Partial<TgMessage>> {
  const ref = ctx.params.file(param);
  const { files } = ctx.world;
  if (ref.kind === 'id') {
    // Another bot's file id is refused like an unknown one, as on Telegram.
    const file = files.usableBy(ref.fileId, ctx.bot.id);
    if (!file) throw badRequest(TG.wrongFileId);
    if (file.kind !== kind) throw badRequest(`can't use file of type ${KIND_NAME[file.kind]} as ${KIND_NAME[kind]}`);
    return mediaObject(file, kind);
  }
  const upload = ref.kind === 'upload' ? ref.file : await download(ref.url);
  return storeMedia(files, kind, upload);
}

/** Caption up to 1024 characters after entity parsing, plus the flags media messages share. */
export function captionFields(ctx: MethodContext): Partial<TgMessage> {
  const { params } = ctx;
  const caption = composeCaption(params.str('caption'), params.str('parse_mode'), params.json<TgEntity[]>('caption_entities'));
  const fields: Partial<TgMessage> = {};
  if (caption) {
    fields.caption = caption.text;
    if (caption.entities.length > 0) fields.caption_entities = caption.entities;
  }
  if (params.bool('show_caption_above_media')) fields.show_caption_above_media = true;
  return fields;
}

function sendMedia(kind: FileKind): MethodHandler {
  return async (ctx) => {
    const target = resolveTarget(ctx);
    const caption = CAPTIONED.has(kind) ? captionFields(ctx) : {};
    const media = await mediaFor(ctx, kind);
    if (kind === 'photo' && ctx.params.bool('has_spoiler')) media.has_media_spoiler = true;
    return postFromBot(ctx, target, { ...media, ...caption });
  };
}

/** getFile: the path to download from `/file/bot<token>/<file_path>`. */
function getFile(ctx: MethodContext): Record<string, unknown> {
  const fileId = ctx.params.reqStr('file_id', TG.invalidFileId);
  const file = ctx.world.files.usableBy(fileId, ctx.bot.id);
  if (!file) throw badRequest(TG.invalidFileId);
  // The Bot API hands out downloads of files up to 20 MB only.
  if (file.data.length > 20 * 1024 * 1024) throw badRequest('file is too big');
  return {
    file_id: file.fileId,
    file_unique_id: file.uniqueId,
    file_size: file.data.length,
    file_path: file.path,
  };
}

export const mediaMethods: Record<string, MethodHandler> = {
  sendPhoto: sendMedia('photo'),
  sendDocument: sendMedia('document'),
  sendVoice: sendMedia('voice'),
  sendVideo: sendMedia('video'),
  sendVideoNote: sendMedia('video_note'),
  sendSticker: sendMedia('sticker'),
  sendAudio: sendMedia('audio'),
  sendAnimation: sendMedia('animation'),
  getFile,
};
