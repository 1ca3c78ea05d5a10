/**
 * The part of a subscription link that grants access: its last path segment (`/sub/<token>`,
 * `/api/sub/<short uuid>`), without query or fragment. Staff search by a link or by the token
 * alone, and the host in front may be rewritten (`PUBLIC_BASE_URL`), so lookups key on this.
 * A string without a `/` is taken as the token itself.
 */
export function subscriptionToken(urlOrToken: string): string {
  const path = urlOrToken.trim().replace(/[?#].*$/s, '');
  const segments = path.split('/').filter((s) => s !== '');
  return segments.at(-1) ?? '';
}
