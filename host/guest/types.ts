/**
 * How a guest's status document is fetched. A transport only moves bytes (at most MAX_STATUS_BYTES); the
 * guest channel validates the document and turns whatever a transport throws into a reading with a short
 * code (read-failure.ts), so the policy and the logs can say what went wrong without trusting anything the
 * guest sent.
 */
import type { GuestConfig, Transport } from '../config';
import type { Status } from '../../protocol';

export interface StatusTransport {
  readonly name: Exclude<Transport, 'none'>;
  /** The raw status bytes; throws a ReadFailure, or whatever the layer below throws. */
  read(guest: GuestConfig, timeoutMs: number): Promise<Buffer>;
  /** Where it reads from, for `status` and `agent <id> status` (e.g. `qga-file C:\…\status.json`). */
  describe(guest: GuestConfig): string;
}

export const DEFAULT_STATUS_PATHS = {
  windows: 'C:\\ProgramData\\ProxmoxSleep\\status.json',
  linux: '/run/proxmox-sleep-agent/status.json',
  macos: '/Library/Application Support/ProxmoxSleep/status.json',
} as const;

export type GuestOs = keyof typeof DEFAULT_STATUS_PATHS;

/** A guest's status document as the host reads it: valid, or why not (a short code and a printable why). */
export type StatusReading = { ok: true; status: Status } | { ok: false; code: string; why: string };
