import type { EmulatorResponse } from '../emulator-server.js';
import type { EmuCreateInput, EmuUpdateInput } from './remnawave.store.js';

/**
 * Body validation as the panel's zod schemas do it (specs/remnawave.md §5.1, §5.2). A failure is
 * a 400 with the nestjs-zod body (exact shape UNVERIFIED in the spec: "400, non-standard body").
 */
export class ValidationFailed extends Error {
  constructor(readonly issues: Array<{ path: string[]; message: string }>) {
    super('Validation failed');
  }
}

export function validationResponse(error: ValidationFailed): EmulatorResponse {
  return {
    status: 400,
    json: {
      statusCode: 400,
      message: 'Validation failed',
      errors: error.issues.map((i) => ({ code: 'custom', path: i.path, message: i.message })),
    },
  };
}

type Body = Record<string, unknown>;

const USERNAME = /^[a-zA-Z0-9_-]{3,36}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TAG = /^[A-Z0-9_]{1,16}$/;

export const isUuid = (value: string): boolean => UUID.test(value);

/** A scalar from a request body or record as a string; objects become '' (never '[object Object]'). */
export const str = (value: unknown): string => (typeof value === 'string' || typeof value === 'number' ? String(value) : '');

function fail(field: string, message: string): never {
  throw new ValidationFailed([{ path: [field], message }]);
}

function date(body: Body, field: string): Date | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  const parsed = typeof value === 'string' ? new Date(value) : new Date(NaN);
  if (Number.isNaN(parsed.getTime())) fail(field, 'Invalid date');
  return parsed;
}

function int(body: Body, field: string, nullable: boolean): number | null | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  if (value === null && nullable) return null;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) fail(field, 'Expected a non-negative integer');
  return value;
}

function text(body: Body, field: string, pattern?: RegExp): string | null | undefined {
  const value = body[field];
  if (value === undefined || value === null) return value;
  if (typeof value !== 'string' || (pattern && !pattern.test(value))) fail(field, 'Invalid string');
  return value;
}

function squads(body: Body, known: Set<string>): string[] | undefined {
  const value = body.activeInternalSquads;
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || !isUuid(v))) fail('activeInternalSquads', 'Expected uuid[]');
  const list = value as string[];
  for (const uuid of list) if (!known.has(uuid)) fail('activeInternalSquads', `Internal squad ${uuid} not found`);
  return list;
}

function common(body: Body, known: Set<string>): EmuUpdateInput {
  const input: EmuUpdateInput = {};
  const limit = int(body, 'trafficLimitBytes', false);
  if (limit !== undefined && limit !== null) input.trafficLimitBytes = limit;
  const strategy = text(body, 'trafficLimitStrategy', /^(NO_RESET|DAY|WEEK|MONTH|MONTH_ROLLING)$/);
  if (strategy) input.trafficLimitStrategy = strategy;
  input.description = text(body, 'description');
  input.tag = text(body, 'tag', TAG);
  input.email = text(body, 'email', /^[^@\s]+@[^@\s]+$/);
  const telegramId = body.telegramId;
  if (telegramId !== undefined && telegramId !== null && !Number.isInteger(telegramId)) fail('telegramId', 'Expected an integer');
  input.telegramId = telegramId as number | null | undefined;
  input.hwidDeviceLimit = int(body, 'hwidDeviceLimit', true);
  input.activeInternalSquads = squads(body, known);
  // Absent keys stay absent: the store treats `undefined` as "leave unchanged".
  for (const key of Object.keys(input) as Array<keyof EmuUpdateInput>) if (input[key] === undefined) delete input[key];
  return input;
}

/** `POST /api/users`: username and expireAt are required; status may be any of the four values. */
export function parseCreate(body: Body | undefined, known: Set<string>): EmuCreateInput {
  if (!body) fail('body', 'Expected an object');
  const username = text(body, 'username', USERNAME);
  if (!username) fail('username', 'Required');
  const expireAt = date(body, 'expireAt');
  if (!expireAt) fail('expireAt', 'Required');
  const status = text(body, 'status', /^(ACTIVE|DISABLED|LIMITED|EXPIRED)$/) as EmuCreateInput['status'] | null | undefined;
  const uuid = text(body, 'uuid', UUID);
  return { ...common(body, known), username, expireAt, status: status ?? undefined, uuid: uuid ?? undefined };
}

/** `PATCH /api/users`: status only ACTIVE/DISABLED; a new expireAt must be in the future. */
export function parseUpdate(body: Body, known: Set<string>, now: Date): EmuUpdateInput {
  const input = common(body, known);
  const status = text(body, 'status', /^(ACTIVE|DISABLED)$/);
  if (status) input.status = status as 'ACTIVE' | 'DISABLED';
  const expireAt = date(body, 'expireAt');
  if (expireAt && expireAt.getTime() <= now.getTime()) fail('expireAt', 'Expiration date must be in the future');
  if (expireAt) input.expireAt = expireAt;
  return input;
}
