import { runPanelFaultContract } from '../../contract/panel-faults.js';
import { createMarzbanEmulator } from '../../testing/marzban/marzban.emulator.js';
import { createMarzbanAdapter } from './marzban.adapter.js';

runPanelFaultContract(
  'marzban',
  async () => {
    const emulator = await createMarzbanEmulator();
    return { adapter: createMarzbanAdapter({ baseUrl: emulator.url, ...emulator.credentials, timeoutMs: 300 }), emulator };
  },
  { createRequest: 'POST /api/user', unsupportedVersion: '1.0.0' },
);
