import { PANEL_KINDS, type PanelKind, type Server } from '@vpn/db';
import { probePanel, type ServerHealthResult } from '@vpn/vpn';
import type { Actor } from '../actor.js';
import { audit } from '../audit.js';
import type { BackofficeContext } from '../context.js';
import { BackofficeError } from '../errors.js';
import { authorize } from '../permissions.js';
import * as v from '../validate.js';

/** What an operator types to register a panel. Credentials are never returned nor audited. */
export interface ServerDraft {
  name: string;
  panelKind: PanelKind;
  baseUrl: string;
  credentials: Record<string, string>;
  /** Panel-specific (inbound tags, inbound id, squads …): see `ADAPTER_FACTORIES` in @vpn/vpn. */
  settings?: Record<string, unknown>;
  countryCode?: string | null;
  capacity?: number | null;
}

/** The most accounts one server may be given. */
export const MAX_CAPACITY = 1_000_000;
/** Placement weight: 0 drains a server (no new accounts, existing ones stay). */
export const MAX_WEIGHT = 1_000;
/** A probe slower than this counts as degraded (the same figure as the pool's). */
const DEGRADED_MS = 2_000;

/** The fields of a server an audit entry keeps: never its credentials. */
function serverSnapshot(s: Server): Record<string, unknown> {
  return {
    name: s.name,
    panelKind: s.panelKind,
    baseUrl: s.baseUrl,
    countryCode: s.countryCode,
    capacity: s.capacity,
    weight: s.weight,
    active: s.active,
  };
}

function validDraft(input: ServerDraft): Required<ServerDraft> {
  const name = v.text('name', input.name, 1, 64);
  if (!/^[\w.-]+$/.test(name))
    throw new BackofficeError('INVALID_INPUT', 'name: letters, digits, _ . - only', 'name', { pattern: 'A-Z a-z 0-9 _ . -' });
  if (!PANEL_KINDS.includes(input.panelKind))
    throw new BackofficeError('INVALID_INPUT', `panelKind: must be one of ${PANEL_KINDS.join(', ')}`, 'panelKind', {
      allowed: PANEL_KINDS,
    });
  const baseUrl = v.url('baseUrl', input.baseUrl);
  const credentials: Record<string, string> = {};
  const entries = Object.entries(input.credentials ?? {});
  if (entries.length === 0 || entries.length > 4)
    throw new BackofficeError('INVALID_INPUT', 'credentials: 1 to 4 values', 'credentials', { min: 1, max: 4 });
  for (const [key, value] of entries) credentials[v.text('credentials', key, 1, 32)] = v.text(`credentials.${key}`, value, 1, 500);
  const countryCode = input.countryCode == null || input.countryCode === '' ? null : input.countryCode.toUpperCase();
  if (countryCode !== null && !/^[A-Z]{2}$/.test(countryCode))
    throw new BackofficeError('INVALID_INPUT', 'countryCode: two letters (ISO 3166)', 'countryCode', { pattern: 'AA' });
  const capacity = input.capacity == null ? null : v.intIn('capacity', input.capacity, 1, MAX_CAPACITY);
  const settings = input.settings ?? {};
  if (JSON.stringify(settings).length > 4_000)
    throw new BackofficeError('INVALID_INPUT', 'settings: at most 4000 characters of JSON', 'settings', { max: 4_000 });
  return { name, panelKind: input.panelKind, baseUrl, credentials, settings, countryCode, capacity };
}

/**
 * Probes a panel that is not saved yet: logs in (an unsupported version is refused) and reads
 * its health, with the credentials in memory only.
 */
function probe(draft: Required<ServerDraft>): Promise<ServerHealthResult> {
  return probePanel({ id: 0, ...draft }, { timeoutMs: 10_000 }, { degradedLatencyMs: DEGRADED_MS });
}

/** Tests a panel's connection before it is saved (`servers:write`); nothing is stored. */
export async function testServer(_ctx: BackofficeContext, actor: Actor, input: ServerDraft): Promise<ServerHealthResult> {
  authorize(actor, 'servers:write');
  return probe(validDraft(input));
}

/**
 * Registers a panel (`servers:write`): the connection test runs first and a panel that is down
 * is not saved (`PANEL_FAILED` with its error). Credentials are stored encrypted and never returned.
 */
export async function addServer(
  ctx: BackofficeContext,
  actor: Actor,
  input: ServerDraft,
): Promise<{ server: Server; health: ServerHealthResult }> {
  authorize(actor, 'servers:write');
  const draft = validDraft(input);
  if (await ctx.db.repos.servers.findByName(draft.name)) throw new BackofficeError('DUPLICATE', `server ${draft.name} exists`, 'name');
  const health = await probe(draft);
  if (health.status === 'down')
    throw new BackofficeError('PANEL_FAILED', health.error ?? 'panel is down', 'baseUrl', { error: health.error });
  const server = await ctx.db.transaction(async (tx) => {
    const created = await ctx.db.repos.servers.create({ ...draft, weight: 1, active: true }, { transaction: tx });
    await ctx.db.repos.servers.updateHealth(
      created.id,
      health.status,
      { lastError: health.error, latencyMs: health.latencyMs },
      { transaction: tx },
    );
    await audit(ctx.db.repos, tx, actor, {
      action: 'server.create',
      entity: 'server',
      entityId: created.id,
      after: serverSnapshot(created),
      details: { version: health.version, latencyMs: health.latencyMs },
    });
    return created;
  });
  return { server, health };
}

/** What can change on a saved server from the bot. */
export interface ServerPatch {
  serverId: number;
  /** false: out of placement and health checks. */
  active?: boolean;
  /** 0 drains it (no new accounts; existing ones stay). */
  weight?: number;
  /** null: unlimited. */
  capacity?: number | null;
}

/** Enables, disables, drains or resizes a server (`servers:write`), audited before and after. */
export async function updateServer(ctx: BackofficeContext, actor: Actor, input: ServerPatch): Promise<Server> {
  authorize(actor, 'servers:write');
  const serverId = v.id('serverId', input.serverId);
  const patch = {
    ...(input.active !== undefined ? { active: Boolean(input.active) } : {}),
    ...(input.weight !== undefined ? { weight: v.intIn('weight', input.weight, 0, MAX_WEIGHT) } : {}),
    ...(input.capacity !== undefined
      ? { capacity: input.capacity === null ? null : v.intIn('capacity', input.capacity, 1, MAX_CAPACITY) }
      : {}),
  };
  return ctx.db.transaction(async (tx) => {
    const before = await ctx.db.repos.servers.get(serverId, { transaction: tx });
    if (!before) throw new BackofficeError('NOT_FOUND', `server ${serverId} not found`, 'serverId');
    const after = await ctx.db.repos.servers.update(serverId, patch, { transaction: tx });
    if (!after) throw new BackofficeError('NOT_FOUND', `server ${serverId} not found`, 'serverId');
    await audit(ctx.db.repos, tx, actor, {
      action: 'server.update',
      entity: 'server',
      entityId: serverId,
      before: serverSnapshot(before),
      after: serverSnapshot(after),
    });
    return after;
  });
}

/** Probes a saved server now and records its health (`servers:read`); needs the pool. */
export async function checkServer(ctx: BackofficeContext, actor: Actor, input: { serverId: number }): Promise<ServerHealthResult> {
  authorize(actor, 'servers:read');
  const serverId = v.id('serverId', input.serverId);
  if (!ctx.pool) throw new BackofficeError('NOT_ALLOWED', 'no server pool in this process', 'serverId');
  return ctx.pool.checkHealth(serverId);
}
