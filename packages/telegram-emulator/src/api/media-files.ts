import type { UploadedFile } from '../http/params.js';
import type { FileStore, StoredFile } from '../state/files.js';
import { imageSize } from '../state/image-size.js';
import type { TgDocument, TgPhotoSize } from '../types.js';
import { badRequest, TG } from './errors.js';

/** Telegram's limits: photos up to 10 MB with width + height ≤ 10000; documents up to 50 MB. */
const MAX_PHOTO_BYTES = 10 * 1024 * 1024;
const MAX_DOCUMENT_BYTES = 50 * 1024 * 1024;
/** Telegram's smallest photo size ("s") fits in 90×90. */
const THUMB = 90;

const MIME_BY_EXT: Record<string, string> = {
  pdf: 'application/pdf',
  txt: 'text/plain',
  json: 'application/json',
  zip: 'application/zip',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  csv: 'text/csv',
  html: 'text/html',
  conf: 'text/plain',
  yaml: 'application/x-yaml',
  mp4: 'video/mp4',
};

function guessMime(fileName: string | undefined): string | undefined {
  const ext = /\.([A-Za-z0-9]+)$/.exec(fileName ?? '')?.[1]?.toLowerCase();
  return ext ? MIME_BY_EXT[ext] : undefined;
}

function photoSize(file: StoredFile, width: number, height: number): TgPhotoSize {
  return {
    file_id: file.fileId,
    file_unique_id: file.uniqueId,
    file_size: file.data.length,
    width,
    height,
  };
}

/**
 * Stores an uploaded photo and returns its sizes, smallest first. The emulator cannot resize, so
 * the thumbnail holds the same bytes under its own file id; the largest size is the original
 * (real Telegram re-encodes to JPEG, so there the bytes would differ).
 */
export function storePhoto(files: FileStore, upload: UploadedFile): TgPhotoSize[] {
  if (upload.data.length > MAX_PHOTO_BYTES) throw badRequest('PHOTO_INVALID_DIMENSIONS');
  const info = imageSize(upload.data);
  if (!info || info.width === 0 || info.height === 0) throw badRequest(TG.imageProcessFailed);
  if (info.width + info.height > 10_000 || Math.max(info.width, info.height) / Math.min(info.width, info.height) > 20) {
    throw badRequest('PHOTO_INVALID_DIMENSIONS');
  }
  const meta = {
    mimeType: info.mimeType,
    width: info.width,
    height: info.height,
    ...(upload.fileName ? { fileName: upload.fileName } : {}),
  };
  const original = files.add('photo', upload.data, meta);
  const sizes = [photoSize(original, info.width, info.height)];
  const longest = Math.max(info.width, info.height);
  if (longest > THUMB) {
    const scale = THUMB / longest;
    const w = Math.max(1, Math.round(info.width * scale));
    const h = Math.max(1, Math.round(info.height * scale));
    const thumb = files.add('photo', upload.data, { ...meta, width: w, height: h });
    sizes.unshift(photoSize(thumb, w, h));
    thumb.photoSizes = sizes;
  }
  original.photoSizes = sizes;
  return sizes;
}

export function storeDocument(files: FileStore, upload: UploadedFile): TgDocument {
  if (upload.data.length > MAX_DOCUMENT_BYTES) throw badRequest('file is too big');
  const mimeType = upload.mimeType ?? guessMime(upload.fileName);
  const file = files.add('document', upload.data, {
    ...(upload.fileName ? { fileName: upload.fileName } : {}),
    ...(mimeType ? { mimeType } : {}),
  });
  return documentObject(file);
}

export function documentObject(file: StoredFile): TgDocument {
  const doc: TgDocument = {
    file_id: file.fileId,
    file_unique_id: file.uniqueId,
    file_size: file.data.length,
  };
  if (file.fileName) doc.file_name = file.fileName;
  if (file.mimeType) doc.mime_type = file.mimeType;
  return doc;
}

/** The sizes of an already stored photo, for resending by file id. */
export function photoSizesOf(file: StoredFile): TgPhotoSize[] {
  return structuredClone(file.photoSizes ?? [photoSize(file, file.width ?? 0, file.height ?? 0)]);
}
