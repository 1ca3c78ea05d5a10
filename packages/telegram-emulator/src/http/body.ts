import type { IncomingMessage } from 'node:http';
import { badRequest } from '../api/errors.js';
import { parseMultipart } from './multipart.js';
import { Params, type UploadedFile } from './params.js';

/** Reads a whole request body (JSON and form bodies are small; uploads go through busboy). */
export async function readRaw(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * Collects a method's parameters the way the Bot API does: from the query string, then from a
 * JSON, url-encoded or multipart body (body wins on a clash).
 */
export async function readParams(req: IncomingMessage, url: URL): Promise<Params> {
  const raw: Record<string, unknown> = Object.fromEntries(url.searchParams);
  let uploads = new Map<string, UploadedFile>();
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  if (type.startsWith('multipart/form-data')) {
    const body = await parseMultipart(req);
    Object.assign(raw, body.fields);
    uploads = body.files;
  } else {
    const text = (await readRaw(req)).toString('utf8');
    if (text.trim() !== '') {
      if (type.startsWith('application/json')) Object.assign(raw, parseJsonObject(text));
      else if (type.startsWith('application/x-www-form-urlencoded')) Object.assign(raw, Object.fromEntries(new URLSearchParams(text)));
    }
  }
  return new Params(raw, uploads);
}

function parseJsonObject(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw badRequest("can't parse JSON encoded request body");
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw badRequest("can't parse JSON encoded request body");
  }
  return value as Record<string, unknown>;
}
