/** `@vpn/backoffice/testing`: the integration harness (real PostgreSQL, a YooKassa emulator). */
export {
  createBackofficeHarness,
  newRequestId,
  purchaseWithYooKassa,
  refusal,
  useBackofficeHarness,
  type BackofficeHarness,
} from './harness.js';
