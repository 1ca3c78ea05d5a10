import { randomBytes, randomUUID } from 'node:crypto';

/**
 * The Remnawave emulator's in-memory database and the panel's user rules
 * (specs/remnawave.md §4, §5.2, §5.3). Routes translate HTTP to these calls; errors carry the
 * panel's error codes.
 */

export type EmuStatus = 'ACTIVE' | 'DISABLED' | 'LIMITED' | 'EXPIRED';

export interface EmuUser {
  id: number;
  uuid: string;
  shortUuid: string;
  username: string;
  status: EmuStatus;
  trafficLimitBytes: number;
  trafficLimitStrategy: string;
  expireAt: Date;
  telegramId: number | null;
  email: string | null;
  description: string | null;
  tag: string | null;
  hwidDeviceLimit: number | null;
  externalSquadUuid: string | null;
  trojanPassword: string;
  vlessUuid: string;
  ssPassword: string;
  lastTriggeredThreshold: number;
  subRevokedAt: Date | null;
  lastTrafficResetAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  squads: string[];
  usedTrafficBytes: number;
  lifetimeUsedTrafficBytes: number;
  onlineAt: Date | null;
  firstConnectedAt: Date | null;
  devices: Array<{ hwid: string; platform: string | null; createdAt: Date }>;
}

/** A business error as the panel reports it: `{timestamp, path, message, errorCode}` with this status. */
export class RemnawaveEmuError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
  ) {
    super(message);
  }
}

export const ERRORS = {
  usernameExists: () => new RemnawaveEmuError(400, 'A019', 'User username already exists'),
  notFound: () => new RemnawaveEmuError(404, 'A025', 'User not found'),
  alreadyDisabled: () => new RemnawaveEmuError(400, 'A029', 'User already disabled'),
  alreadyEnabled: () => new RemnawaveEmuError(400, 'A030', 'User already enabled'),
};

export interface EmuSquad {
  uuid: string;
  name: string;
}

/** What create accepts, already validated by the route. */
export interface EmuCreateInput {
  username: string;
  expireAt: Date;
  status?: EmuStatus;
  trafficLimitBytes?: number;
  trafficLimitStrategy?: string;
  description?: string | null;
  tag?: string | null;
  telegramId?: number | null;
  email?: string | null;
  hwidDeviceLimit?: number | null;
  activeInternalSquads?: string[];
  externalSquadUuid?: string | null;
  uuid?: string;
}

export type EmuUpdateInput = Omit<Partial<EmuCreateInput>, 'username' | 'uuid'> & { status?: 'ACTIVE' | 'DISABLED' };

const randomToken = (length: number): string => randomBytes(length).toString('base64url').replace(/[-_]/g, 'x').slice(0, length);

