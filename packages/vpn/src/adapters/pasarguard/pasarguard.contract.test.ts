import { runPanelContract } from '../../contract/panel-contract.js';
import { runPanelFaultContract } from '../../contract/panel-faults.js';
import { createPasarGuardEmulator, type PasarGuardEmulator } from '../../testing/pasarguard/pasarguard.emulator.js';
import { createPasarGuardAdapter } from './pasarguard.adapter.js';

const withNode = (emulator: PasarGuardEmulator) => {
  const setNodeConnected = (connected: boolean) =>
    emulator.setNodes([{ id: 1, name: 'node-1', status: connected ? 'connected' : 'error' }]);
  setNodeConnected(true);
  return setNodeConnected;
};

// An API key (no login to renew) and the admin password form (Marzban's Bearer session).
for (const auth of ['api key', 'password'] as const) {
  const make = async (timeoutMs: number) => {
    const emulator = await createPasarGuardEmulator();
    const credentials = auth === 'api key' ? { apiKey: emulator.apiKey } : emulator.credentials;
    const adapter = createPasarGuardAdapter({ ...credentials, baseUrl: emulator.url, groupIds: emulator.groupIds, timeoutMs });
    return { adapter, emulator, setNodeConnected: withNode(emulator) };
  };
  runPanelContract(`pasarguard (${auth})`, () => make(2_000), { deviceLimit: true, nodes: true });
  runPanelFaultContract(`pasarguard (${auth})`, () => make(300), {
    createRequest: 'POST /api/user',
    unsupportedVersion: '0.8.4',
    sessions: auth === 'password',
  });
}
