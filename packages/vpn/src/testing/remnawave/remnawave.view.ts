import type { EmuSquad, EmuUser } from './remnawave.store.js';

/** Which API generation the emulator speaks: 2 = uuid paths, 3 = numeric ids; `minor` picks 2.0–2.2 quirks. */
export interface ApiShape {
  generation: 2 | 3;
  minor: number;
  subPublicDomain: string;
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

/**
 * A user as the panel serialises it (specs/remnawave.md §4): 3.x drops `uuid`; 2.3–2.8 carry both
 * `uuid` and `id`; 2.0–2.2 have no `id` and keep traffic flat on the user.
 */
export function userView(user: EmuUser, squads: EmuSquad[], shape: ApiShape): Record<string, unknown> {
  const traffic = {
    usedTrafficBytes: user.usedTrafficBytes,
    lifetimeUsedTrafficBytes: user.lifetimeUsedTrafficBytes,
    onlineAt: iso(user.onlineAt),
    firstConnectedAt: iso(user.firstConnectedAt),
  };
  const legacy = shape.generation === 2 && shape.minor < 3;
  const view: Record<string, unknown> = {
    ...(legacy ? {} : { id: user.id }),
    ...(shape.generation === 2 ? { uuid: user.uuid } : {}),
    shortUuid: user.shortUuid,
    username: user.username,
    status: user.status,
    trafficLimitBytes: user.trafficLimitBytes,
    trafficLimitStrategy: user.trafficLimitStrategy,
    expireAt: user.expireAt.toISOString(),
    telegramId: user.telegramId,
    email: user.email,
    description: user.description,
    tag: user.tag,
    hwidDeviceLimit: user.hwidDeviceLimit,
    externalSquadUuid: user.externalSquadUuid,
    trojanPassword: user.trojanPassword,
    vlessUuid: user.vlessUuid,
    ssPassword: user.ssPassword,
    lastTriggeredThreshold: user.lastTriggeredThreshold,
    subRevokedAt: iso(user.subRevokedAt),
    lastTrafficResetAt: iso(user.lastTrafficResetAt),
    createdAt: user.createdAt.toISOString(),
    updatedAt: user.updatedAt.toISOString(),
    subscriptionUrl: `https://${shape.subPublicDomain}/${user.shortUuid}`,
    activeInternalSquads: user.squads.map((uuid) => ({ uuid, name: squads.find((s) => s.uuid === uuid)?.name ?? '' })),
  };
  if (legacy) Object.assign(view, traffic, { lastConnectedNode: null });
  else view.userTraffic = { ...traffic, lastConnectedNodeUuid: null };
  return view;
}
