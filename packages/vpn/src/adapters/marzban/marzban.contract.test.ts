import { runPanelContract } from '../../contract/panel-contract.js';
import { createMarzbanEmulator, type MarzbanEmulator } from '../../testing/marzban/marzban.emulator.js';
import { createMarzbanAdapter } from './marzban.adapter.js';

/** One node (sudo admins see `/api/nodes`), switched between connected and error. */
const withNode = (emulator: MarzbanEmulator) => {
  const setNodeConnected = (connected: boolean) =>
    emulator.setNodes([{ id: 1, name: 'node-1', status: connected ? 'connected' : 'error' }]);
  setNodeConnected(true);
  return setNodeConnected;
};

// 0.8 with the default empty prefix answers relative subscription URLs (/sub/…), 0.7 absolute ones.
runPanelContract(
  'marzban 0.8',
  async () => {
    const emulator = await createMarzbanEmulator();
    return {
      adapter: createMarzbanAdapter({ baseUrl: emulator.url, ...emulator.credentials, timeoutMs: 2_000 }),
      emulator,
      setNodeConnected: withNode(emulator),
    };
  },
  { nodes: true },
);

runPanelContract(
  'marzban 0.7',
  async () => {
    const emulator = await createMarzbanEmulator({ version: '0.7.0', subscriptionUrlPrefix: 'https://sub.example.com' });
    return {
      adapter: createMarzbanAdapter({ baseUrl: emulator.url, ...emulator.credentials, timeoutMs: 2_000 }),
      emulator,
      setNodeConnected: withNode(emulator),
    };
  },
  { nodes: true },
);
