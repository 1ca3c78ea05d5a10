import type { UploadedFile } from '../http/params.js';
import type { FileKind, FileStore, StoredFile } from '../state/files.js';
import type { TgMessage } from '../types.js';
import { badRequest } from './errors.js';
import { documentObject, photoSizesOf, storeDocument, storePhoto } from './media-files.js';

/** Telegram's names of the file types, as its "can't use file of type X as Y" error spells them. */
export const KIND_NAME: Record<FileKind, string> = {
  photo: 'Photo',
  document: 'Document',
  voice: 'Voice',
  video: 'Video',
  video_note: 'VideoNote',
  sticker: 'Sticker',
  audio: 'Audio',
  animation: 'Animation',
};

/** Every file-carrying field of a message, in the order the emulator looks for one. */
export const MEDIA_FIELDS: readonly FileKind[] = ['photo', 'document', 'voice', 'video', 'video_note', 'sticker', 'audio', 'animation'];

/** Which kinds carry a caption (stickers and video notes do not, as on Telegram). */
export const CAPTIONED: ReadonlySet<string> = new Set(['photo', 'document', 'voice', 'video', 'audio', 'animation']);

/** Uploads over 50 MB are refused for every kind but photos (10 MB, checked by storePhoto). */
const MAX_FILE_BYTES = 50 * 1024 * 1024;

/**
 * The object a message carries for a stored file. The emulator does not decode audio or video,
 * so durations are 1 s and video sizes a fixed 640×360 (stickers 512×512, as Telegram requires).
 */
export function mediaObject(file: StoredFile, kind: FileKind): Partial<TgMessage> {
  const ids = { file_id: file.fileId, file_unique_id: file.uniqueId, file_size: file.data.length };
  switch (kind) {
    case 'photo':
      return { photo: photoSizesOf(file) };
    case 'document':
      return { document: documentObject(file) };
    case 'voice':
      return { voice: { ...ids, duration: 1, mime_type: file.mimeType ?? 'audio/ogg' } };
    case 'audio':
      return {
        audio: { ...ids, duration: 1, mime_type: file.mimeType ?? 'audio/mpeg', ...(file.fileName ? { file_name: file.fileName } : {}) },
      };
    case 'video':
      return { video: { ...ids, width: 640, height: 360, duration: 1, mime_type: file.mimeType ?? 'video/mp4' } };
    case 'animation':
      return { animation: { ...ids, width: 320, height: 240, duration: 1, mime_type: file.mimeType ?? 'video/mp4' } };
    case 'video_note':
      return { video_note: { ...ids, length: 240, duration: 1 } };
    case 'sticker':
      return { sticker: { ...ids, type: 'regular', width: 512, height: 512, is_animated: false, is_video: false } };
  }
}

/** Stores an upload of any kind and returns the message field for it. */
export function storeMedia(files: FileStore, kind: FileKind, upload: UploadedFile): Partial<TgMessage> {
  if (kind === 'photo') return { photo: storePhoto(files, upload) };
  if (kind === 'document') return { document: storeDocument(files, upload) };
  if (upload.data.length > MAX_FILE_BYTES) throw badRequest('file is too big');
  const file = files.add(kind, upload.data, {
    ...(upload.fileName ? { fileName: upload.fileName } : {}),
    ...(upload.mimeType ? { mimeType: upload.mimeType } : {}),
  });
  return mediaObject(file, kind);
}

/** The kind of file a message carries, if any. */
export function mediaKindOf(message: TgMessage): FileKind | undefined {
  return MEDIA_FIELDS.find((field) => message[field] !== undefined);
}

/** The file id of the media a message carries (the largest photo size for photos). */
export function mediaFileId(message: TgMessage): string | undefined {
  const kind = mediaKindOf(message);
  if (kind === undefined) return undefined;
  if (kind === 'photo') return message.photo?.at(-1)?.file_id;
  return (message[kind] as { file_id: string }).file_id;
}
