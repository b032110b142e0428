/**
 * The hypervisor boundary. Two implementations: the stock `qm` / `pct` / `pvesh` on PATH (cli-backend.ts)
 * and the REST API (rest-backend.ts). Guest agent access (pvesh | api | socket) is the separate, smaller
 * `GuestAgent` interface, so the transports do not care how the agent is reached.
 */
import type { GuestKind } from '../config';

export interface GuestRef {
  kind: GuestKind;
  id: number;
}

/** Power state as Proxmox reports it. `running` is the only state in which a guest can be in use. */
export type PowerState = 'running' | 'stopped' | 'paused' | 'suspended' | 'other';

export interface GuestInfo {
  kind: GuestKind;
  id: number;
  name: string | null;
  power: PowerState;
  /** The raw state word (e.g. qmpstatus `prelaunch`), for display. */
  powerDetail: string;
  /** Seconds since the guest was started, when Proxmox knows it. */
  uptimeSeconds: number | null;
  /** CPU usage in percent of the guest's CPUs, when Proxmox has a sample. */
  cpuPercent: number | null;
}

export interface ExecResult {
  exitCode: number | null;
  signal: number | null;
  stdout: Buffer;
  stderr: string;
  /** The guest agent or this host cut the output. */
  truncated: boolean;
}

export interface ExecOptions {
  timeoutMs: number;
  input?: string;
  /** Output beyond this many bytes is refused as truncated. */
  maxOutputBytes: number;
}

export interface PowerOptions {
  timeoutSeconds?: number;
  forceStop?: boolean;
  /** How long the whole call may take (default: the Proxmox timeout plus a margin). */
  callTimeoutMs?: number;
}

/**
 * A VM's QEMU guest agent, however it is reached. Every method has a deadline; failures throw
 * `GuestAgentError` (with a code), `TransientError` or `UnavailableError`.
 */
export interface GuestAgent {
  readonly access: 'pvesh' | 'api' | 'socket';
  /** Runs a simple agent command (`guest-ping`, `guest-get-osinfo` …) and returns its `return` value. */
  command(vmid: number, name: AgentCommand, timeoutMs: number): Promise<unknown>;
  /** Reads a whole file; refuses files longer than `maxBytes` with code `too_large`. */
  readFile(vmid: number, path: string, maxBytes: number, timeoutMs: number): Promise<Buffer>;
  /** Runs a program in the guest (no shell) and waits for it. */
  exec(vmid: number, argv: readonly string[], options: ExecOptions): Promise<ExecResult>;
  /**
   * Asks the guest to hibernate itself (`guest-suspend-disk`). The agent never answers on success, so a
   * timeout or the connection closing counts as sent; success shows as the VM reaching `stopped`. An error
   * answer (blocked command, "not supported by OS", no agent) throws.
   */
  suspendDisk(vmid: number, timeoutMs: number): Promise<'sent'>;
  /**
   * Sets the guest's clock to `epochMs` (`guest-set-time`). Only direct socket access has it: Proxmox's
   * `qm guest cmd` and the API offer no set-time.
   */
  setTime?(vmid: number, epochMs: number, timeoutMs: number): Promise<void>;
}

/** The argument-free agent commands Proxmox exposes (`qm guest cmd`, `…/agent/<cmd>`). */
export const AGENT_COMMANDS = ['ping', 'get-osinfo', 'info', 'get-host-name', 'get-time'] as const;
export type AgentCommand = (typeof AGENT_COMMANDS)[number];

export type GuestAgentErrorCode =
  /** The file does not exist in the guest. */
  | 'no_file'
  /** The agent is not running, not configured, or the VM is not running. */
  | 'agent_down'
  /** The agent did not answer in time. */
  | 'timeout'
  /** The agent refused the command (blocked RPC, bad argument …). */
  | 'refused'
  | 'too_large'
  /** An answer that does not look like the agent protocol. */
  | 'bad_reply';

export class GuestAgentError extends Error {
  constructor(
    readonly code: GuestAgentErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'GuestAgentError';
  }
}

export interface Proxmox {
  readonly backend: 'cli' | 'api';
  /** This host's node name. */
  readonly node: string;
  /** Every VM and container on this node, with power state and CPU, in one call where possible. */
  listGuests(): Promise<GuestInfo[]>;
  status(ref: GuestRef): Promise<GuestInfo>;
  start(ref: GuestRef, options?: PowerOptions): Promise<void>;
  shutdown(ref: GuestRef, options?: PowerOptions): Promise<void>;
  stop(ref: GuestRef, options?: PowerOptions): Promise<void>;
  /** The guest agent through this backend (`qm`/`pvesh`, or the API). */
  readonly agent: GuestAgent;
  /** Reads a file inside a running container, from within the container's own mount namespace. */
  readContainerFile(ctid: number, path: string, maxBytes: number, timeoutMs: number): Promise<Buffer>;
  /** Runs a program inside a running container. */
  containerExec(ctid: number, argv: readonly string[], options: ExecOptions): Promise<ExecResult>;
}

export function toPowerState(word: string): PowerState {
  switch (word) {
    case 'running':
    case 'stopped':
    case 'paused':
    case 'suspended':
      return word;
    default:
      return 'other';
  }
}
