jest.mock('electron', () =>
  jest
    .requireActual<typeof import('../../../helpers/fake-electron')>('../../../helpers/fake-electron')
    .createFakeElectron(),
);

import { IpcChannel, type StatusSnapshot } from '../../../../agent-app/electron/ipc-channels';
import { isTrustedSender, registerIpc } from '../../../../agent-app/electron/main/ipc';
import { statusWindowPreferences } from '../../../../agent-app/electron/main/status-window';

const PAGE =
  'file:///opt/Proxmox%20Sleep%20Agent/resources/app.asar/dist/agent-app/electron/bundles/status.html';

describe('isTrustedSender', () => {
  const from = (id: number, url: string | null) => ({
    sender: { id },
    senderFrame: url === null ? null : { url },
  });
  it('accepts only our window showing our page', () => {
    expect(isTrustedSender(from(7, PAGE), { id: 7 }, PAGE)).toBe(true);
    expect(isTrustedSender(from(7, `${PAGE}#checks`), { id: 7 }, PAGE)).toBe(true);
    expect(isTrustedSender(from(8, PAGE), { id: 7 }, PAGE)).toBe(false);
    expect(isTrustedSender(from(7, 'https://example.org/'), { id: 7 }, PAGE)).toBe(false);
    expect(isTrustedSender(from(7, null), { id: 7 }, PAGE)).toBe(false);
    expect(isTrustedSender(from(7, PAGE), null, PAGE)).toBe(false);
  });
});

describe('registerIpc', () => {
  function setUp(trusted: boolean) {
    const handlers = new Map<string, (event: unknown, ...args: unknown[]) => unknown>();
    const ipcMain = {
      handle: (channel: string, fn: (event: unknown, ...args: unknown[]) => unknown) =>
        void handlers.set(channel, fn),
      removeHandler: (channel: string) => void handlers.delete(channel),
    };
    const blocks: string[] = [];
    const snapshot = {
      status: null,
      history: [],
      now: 1,
      statusFile: '/run/x/status.json',
      writeError: null,
    } as StatusSnapshot;
    const stop = registerIpc(ipcMain as never, {
      isTrusted: () => trusted,
      snapshot: () => snapshot,
      setBlock: async (preset) => {
        blocks.push(preset);
        return { success: true, message: 'ok' };
      },
    });
    const call = async (channel: IpcChannel, ...args: unknown[]) => handlers.get(channel)!({}, ...args);
    return { handlers, blocks, snapshot, stop, call };
  }

  it('answers the window with exactly the two requests it needs', async () => {
    const ipc = setUp(true);
    expect([...ipc.handlers.keys()].sort()).toEqual([IpcChannel.GetStatus, IpcChannel.SetBlock].sort());
    expect(await ipc.call(IpcChannel.GetStatus)).toBe(ipc.snapshot);
    expect(await ipc.call(IpcChannel.SetBlock, '4h')).toEqual({ success: true, message: 'ok' });
    expect(ipc.blocks).toEqual(['4h']);
    ipc.stop();
    expect(ipc.handlers.size).toBe(0);
  });

  it('validates the preset (the renderer is untrusted)', async () => {
    const ipc = setUp(true);
    for (const bad of ['99h', { for: '1h' }, null, '__proto__'])
      expect(await ipc.call(IpcChannel.SetBlock, bad)).toEqual({
        success: false,
        message: 'unknown block choice',
      });
    expect(ipc.blocks).toEqual([]);
  });

  it('refuses everyone else', async () => {
    const ipc = setUp(false);
    await expect(ipc.call(IpcChannel.GetStatus)).rejects.toThrow('refused: not the status window');
    await expect(ipc.call(IpcChannel.SetBlock, '1h')).rejects.toThrow('refused');
    expect(ipc.blocks).toEqual([]);
  });
});

it('the status window runs isolated, sandboxed, without Node', () => {
  expect(statusWindowPreferences('/x/preload.js')).toEqual({
    preload: '/x/preload.js',
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
  });
});
