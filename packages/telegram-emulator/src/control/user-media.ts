import { randomBytes } from 'node:crypto';
import { storeDocument, storePhoto } from '../api/media-files.js';
import { CAPTIONED, storeMedia } from '../api/media-objects.js';
import { deliverToBots, storeMessage } from '../state/post.js';
import { messageView } from './resolve.js';
import { prepareUserPost } from './user-actions.js';
import type { UploadedFile } from '../http/params.js';
import { withAutoEntities } from '../html/auto-entities.js';
import { MAX_CAPTION } from '../html/compose-text.js';
import type { World } from '../state/world.js';
import type { TgMessage } from '../types.js';
import { ControlError } from './resolve.js';
import type {
  ActionResult,
  AlbumResult,
  SendAlbumInput,
  SendContactInput,
  SendFileInput,
  SendLocationInput,
  SendMediaInput,
} from './types.js';
import { postAsUser } from './user-actions.js';

function upload(input: Pick<SendMediaInput, 'data' | 'fileName' | 'mimeType'>): UploadedFile {
  const data = Buffer.from(input.data, 'base64');
  if (data.length === 0) throw new ControlError('data is empty (base64 bytes expected)');
  return {
    data,
    ...(input.fileName ? { fileName: input.fileName } : {}),
    ...(input.mimeType ? { mimeType: input.mimeType } : {}),
  };
}

function caption(input: Pick<SendMediaInput, 'caption'>): Partial<TgMessage> {
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

/** A user sends a file of any kind (voice, video, video note, sticker, audio, animation, photo, document). */
export function sendMedia(world: World, input: SendFileInput): ActionResult {
  if (!CAPTIONED.has(input.kind) && input.caption) throw new ControlError(`a ${input.kind} has no caption`);
  const media = storeMedia(world.files, input.kind, upload(input));
  return postAsUser(world, input, { ...media, ...caption(input) });
}

export function sendLocation(world: World, input: SendLocationInput): ActionResult {
  return postAsUser(world, input, { location: { latitude: input.latitude, longitude: input.longitude } });
}

export function sendContact(world: World, input: SendContactInput): ActionResult {
  const contact = { phone_number: input.phoneNumber, first_name: input.firstName, ...(input.userId ? { user_id: input.userId } : {}) };
  return postAsUser(world, input, { contact });
}

/**
 * A user sends an album (2–10 photos, videos or documents): bots get one message per item, sharing
 * `media_group_id`, as Telegram delivers them; the caption goes with the item that has it.
 */
export function sendAlbum(world: World, input: SendAlbumInput): AlbumResult {
  if (input.items.length < 2 || input.items.length > 10) throw new ControlError('an album has 2 to 10 items');
  const { conv, user, threadId, replyTo } = prepareUserPost(world, input);
  const media = input.items.map((item) => {
    if (!['photo', 'video', 'document'].includes(item.kind))
      throw new ControlError(`an album holds photos, videos or documents, not ${item.kind}`);
    return { ...storeMedia(world.files, item.kind, upload(item)), ...caption(item) };
  });
  const mediaGroupId = randomBytes(8).readBigUInt64BE().toString();
  const results = media.map((content, i) => {
    const stored = storeMessage(world, conv, {
      from: user,
      content: { ...content, media_group_id: mediaGroupId },
      ...(threadId === undefined ? {} : { threadId }),
      ...(replyTo && i === 0 ? { replyTo } : {}),
    });
    const updateIds = deliverToBots(world, conv, stored);
    return {
      seq: stored.seq,
      chatId: conv.chat.id,
      messageId: stored.message.message_id,
      message: messageView(conv, stored).message,
      updateIds,
    };
  });
  return { seq: results.at(-1)!.seq, mediaGroupId, messages: results };
}
