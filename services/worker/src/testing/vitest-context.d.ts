// @vpn/db/testing reads `inject('vpnDbRunId')`, declared in its global setup file, which is not
// part of this package's program; repeat the declaration (augmentations merge) so it type-checks.
declare module 'vitest' {
  export interface ProvidedContext {
    vpnDbRunId: string;
  }
}
export {};
