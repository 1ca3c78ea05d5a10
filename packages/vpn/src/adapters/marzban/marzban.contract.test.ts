import { runPanelContract } from '../../contract/panel-contract.js';
import { createMarzbanEmulator } from '../../testing/marzban/marzban.emulator.js';
import { createMarzbanAdapter } from './marzban.adapter.js';

runPanelContract('marzban 0.8', async () => {
  const emulator = await createMarzbanEmulator();
  return { adapter: createMarzbanAdapter({ baseUrl: emulator.url, ...emulator.credentials, timeoutMs: 2_000 }), emulator };
});

runPanelContract('marzban 0.7', async () => {
  const emulator = await createMarzbanEmulator({ version: '0.7.0', subscriptionUrlPrefix: 'https://sub.example.com' });
  return { adapter: createMarzbanAdapter({ baseUrl: emulator.url, ...emulator.credentials, timeoutMs: 2_000 }), emulator };
});
