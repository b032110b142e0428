/**
 * The status window's preload (sandboxed: only `electron` can be required, so the build bundles this file
 * with ipc-channels into one script). It exposes exactly three calls as `window.proxmoxSleep`; the page
 * never sees ipcRenderer, Node or the agent.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { API_NAME, IpcChannel, type StatusSnapshot, type StatusWindowApi } from '../ipc-channels';

const api: StatusWindowApi = {
  getStatus: () => ipcRenderer.invoke(IpcChannel.GetStatus),
  setBlock: (preset) => ipcRenderer.invoke(IpcChannel.SetBlock, preset),
  onStatus(listener) {
    const handler = (_event: IpcRendererEvent, snapshot: StatusSnapshot) => listener(snapshot);
    ipcRenderer.on(IpcChannel.StatusChanged, handler);
    return () => {
      ipcRenderer.removeListener(IpcChannel.StatusChanged, handler);
    };
  },
};

contextBridge.exposeInMainWorld(API_NAME, api);
