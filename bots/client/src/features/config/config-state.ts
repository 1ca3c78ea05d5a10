import type { Subscription, VpnAccount } from '@vpn/db';
import { absoluteSubscriptionUrl } from '@vpn/vpn';
import type { ClientContext } from '../../context.js';
import { accountOf, currentSubscription, isRunning } from '../../ui/customer-state.js';
import { once } from '../../ui/memo.js';
import type { FeatureDeps } from '../feature-deps.js';

/** What the customer can be given right now. */
export type ConfigState =
  | { kind: 'none' }
  | { kind: 'inactive'; sub: Subscription }
  | { kind: 'preparing'; sub: Subscription }
  | { kind: 'link'; sub: Subscription; account: VpnAccount; url: string }
  | { kind: 'wireguard'; sub: Subscription; account: VpnAccount; conf: string };

/** A subscription URL as the customer opens it (panels may answer a path; the server settings say where it is public). */
async function publicUrl(deps: FeatureDeps, account: VpnAccount): Promise<string | null> {
  const url = account.subscriptionUrl ?? account.links[0] ?? null;
  if (url === null || /^[a-z][a-z0-9+.-]*:/i.test(url)) return url;
  const server = await deps.db.repos.servers.get(account.serverId);
  const base = typeof server?.settings.subscriptionBaseUrl === 'string' ? server.settings.subscriptionBaseUrl : server?.baseUrl;
  return base ? absoluteSubscriptionUrl(url, base) : null;
}

/** The config state of the customer (read once per update). */
export function configState(ctx: ClientContext, deps: FeatureDeps): Promise<ConfigState> {
  return once(ctx, 'config', async (): Promise<ConfigState> => {
    const sub = await currentSubscription(ctx, deps);
    if (!sub) return { kind: 'none' };
    if (!isRunning(sub, deps.now())) return { kind: 'inactive', sub };
    const account = await accountOf(ctx, deps, sub);
    if (!account) return { kind: 'preparing', sub };
    if (account.wireguardConfig) return { kind: 'wireguard', sub, account, conf: account.wireguardConfig };
    const url = await publicUrl(deps, account);
    return url ? { kind: 'link', sub, account, url } : { kind: 'preparing', sub };
  });
}
