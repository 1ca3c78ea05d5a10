/** A stored user of Marzban or its fork: keyed by lower-case username, counting bytes. */
export interface MarzbanLikeStoredUser {
  username: string;
  used_traffic: number;
  lifetime_used_traffic: number;
}

/** The user half of {@link PanelEmulator} for Marzban-style stores (Marzban, PasarGuard). */
export function marzbanLikeUsers<U extends MarzbanLikeStoredUser>(users: Map<string, U>, panel: string) {
  const must = (key: string): U => {
    const user = users.get(key.toLowerCase());
    if (!user) throw new Error(`${panel} emulator: no user ${key}`);
    return user;
  };
  return {
    must,
    userCount: () => users.size,
    userKeys: () => [...users.values()].map((u) => u.username),
    /** The raw stored user (case-insensitive), for assertions. */
    user: (key: string): U | undefined => users.get(key.toLowerCase()),
    /** Sets used traffic as if the customer had used it; the lifetime counter only grows. */
    setUsedTraffic(key: string, bytes: number): void {
      const user = must(key);
      user.lifetime_used_traffic += Math.max(0, bytes - user.used_traffic);
      user.used_traffic = bytes;
    },
  };
}
