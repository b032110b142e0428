/**
 * The only bridge between the status window and the main process: three channels and the types that
 * cross them. Shared by main (handlers) and preload (the API the page gets); the page itself only sees
 * `window.proxmoxSleep` (StatusWindowApi).
 */
import type { Reply } from '../../protocol/commands';
import type { Status } from '../../protocol/status';
import type { BlockPreset } from './shared/block-presets';
import type { HistoryBand } from './shared/history';

export enum IpcChannel {
  /** renderer → main (invoke): the current StatusSnapshot. */
  GetStatus = 'proxmox-sleep:get-status',
  /** renderer → main (invoke): set or clear the block with a preset; answers a Reply. */
  SetBlock = 'proxmox-sleep:set-block',
  /** main → renderer (send): a new StatusSnapshot after every status the agent publishes. */
  StatusChanged = 'proxmox-sleep:status-changed',
}

/** The name the preload gives the API on `window`. */
export const API_NAME = 'proxmoxSleep';

/** Everything the status window shows. */
export interface StatusSnapshot {
  /** The last document the agent published (null before the first). */
  status: Status | null;
  /** The last hour, as bands. */
  history: HistoryBand[];
  /** When the snapshot was taken (ms since the epoch, the main process's clock). */
  now: number;
  /** Where the status file goes. */
  statusFile: string;
  /** Why the status file could not be written, or null when the last write worked. */
  writeError: string | null;
}

export interface StatusWindowApi {
  getStatus(): Promise<StatusSnapshot>;
  setBlock(preset: BlockPreset): Promise<Reply>;
  /** Calls the listener with every new snapshot; returns the function that stops it. */
  onStatus(listener: (snapshot: StatusSnapshot) => void): () => void;
}
