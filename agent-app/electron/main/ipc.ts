/**
 * The main side of the bridge: answers the status window's two requests, and only when they come from
 * that window's own page (another frame or a navigated page gets an error). Arguments are validated here:
 * the renderer is untrusted.
 */
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import type { Reply } from '../../../protocol/commands';
import { IpcChannel, type StatusSnapshot } from '../ipc-channels';
import { isBlockPreset, type BlockPreset } from '../shared/block-presets';

export interface SenderInfo {
  sender: { id: number };
  senderFrame: { url: string } | null;
}

/** True when the message comes from our window's web contents showing our page. */
export function isTrustedSender(event: SenderInfo, window: { id: number } | null, pageUrl: string): boolean {
  if (window === null || event.sender.id !== window.id || event.senderFrame === null) return false;
  const strip = (url: string) => url.split('#')[0].split('?')[0];
  return strip(event.senderFrame.url) === strip(pageUrl);
}

export interface IpcHandlers {
  isTrusted(event: IpcMainInvokeEvent): boolean;
  snapshot(): StatusSnapshot;
  setBlock(preset: BlockPreset): Promise<Reply>;
}

export function registerIpc(
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>,
  handlers: IpcHandlers,
): () => void {
  ipcMain.handle(IpcChannel.GetStatus, (event) => {
    if (!handlers.isTrusted(event)) throw new Error('refused: not the status window');
    return handlers.snapshot();
  });
  ipcMain.handle(IpcChannel.SetBlock, async (event, preset: unknown): Promise<Reply> => {
    if (!handlers.isTrusted(event)) throw new Error('refused: not the status window');
    if (!isBlockPreset(preset)) return { success: false, message: 'unknown block choice' };
    return handlers.setBlock(preset);
  });
  return () => {
    ipcMain.removeHandler(IpcChannel.GetStatus);
    ipcMain.removeHandler(IpcChannel.SetBlock);
  };
}
