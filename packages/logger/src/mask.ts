/** Telegram bot tokens also appear inside URLs (`/bot<token>/method`): mask them in messages too. */
const TOKEN_IN_TEXT = /(?<!\d)\d{5,}:[A-Za-z0-9_-]{20,}/g;
/**
 * What grants VPN access, wherever it rides in free text (an error's message or description, such
 * as Telegram's "button URL '…' is invalid"): a subscription URL's or a `/go` link's token, a
 * share link (`vless://…`), a WireGuard key.
 */
const ACCESS_IN_TEXT = [
  /(\/(?:sub|go)\/)[^\s'"<>]+/gi,
  /\b(?:vless|vmess|trojan|ss|ssr|hysteria2|hy2|tuic|wireguard):\/\/[^\s'"<>]+/gi,
  /\b((?:PrivateKey|PresharedKey)\s*=\s*)[A-Za-z0-9+/=]+/g,
];
export function maskSecrets(text: string): string {
  let masked = text.replace(TOKEN_IN_TEXT, '[REDACTED]');
  for (const pattern of ACCESS_IN_TEXT)
    masked = masked.replace(pattern, (_m, keep?: string) => `${typeof keep === 'string' ? keep : ''}[REDACTED]`);
  return masked;
}
