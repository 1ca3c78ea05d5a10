/**
 * Makes a panel's subscription URL absolute. Marzban answers `/sub/<token>` when its
 * `XRAY_SUBSCRIPTION_URL_PREFIX` is empty; a customer can only open an absolute https URL, so the
 * public origin from the server settings is put in front. Absolute URLs pass unchanged.
 *
 * @param url what the panel returned (absolute or relative; null/empty = none)
 * @param publicBaseUrl the public origin (and optional path) customers reach the panel's subscription route on
 */
export function absoluteSubscriptionUrl(url: string | null | undefined, publicBaseUrl: string): string | null {
  if (url === null || url === undefined || url === '') return null;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) return url;
  const base = publicBaseUrl.endsWith('/') ? publicBaseUrl : `${publicBaseUrl}/`;
  // A leading slash is relative to the origin in Marzban's sense, but a base path in server
  // settings (a panel behind /panel/) must survive: join under the base rather than resolve.
  return new URL(url.replace(/^\/+/, ''), base).toString();
}
