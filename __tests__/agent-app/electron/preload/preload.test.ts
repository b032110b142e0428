/** The preload against a fake `electron` (boundary only), and its bundle as the sandbox will load it. */
jest.mock('electron', () =>
  jest
    .requireActual<typeof import('../../../helpers/fake-electron')>('../../../helpers/fake-electron')
    .createFakeElectron(),
);

import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import * as electron from 'electron';
import { API_NAME, IpcChannel, type StatusWindowApi } from '../../../../agent-app/electron/ipc-channels';
import { buildTrayBundles } from '../../../../scripts/tray/bundles';
import type { FakeElectron } from '../../../helpers/fake-electron';

const fake = electron as unknown as FakeElectron;

describe('preload', () => {
  let api: StatusWindowApi;
  beforeAll(async () => {
    await import('../../../../agent-app/electron/preload/preload');
    const [name, exposed] = fake.contextBridge.exposeInMainWorld.mock.calls[0] as [string, StatusWindowApi];
    expect(name).toBe(API_NAME);
    api = exposed;
  });

  it('exposes exactly getStatus, setBlock and onStatus', () => {
    expect(Object.keys(api).sort()).toEqual(['getStatus', 'onStatus', 'setBlock']);
  });

  it('maps them to the shared channels', async () => {
    await api.getStatus();
    await api.setBlock('2h');
    expect(fake.ipcRenderer.invoke.mock.calls).toEqual([[IpcChannel.GetStatus], [IpcChannel.SetBlock, '2h']]);
  });

  it('onStatus passes only the snapshot (never the IPC event) and can be stopped', () => {
    const seen: unknown[] = [];
    const stop = api.onStatus((s) => seen.push(s));
    fake.ipcRenderer.emit(IpcChannel.StatusChanged, { sender: 'secret' }, { now: 1 });
    stop();
    fake.ipcRenderer.emit(IpcChannel.StatusChanged, { sender: 'secret' }, { now: 2 });
    expect(seen).toEqual([{ now: 1 }]);
    expect(fake.ipcRenderer.listenerCount(IpcChannel.StatusChanged)).toBe(0);
  });
});

describe('bundles', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(path.join(tmpdir(), 'bundles-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the sandboxed preload requires nothing but electron; the page needs no require at all', async () => {
    const result = await buildTrayBundles(dir);
    const preload = readFileSync(path.join(dir, 'preload.js'), 'utf8');
    expect([...preload.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1])).toEqual(['electron']);
    expect(result.preloadInputs.sort()).toEqual([
      'agent-app/electron/ipc-channels.ts',
      'agent-app/electron/preload/preload.ts',
    ]);
    const page = readFileSync(path.join(dir, 'status-page.js'), 'utf8');
    expect(page).not.toMatch(/\brequire\(/);
    // the page gets pure modules only: no protocol schemas (zod), no agent core, no Node
    expect(result.pageInputs.every((f) => f.startsWith('agent-app/electron/'))).toBe(true);
    expect(result.pageInputs).not.toContain('agent-app/electron/main/app.ts');
    const html = readFileSync(path.join(dir, 'status.html'), 'utf8');
    expect(html).toContain("default-src 'none'; script-src 'self'");
  });
});
