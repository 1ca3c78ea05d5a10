import { storeDocument, storePhoto } from '../api/media-files.js';
import type { UploadedFile } from '../http/params.js';
import { withAutoEntities } from '../html/auto-entities.js';
import { MAX_CAPTION } from '../html/compose-text.js';
import type { World } from '../state/world.js';
import type { TgMessage } from '../types.js';
import { ControlError } from './resolve.js';
import type { ActionResult, SendMediaInput } from './types.js';
import { postAsUser } from './user-actions.js';

function upload(input: SendMediaInput): UploadedFile {
  const data = Buffer.from(input.data, 'base64');
  if (data.length === 0) throw new ControlError('data is empty (base64 bytes expected)');
  return {
    data,
    ...(input.fileName ? { fileName: input.fileName } : {}),
    ...(input.mimeType ? { mimeType: input.mimeType } : {}),
  };
}

function caption(input: SendMediaInput): Partial<TgMessage> {
  if (input.caption === undefined || input.caption === '') return {};
  if (input.caption.length > MAX_CAPTION) throw new ControlError(`caption is longer than ${MAX_CAPTION} characters`);
  const entities = withAutoEntities(input.caption, []);
  return entities.length > 0 ? { caption: input.caption, caption_entities: entities } : { caption: input.caption };
}

/** A user sends a photo (PNG, JPEG, GIF or WebP bytes); bots get it as `message.photo`. */
export function sendPhoto(world: World, input: SendMediaInput): ActionResult {
  const photo = storePhoto(world.files, upload(input));
  return postAsUser(world, input, { photo, ...caption(input) });
}

/** A user sends a document; bots get it as `message.document`. */
export function sendDocument(world: World, input: SendMediaInput): ActionResult {
  const document = storeDocument(world.files, upload(input));
  return postAsUser(world, input, { document, ...caption(input) });
}
