/**
 * Plain data in and out of the policy. Observations are what one cycle saw: every guest's signals and the
 * host checks, each a report of the shared check model (common/check); the state is what the policy
 * remembers between cycles (timers, the last seq of each agent); the verdict says what to do and why.
 * All times are milliseconds since the epoch on the HOST's clock; durations in verdicts are whole seconds.
 */
import type { CheckReport, ReportState } from '../../common/check';

export type Kind = 'vm' | 'ct';
export type Power = 'running' | 'stopped' | 'paused' | 'suspended' | 'other' | 'unknown';

/** How a guest signal counts. */
export type SignalRole =
  /** The guest's own status document: while it cannot be used, ON_AGENT_MISSING decides. */
  | 'agent'
  /** Counts only while the agent's document cannot be used (the CPU fallback, GAMING_PROCESSES). */
  | 'fallback'
  /** Counts whatever the agent says (a container's share of the host's GPU). */
  | 'always';

/** One thing a signal measured, as `status` shows it ("GPU 85% > 10%", "running: steam.exe"). */
export interface EvidenceItem {
  name: string;
  state: ReportState;
  detail: string;
}

/** What a guest signal saw besides its detail. */
export interface GuestEvidence {
  /** What was measured, item by item (the agent's own checks[]). */
  items?: EvidenceItem[];
  /** A counter that must keep moving (the agent's seq): frozen for AGENT_STALE_SECONDS, the signal is stale. */
  heartbeat?: number;
  /** How long the source says the guest has been idle (the agent's idle_seconds); clamped by the host. */
  idleSeconds?: number;
  /** What the user should know about this reading (reasons this guest's configuration ignores). */
  notes?: string[];
}

/** One guest signal as the policy reads it: a check report, and how it counts. */
export interface GuestSignal extends CheckReport<GuestEvidence> {
  role: SignalRole;
  /** How `unknown` counts: the CPU fallback's is active (never idle by accident), everything else's idle. */
  unknownIs: 'active' | 'idle';
}

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
  /** Every signal read for this guest this cycle, in check order; none when it was not read. */
  signals: GuestSignal[];
}

/** A host check's report: unknown and unavailable never keep the host awake. */
export type HostCheckReport = CheckReport;

export interface Observations {
  guests: GuestObservation[];
  host: HostCheckReport[];
}

export interface GuestPolicy {
  key: string;
  monitor: boolean;
  /** Minutes this guest must be idle, possibly fractional (45s = 0.75); counted as 0 while auto-sleep is off. */
  idleTimeoutMinutes: number;
  /** What an unusable agent document counts as; `cpu` leaves it to the CPU fallback signal. */
  onAgentMissing: 'cpu' | 'idle' | 'active';
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
  /** What the signals that decided the state measured, item by item (the guest's own checks first). */
  evidence: EvidenceItem[];
  idleForSeconds: number | null;
  timeoutSeconds: number;
  /** Seconds until this guest lets the host sleep (0 = ready); null while active or not counted. */
  sleepsInSeconds: number | null;
  notes: string[];
}

export interface HostVerdict {
  checks: HostCheckReport[];
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
