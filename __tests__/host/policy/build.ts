/**
 * Small builders for policy tests: one idle VM unless told otherwise. Guest signals are what the real
 * checks make of a reading (their exported outcome functions), wrapped as the runner and the monitor wrap
 * them.
 */
import type { CheckOutcome } from '../../../common/check';
import type { Status } from '../../../protocol';
import { fromDocument } from '../../../host/checks/agent-status';
import { hostGpuOutcome } from '../../../host/checks/container-gpu';
import { gamingOutcome } from '../../../host/checks/gaming-processes';
import { cpuOutcome } from '../../../host/checks/guest-cpu';
import type {
  GuestEvidence,
  GuestObservation,
  GuestPolicy,
  GuestSignal,
  HostCheckReport,
  Observations,
  PolicyConfig,
  PolicyState,
  SignalRole,
} from '../../../host/policy';
import { emptyState } from '../../../host/policy';
import { activeStatus, idleStatus } from '../../helpers/status-samples';

export const T0 = Date.UTC(2026, 10, 26, 3, 0, 0);
export const MIN = 60_000;

/** A check's outcome as the monitor hands it to the policy. */
export function signal(
  check: { name: string; reason: string; role: SignalRole; unknownIs?: 'active' | 'idle' },
  outcome: Omit<CheckOutcome<GuestEvidence>, 'state'> & { state: GuestSignal['state'] },
): GuestSignal {
  const reason = outcome.reason ?? (outcome.state === 'active' ? check.reason : null);
  return {
    ...outcome,
    name: check.name,
    checkReason: check.reason,
    reason,
    durationMs: 0,
    role: check.role,
    unknownIs: check.unknownIs ?? 'idle',
  };
}

const AGENT = { name: 'agent status', reason: 'agent_missing', role: 'agent' as const };
const ALL = { checkPowerRequests: true, checkUserIdle: true };

export const withStatus = (status: Status, filters = ALL) => signal(AGENT, fromDocument(status, filters));
export const active = (...reasons: string[]) => withStatus(activeStatus(reasons));
export const idleFor = (seconds: number, seq = 42) => withStatus(idleStatus({ idle_seconds: seconds, seq }));
export const missing = (code = 'no_file') =>
  signal(AGENT, {
    state: 'unknown',
    detail: `agent status unusable (${code})`,
    evidence: { items: [{ name: 'agent status', state: 'unknown', detail: `${code}: test` }] },
  });
export const noAgent = () => signal(AGENT, { state: 'unavailable', detail: 'no agent (TRANSPORT=none)' });
export const cpu = (percent: number | null, threshold = 15) =>
  signal(
    { name: 'cpu', reason: 'cpu_load', role: 'fallback', unknownIs: 'active' },
    cpuOutcome(percent, threshold),
  );
export const hostGpu = (percent: number | null, threshold = 10) =>
  signal({ name: 'host gpu', reason: 'gpu_active', role: 'always' }, hostGpuOutcome(percent, threshold));
export const gaming = (configured: string[], running: string[] | null, kind: 'vm' | 'ct' = 'ct') =>
  signal(
    { name: 'gaming processes', reason: 'process:*', role: 'fallback' },
    gamingOutcome({ kind, gamingProcesses: configured }, running),
  );

export function vm(id: number, change: Partial<GuestObservation> = {}): GuestObservation {
  return {
    key: `vm:${id}`,
    kind: 'vm',
    id,
    name: `vm${id}`,
    power: 'running',
    powerDetail: 'running',
    uptimeSeconds: 86400,
    signals: [idleFor(3600), cpu(1)],
    ...change,
  };
}

export function ct(id: number, change: Partial<GuestObservation> = {}): GuestObservation {
  return { ...vm(id), key: `ct:${id}`, kind: 'ct', name: `ct${id}`, ...change };
}

/** The agent's signal replaced, the other signals kept. */
export const agentIs = (agent: GuestSignal, others: GuestSignal[] = [cpu(1)]) => ({
  signals: [agent, ...others],
});

export function policy(id: string, change: Partial<GuestPolicy> = {}): GuestPolicy {
  return { key: id, monitor: true, idleTimeoutMinutes: 15, onAgentMissing: 'cpu', ...change };
}

export function config(guests: GuestPolicy[], change: Partial<PolicyConfig> = {}): PolicyConfig {
  return {
    idleThresholdMinutes: 15,
    wakeGraceSeconds: 60,
    agentStaleSeconds: 120,
    checkIntervalSeconds: 60,
    guests,
    ...change,
  };
}

export function hostCheck(
  name: string,
  reason: string,
  state: HostCheckReport['state'],
  detail: string,
): HostCheckReport {
  return {
    name,
    checkReason: reason,
    reason: state === 'active' ? reason : null,
    state,
    detail,
    durationMs: 0,
  };
}

export const hostIdle: HostCheckReport[] = [
  hostCheck('pty sessions', 'pty_session', 'idle', 'nobody logged in on a pty'),
];

export function obs(guests: GuestObservation[], host: HostCheckReport[] = hostIdle): Observations {
  return { guests, host };
}

/** State as after a previous tick one interval ago, with the host idle since `hostIdleSince`. */
export function prevState(change: Partial<PolicyState> = {}): PolicyState {
  return { ...emptyState(), lastTickAt: T0 - MIN, ...change };
}
