/**
 * @vpn/telegram-emulator: a Telegram Bot API emulator (grammY points `client.apiRoot` at it)
 * with a control API for tests and the local sandbox.
 */
export { createEmulator, type Emulator, type EmulatorOptions } from './emulator.js';
export { EmulatorClient, EmulatorControlError, type Bytes } from './client/emulator-client.js';
export { buttonOf, buttonsOf, labelsOf, pressWithData } from './client/buttons.js';
export { Control } from './control/control.js';
export { ControlError } from './control/resolve.js';
export type * from './control/types.js';
export { ApiError, TG } from './api/errors.js';
export { METHOD_NAMES } from './api/methods.js';
export { parseHtml, type ParsedText } from './html/html-parse.js';
export { SECRET_HEADER } from './http/webhook-delivery.js';
export { EmulatorTimeoutError, type EmulatorEvent, type EventType } from './state/events.js';
export type { BotInfo, BotSeed } from './state/bots.js';
export type { CallRecord } from './state/call-log.js';
export type { FaultSpec } from './state/faults.js';
export { RateLimiter, TELEGRAM_RATE_LIMITS, type BucketConfig, type RateLimitConfig } from './state/rate-limit.js';
export { TELEGRAM_TIMINGS, World, type Timings } from './state/world.js';
export type * from './types.js';
