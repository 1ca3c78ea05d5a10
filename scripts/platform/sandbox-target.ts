/**
 * Where the sandbox keeps its data: never where live mode does. Sandbox customers, payments and
 * the emulated server live in a database of their own (`vpn` → `vpn_sandbox`, on the same
 * PostgreSQL) and under a Redis prefix of their own, so starting live mode after the sandbox
 * finds none of them (it once found the sandbox's server, encrypted with the sandbox's key).
 */
export function sandboxDatabaseUrl(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1)) || 'vpn';
  url.pathname = `/${encodeURIComponent(name.endsWith('_sandbox') ? name : `${name}_sandbox`)}`;
  return url.toString();
}

export function sandboxQueuePrefix(queuePrefix: string): string {
  return queuePrefix.endsWith('-sandbox') ? queuePrefix : `${queuePrefix}-sandbox`;
}
