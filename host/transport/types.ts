/**
 * How a guest's status document is fetched. A transport only moves bytes (at most MAX_STATUS_BYTES); the
 * document is validated by the caller. Every failure is a `ReadFailure` with a short code, so the policy
 * and the logs can say what went wrong without trusting anything the guest sent.
 */
import type { GuestConfig, Transport } from '../config';
import type { Status } from '../../protocol';

export type ReadFailureCode =
  | 'no_file'
  | 'agent_down'
  | 'timeout'
  | 'too_large'
  | 'refused'
  | 'bad_reply'
  | 'unreachable'
  | 'host_key'
  | 'auth'
  | 'unavailable'
  | 'exec_failed';

export class ReadFailure extends Error {
  constructor(
    readonly code: ReadFailureCode,
    message: string,
  ) {
    super(message);
    this.name = 'ReadFailure';
  }
}

export interface StatusTransport {
  readonly name: Exclude<Transport, 'none'>;
  /** The raw status bytes, or a ReadFailure. */
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
