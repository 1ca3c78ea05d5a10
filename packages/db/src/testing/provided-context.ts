// What the global setup hands to every test worker (vitest `provide` / `inject`). Imported by
// both sides so any package that type-checks `@vpn/db/testing` sees the augmentation.
declare module 'vitest' {
  export interface ProvidedContext {
    /** Unique per vitest process and project: part of every test schema name. */
    vpnDbRunId: string;
  }
}

export {};
