/**
 * VPN client apps we open with a deep link (`/work/shared/specs/client-apps.md` §3–4). Only these
 * schemes are ever produced, so `/go/<token>` can never redirect anywhere else. `{U}` is the raw
 * subscription URL (path-style importers re-join it themselves), `{E}` the percent-encoded URL
 * (query-style importers decode it), `{N}` the encoded profile name.
 */
export const CLIENT_APPS = {
  happ: { name: 'Happ', template: 'happ://add/{U}' },
  streisand: { name: 'Streisand', template: 'streisand://import/{U}' },
  v2raytun: { name: 'v2RayTun', template: 'v2raytun://import/{U}' },
  hiddify: { name: 'Hiddify', template: 'hiddify://import/{U}#{N}' },
  incy: { name: 'Incy', template: 'incy://add/{U}' },
  shadowrocket: { name: 'Shadowrocket', template: 'shadowrocket://add/{U}#{N}' },
  v2rayng: { name: 'v2rayNG', template: 'v2rayng://install-config?url={E}#{N}' },
  flclashx: { name: 'FlClashX', template: 'flclashx://install-config?url={E}' },
  'koala-clash': { name: 'Koala Clash', template: 'koala-clash://install-config?url={E}' },
  'prizrak-box': { name: 'Prizrak-Box', template: 'prizrak-box://install-config?url={E}' },
  // Clash Verge Rev takes everything after `url=`: keep it last.
  clash: { name: 'Clash', template: 'clash://install-config?name={N}&url={E}' },
  stash: { name: 'Stash', template: 'stash://install-config?url={E}' },
  'sing-box': { name: 'sing-box', template: 'sing-box://import-remote-profile?url={E}#{N}' },
  v2box: { name: 'V2Box', template: 'v2box://install-sub?url={E}&name={N}' },
  karing: { name: 'Karing', template: 'karing://install-config?url={E}&name={N}' },
} as const satisfies Record<string, { name: string; template: string }>;

export type ClientAppId = keyof typeof CLIENT_APPS;

/** The app ids the `/go` page can open: an app catalog's "add to app" entries must be among them. */
export const CLIENT_APP_IDS = Object.keys(CLIENT_APPS) as ClientAppId[];

export function isClientApp(id: string): id is ClientAppId {
  return Object.hasOwn(CLIENT_APPS, id);
}

/** The deep link that imports `subscriptionUrl` into `app`; the URL must be http(s). */
export function buildDeepLink(app: ClientAppId, subscriptionUrl: string, profileName: string): string {
  const url = new URL(subscriptionUrl);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('subscription URL must be http(s)');
  const raw = url.toString();
  return CLIENT_APPS[app].template
    .replace('{U}', raw)
    .replace('{E}', encodeURIComponent(raw))
    .replace('{N}', encodeURIComponent(profileName));
}