export function createRemnawaveStore(squads: EmuSquad[], now: () => Date) {
  const users = new Map<number, EmuUser>();
  let nextId = 1;

  function touch(user: EmuUser): EmuUser {
    user.updatedAt = now();
    return user;
  }

  /** The server jobs (§5.3): ACTIVE → LIMITED over the limit, ACTIVE → EXPIRED past expiry. */
  function runJobs(): void {
    for (const user of users.values()) {
      if (user.status !== 'ACTIVE') continue;
      if (user.expireAt.getTime() <= now().getTime()) user.status = 'EXPIRED';
      else if (user.trafficLimitBytes > 0 && user.usedTrafficBytes >= user.trafficLimitBytes) user.status = 'LIMITED';
    }
  }

  return {
    squads,
    users,
    runJobs,
    all(): EmuUser[] {
      return [...users.values()].sort((a, b) => a.id - b.id);
    },
    byId(id: number): EmuUser | undefined {
      return users.get(id);
    },
    byUuid(uuid: string): EmuUser | undefined {
      return [...users.values()].find((u) => u.uuid === uuid);
    },
    byUsername(username: string): EmuUser | undefined {
      return [...users.values()].find((u) => u.username === username);
    },
    byShortUuid(shortUuid: string): EmuUser | undefined {
      return [...users.values()].find((u) => u.shortUuid === shortUuid);
    },
    create(input: EmuCreateInput): EmuUser {
      if ([...users.values()].some((u) => u.username === input.username)) throw ERRORS.usernameExists();
      const at = now();
      const user: EmuUser = {
        id: nextId++,
        uuid: input.uuid ?? randomUUID(),
        shortUuid: randomToken(16),
        username: input.username,
        status: input.status ?? 'ACTIVE',
        trafficLimitBytes: input.trafficLimitBytes ?? 0,
        trafficLimitStrategy: input.trafficLimitStrategy ?? 'NO_RESET',
        expireAt: input.expireAt,
        telegramId: input.telegramId ?? null,
        email: input.email ?? null,
        description: input.description ?? null,
        tag: input.tag ?? null,
        hwidDeviceLimit: input.hwidDeviceLimit ?? null,
        externalSquadUuid: input.externalSquadUuid ?? null,
        trojanPassword: randomToken(24),
        vlessUuid: randomUUID(),
        ssPassword: randomToken(24),
        lastTriggeredThreshold: 0,
        subRevokedAt: null,
        lastTrafficResetAt: null,
        createdAt: at,
        updatedAt: at,
        squads: input.activeInternalSquads ?? [],
        usedTrafficBytes: 0,
        lifetimeUsedTrafficBytes: 0,
        onlineAt: null,
        firstConnectedAt: null,
        devices: [],
      };
      users.set(user.id, user);
      return user;
    },
    /** PATCH semantics with the status side effects of §5.2. */
    update(user: EmuUser, input: EmuUpdateInput): EmuUser {
      const wasStatus = user.status;
      if (input.trafficLimitBytes !== undefined && input.trafficLimitBytes !== user.trafficLimitBytes) {
        const grew = input.trafficLimitBytes === 0 || input.trafficLimitBytes > user.trafficLimitBytes;
        user.trafficLimitBytes = input.trafficLimitBytes;
        user.lastTriggeredThreshold = 0;
        if (wasStatus === 'LIMITED' && grew) user.status = 'ACTIVE';
      }
      if (input.expireAt !== undefined) {
        const changed = input.expireAt.getTime() !== user.expireAt.getTime();
        user.expireAt = input.expireAt;
        if (wasStatus === 'EXPIRED' && changed && input.status === undefined) user.status = 'ACTIVE';
      }
      // users.service.ts: a PATCH `DISABLED` is applied to an ACTIVE user only; an EXPIRED or
      // LIMITED one keeps its status (and is ACTIVE again after the next traffic reset). Only
      // `POST /actions/disable` disables whatever the status. `ACTIVE` re-activates any user.
      if (input.status === 'ACTIVE' || (input.status === 'DISABLED' && user.status === 'ACTIVE')) user.status = input.status;
      if (input.trafficLimitStrategy !== undefined) user.trafficLimitStrategy = input.trafficLimitStrategy;
      if (input.description !== undefined) user.description = input.description;
      if (input.tag !== undefined) user.tag = input.tag;
      if (input.telegramId !== undefined) user.telegramId = input.telegramId;
      if (input.email !== undefined) user.email = input.email;
      if (input.hwidDeviceLimit !== undefined) user.hwidDeviceLimit = input.hwidDeviceLimit;
      if (input.activeInternalSquads !== undefined) user.squads = input.activeInternalSquads;
      if (input.externalSquadUuid !== undefined) user.externalSquadUuid = input.externalSquadUuid;
      return touch(user);
    },
    enable(user: EmuUser): EmuUser {
      if (user.status === 'ACTIVE') throw ERRORS.alreadyEnabled();
      user.status = 'ACTIVE';
      return touch(user);
    },
    disable(user: EmuUser): EmuUser {
      if (user.status === 'DISABLED') throw ERRORS.alreadyDisabled();
      user.status = 'DISABLED';
      return touch(user);
    },
    resetTraffic(user: EmuUser): EmuUser {
      user.usedTrafficBytes = 0;
      user.lastTrafficResetAt = now();
      if (user.status === 'LIMITED') user.status = 'ACTIVE';
      return touch(user);
    },
    /** Rotates credentials and, unless only passwords are revoked, the subscription's shortUuid. */
    revoke(user: EmuUser, options: { revokeOnlyPasswords?: boolean; shortUuid?: string }): EmuUser {
      user.vlessUuid = randomUUID();
      user.trojanPassword = randomToken(24);
      user.ssPassword = randomToken(24);
      if (!options.revokeOnlyPasswords) user.shortUuid = options.shortUuid ?? randomToken(16);
      user.subRevokedAt = now();
      return touch(user);
    },
    /** 3.x extend (§5.3). */
    extend(user: EmuUser, days: number): EmuUser {
      const ms = days * 86_400_000;
      if (user.status === 'EXPIRED') {
        user.expireAt = new Date(now().getTime() + ms);
        user.status = 'ACTIVE';
      } else {
        user.expireAt = new Date(user.expireAt.getTime() + ms);
      }
      return touch(user);
    },
    remove(user: EmuUser): void {
      users.delete(user.id);
    },
    /** Test hook: traffic as a node would report it. */
    addTraffic(user: EmuUser, bytes: number): void {
      user.usedTrafficBytes += bytes;
      user.lifetimeUsedTrafficBytes += bytes;
      user.onlineAt = now();
      user.firstConnectedAt ??= now();
    },
  };
}

export type RemnawaveStore = ReturnType<typeof createRemnawaveStore>;
