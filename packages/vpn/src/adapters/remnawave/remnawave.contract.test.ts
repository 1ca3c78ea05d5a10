import { runPanelContract } from '../../contract/panel-contract.js';
import { runPanelFaultContract } from '../../contract/panel-faults.js';
import { createRemnawaveEmulator } from '../../testing/remnawave/remnawave.emulator.js';
import { createRemnawaveAdapter } from './remnawave.adapter.js';

// 3.x addresses users by numeric id, 2.x by uuid: the same contract must hold for both.
for (const version of ['3.3.2', '2.8.1']) {
  const make = async (timeoutMs: number) => {
    const emulator = await createRemnawaveEmulator({ version });
    const setNodeConnected = (connected: boolean) => emulator.setNodeConnected('node-1', connected);
    return {
      adapter: createRemnawaveAdapter({ baseUrl: emulator.url, apiToken: emulator.apiToken, timeoutMs }),
      emulator,
      setNodeConnected,
    };
  };
  runPanelContract(`remnawave ${version}`, () => make(2_000), { deviceLimit: true, nodes: true });
  // API tokens are not sessions: nothing to renew (sessions: false).
  runPanelFaultContract(`remnawave ${version}`, () => make(200), {
    createRequest: 'POST /api/users',
    unsupportedVersion: '1.6.18',
    sessions: false,
  });
}
