import { runPanelContract } from '../../contract/panel-contract.js';
import { runPanelFaultContract } from '../../contract/panel-faults.js';
import { create3xuiEmulator } from '../../testing/3x-ui/xui.emulator.js';
import { createXuiAdapter } from './xui.adapter.js';

// Cookie sessions on the classic API across the unauthenticated-call variants (401+307 / hidden
// 404), and a Bearer token on 3.1 (clients API). 3.0's CSRF login is in xui.adapter.test.ts.
const variants = [
  { version: '2.5.5', bearer: false },
  { version: '2.8.5', bearer: false },
  { version: '3.1.0', bearer: true },
];

for (const { version, bearer } of variants) {
  const make = async (timeoutMs: number) => {
    const emulator = await create3xuiEmulator({ version });
    const auth = bearer ? { apiToken: emulator.apiToken } : emulator.credentials;
    const adapter = createXuiAdapter({
      ...auth,
      baseUrl: emulator.url,
      inboundId: emulator.inboundId,
      subscriptionBaseUrl: emulator.subscriptionBaseUrl,
      timeoutMs,
    });
    return { adapter, emulator };
  };
  const name = `3x-ui ${version} ${bearer ? 'bearer' : 'cookie'}`;
  runPanelContract(name, () => make(2_000), { deviceLimit: true });
  runPanelFaultContract(name, () => make(300), {
    createRequest: /^POST \/panel\/api\/(inbounds\/addClient|clients\/add)$/,
    unsupportedVersion: '1.8.0',
    sessions: !bearer,
    versionInMessage: false,
  });
}
