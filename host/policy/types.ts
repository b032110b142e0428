/**
 * Plain data in and out of the policy. Observations are what one cycle saw; the state is what the policy
 * remembers between cycles (timers, the last seq of each agent); the verdict says what to do and why.
 * All times are milliseconds since the epoch on the HOST's clock; durations in verdicts are whole seconds.
 */
import type { Status } from '../../protocol';

export type Kind = 'vm' | 'ct';
export type CheckState = 'active' | 'idle' | 'unknown';
export type Power = 'running' | 'stopped' | 'paused' | 'suspended' | 'other' | 'unknown';

/** How the guest's agent status was (or was not) obtained this cycle. */
export type AgentReading =
  | { kind: 'status'; status: Status; via: string }
  /** The transport or the document failed: `code` is a short word (no_file, timeout, invalid_json …). */
  | { kind: 'missing'; code: string; why: string; via: string }
  /** TRANSPORT=none: there is no agent to read. */
  | { kind: 'none' }
  /** Not read because the guest is not running or not monitored. */
  | { kind: 'skipped' };

export interface GuestObservation {
  /** `vm:100` / `ct:200`. */
  key: string;
  kind: Kind;
  id: number;
  name: string;
  power: Power;
  /** The raw power word from Proxmox, or why it could not be read. */
  powerDetail: string;
  uptimeSeconds: number | null;
  cpuPercent: number | null;
  agent: AgentReading;
  /** Containers share the host's GPU: its utilisation (max over GPUs), null when unknown. */
  hostGpuPercent?: number | null;
  /** Process names the host read itself for a guest without a usable agent (GAMING_PROCESSES); null when not read. */
  fallbackProcesses?: string[] | null;
}

export interface HostCheckResult {
  name: string;
  state: CheckState;
  /** Short stable word such as `pty_session`, `blocking_process`. */
  reason: string;
  detail: string;
}

export interface Observations {
  guests: GuestObservation[];
  host: HostCheckResult[];
}

export interface GuestPolicy {
  key: string;
  monitor: boolean;
  /** Minutes this guest must be idle, possibly fractional (45s = 0.75); 0 only when auto-sleep is off. */
  idleTimeoutMinutes: number;
  onAgentMissing: 'cpu' | 'idle' | 'active';
  cpuThreshold: number;
  gpuThreshold: number;
  checkPowerRequests: boolean;
  checkUserIdle: boolean;
  /** Exact, case-insensitive names for the host's own container process fallback. */
  gamingProcesses: string[];
}

export interface PolicyConfig {
  /** Global threshold (minutes, possibly fractional) for the host checks; 0 = auto-sleep off. */
  idleThresholdMinutes: number;
  wakeGraceSeconds: number;
  agentStaleSeconds: number;
  checkIntervalSeconds: number;
  guests: GuestPolicy[];
}

export interface GuestMemory {
  /** Start of the current idle streak; null while active. */
  idleSince: number | null;
  /** The host's last observation of this guest being active. */
  lastActiveAt: number | null;
  lastSeq: number | null;
  /** When lastSeq was first seen with its current value. */
  seqSince: number | null;
  /** When the host first read a valid status from this guest's current agent. */
  agentFirstSeenAt: number | null;
}

export interface PolicyState {
  hostIdleSince: number | null;
  lastWake: number | null;
  /** `proxmox-sleep reset`: idle streaks count only from here. */
  resetAt: number | null;
  lastTickAt: number | null;
  guests: Record<string, GuestMemory>;
}

/** The remembered state as loaded; `corrupt` says why the stored file could not be used. */
export type PreviousState = PolicyState & { corrupt?: string };

export type GuestState = 'active' | 'idle' | 'stopped' | 'unmonitored';

export interface GuestVerdict {
  key: string;
  kind: Kind;
  id: number;
  name: string;
  state: GuestState;
  /** What the state is based on. */
  basis: 'agent' | 'fallback' | 'power' | 'config';
  /** Machine-readable reasons (agent reasons as sent, or host words like `cpu_load`, `agent_missing`). */
  reasons: string[];
  /** One line for people: what was seen. */
  explanation: string;
  idleForSeconds: number | null;
  timeoutSeconds: number;
  /** Seconds until this guest lets the host sleep (0 = ready); null while active or not counted. */
  sleepsInSeconds: number | null;
  notes: string[];
}

export interface HostVerdict {
  checks: HostCheckResult[];
  active: boolean;
  idleForSeconds: number | null;
  timeoutSeconds: number;
  sleepsInSeconds: number | null;
}

export interface Verdict {
  /** Every monitored signal is idle right now (the answer of `check`). */
  idleNow: boolean;
  autoSleep: 'on' | 'disabled';
  /** Idle long enough, outside the wake grace period: start the sleep sequence. */
  sleepDue: boolean;
  inWakeGrace: boolean;
  graceRemainingSeconds: number;
  /** Seconds until sleep is due if everything stays idle; null while something is active or auto-sleep is off. */
  countdownSeconds: number | null;
  guests: GuestVerdict[];
  host: HostVerdict;
  lastWake: number | null;
  /** Notes about the whole decision (state reset, clock jump); each guest carries its own in `guests[].notes`. */
  notes: string[];
}

export interface Decision {
  verdict: Verdict;
  /** Every reason the host is awake, one line each (empty when sleep is due). */
  reasons: string[];
  next: PolicyState;
}

export function emptyState(): PolicyState {
  return { hostIdleSince: null, lastWake: null, resetAt: null, lastTickAt: null, guests: {} };
}
