/**
 * Telegram's error envelope: `{ ok: false, error_code, description, parameters? }`. Handlers throw
 * `ApiError` and the router turns it into that shape, so every description in this file is the
 * exact string Telegram sends (grammY's `GrammyError` exposes it as `description`).
 */
export interface ResponseParameters {
  retry_after?: number;
  migrate_to_chat_id?: number;
}

export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly description: string,
    readonly parameters?: ResponseParameters,
  ) {
    super(description);
    this.name = 'ApiError';
  }

  toJSON(): {
    ok: false;
    error_code: number;
    description: string;
    parameters?: ResponseParameters;
  } {
    const body = { ok: false as const, error_code: this.code, description: this.description };
    return this.parameters ? { ...body, parameters: this.parameters } : body;
  }
}

/** 400 "Bad Request: <what>". */
export function badRequest(what: string): ApiError {
  return new ApiError(400, `Bad Request: ${what}`);
}

/** 403 "Forbidden: <what>". */
export function forbidden(what: string): ApiError {
  return new ApiError(403, `Forbidden: ${what}`);
}

/** 429 with `parameters.retry_after` in whole seconds, as Telegram does. */
export function tooManyRequests(retryAfter: number): ApiError {
  return new ApiError(429, `Too Many Requests: retry after ${retryAfter}`, {
    retry_after: retryAfter,
  });
}

/** Telegram's descriptions (without the "Bad Request: " prefix unless the code differs). */
export const TG = {
  notModified:
    'message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
  messageToEditNotFound: 'message to edit not found',
  messageToDeleteNotFound: 'message to delete not found',
  messageToCopyNotFound: 'message to copy not found',
  messageToForwardNotFound: 'message to forward not found',
  messageToReplyNotFound: 'message to be replied not found',
  messageCantBeEdited: "message can't be edited",
  messageCantBeCopied: "message can't be copied",
  chatNotFound: 'chat not found',
  threadNotFound: 'message thread not found',
  topicClosed: 'TOPIC_CLOSED',
  topicNotModified: 'TOPIC_NOT_MODIFIED',
  queryTooOld: 'query is too old and response timeout expired or query ID is invalid',
  buttonDataInvalid: 'BUTTON_DATA_INVALID',
  textEmpty: 'message text is empty',
  textTooLong: 'message is too long',
  captionTooLong: 'message caption is too long',
  wrongFileId: 'wrong file identifier/HTTP URL specified',
  urlContentFailed: 'failed to get HTTP URL content',
  imageProcessFailed: 'IMAGE_PROCESS_FAILED',
  invalidFileId: 'invalid file_id',
  notForum: 'the chat is not a forum',
  chargeAlreadyRefunded: 'CHARGE_ALREADY_REFUNDED',
  chargeNotFound: 'CHARGE_NOT_FOUND',
  blocked: 'bot was blocked by the user',
  cantInitiate: "bot can't initiate conversation with a user",
  notMember: 'bot is not a member of the supergroup chat',
  webhookActive: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
  terminatedByOther: 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
} as const;
