import type { IncomingMessage } from 'node:http';
import busboy from 'busboy';
import { ApiError, badRequest } from '../api/errors.js';
import type { UploadedFile } from './params.js';

/** Telegram's own upload ceiling for bots (50 MB); larger bodies are cut off with an error. */
export const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;

export interface MultipartBody {
  fields: Record<string, string>;
  files: Map<string, UploadedFile>;
}

/**
 * Parses `multipart/form-data` with busboy. grammY writes parts as
 * `content-disposition:form-data;name="x";filename=photo.jpg` (no spaces, unquoted file name),
 * which Node's own `Request.formData()` rejects; busboy accepts it.
 */
export function parseMultipart(req: IncomingMessage): Promise<MultipartBody> {
  return new Promise((resolve, reject) => {
    const fields: Record<string, string> = {};
    const files = new Map<string, UploadedFile>();
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { fileSize: MAX_UPLOAD_BYTES } });
    } catch {
      reject(badRequest("can't parse multipart/form-data request"));
      return;
    }
    parser.on('field', (name, value) => {
      fields[name] = value;
    });
    parser.on('file', (name, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('limit', () => reject(new ApiError(413, 'Request Entity Too Large')));
      stream.on('end', () => {
        const file: UploadedFile = { data: Buffer.concat(chunks) };
        if (info.filename) file.fileName = info.filename;
        if (info.mimeType && info.mimeType !== 'application/octet-stream') file.mimeType = info.mimeType;
        files.set(name, file);
      });
    });
    parser.on('error', () => reject(badRequest("can't parse multipart/form-data request")));
    parser.on('close', () => resolve({ fields, files }));
    req.pipe(parser);
  });
}
