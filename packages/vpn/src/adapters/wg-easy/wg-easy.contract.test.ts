import { runPanelContract } from '../../contract/panel-contract.js';
import { runPanelFaultContract } from '../../contract/panel-faults.js';
import { createWgEasyEmulator } from '../../testing/wg-easy/wg-easy.emulator.js';
import { createWgEasyAdapter } from './wg-easy.adapter.js';

const harness = (version: string, timeoutMs: number) => async () => {
  const emulator = await createWgEasyEmulator({ version });
  return { adapter: createWgEasyAdapter({ baseUrl: emulator.url, ...emulator.credentials, timeoutMs }), emulator };
};

// wg-easy has no traffic limit and no resettable quota; Basic auth / the raw v14 password are
// sent on every call, so there is no login to renew.
for (const version of ['15.4.0', '15.1.0']) {
  runPanelContract(`wg-easy ${version}`, harness(version, 2_000), { trafficLimit: false, usageCounters: false, subscriptionUrl: false });
  runPanelFaultContract(`wg-easy ${version}`, harness(version, 200), {
    createRequest: 'POST /api/client',
    unsupportedVersion: '16.0.0',
    sessions: false,
  });
}

// v14 cannot store an expiry at all (reported as null; our expiry sweep disables the client), so
// the read-back expiry is not compared.
runPanelContract('wg-easy 14', harness('14.0.0', 2_000), {
  trafficLimit: false,
  usageCounters: false,
  subscriptionUrl: false,
  expiryToleranceMs: Number.POSITIVE_INFINITY,
});
runPanelFaultContract('wg-easy 14', harness('14.0.0', 200), {
  createRequest: 'POST /api/wireguard/client',
  unsupportedVersion: '13',
  sessions: false,
});
