/** Small builders for policy tests: one idle VM unless told otherwise. */
import type { Status } from '../../../protocol';
import type {
  GuestObservation,
  GuestPolicy,
  HostCheckResult,
  Observations,
  PolicyConfig,
  PolicyState,
} from '../../../host/policy';
import { emptyState } from '../../../host/policy';
import { activeStatus, idleStatus } from '../../helpers/status-samples';

export const T0 = Date.UTC(2026, 10, 26, 3, 0, 0);
export const MIN = 60_000;

export function vm(id: number, change: Partial<GuestObservation> = {}): GuestObservation {
  return {
    key: `vm:${id}`,
    kind: 'vm',
    id,
    name: `vm${id}`,
    power: 'running',
    powerDetail: 'running',
    uptimeSeconds: 86400,
    cpuPercent: 1,
    agent: { kind: 'status', status: idleStatus({ idle_seconds: 3600 }), via: 'qga-file' },
    ...change,
  };
}

export function ct(id: number, change: Partial<GuestObservation> = {}): GuestObservation {
  return { ...vm(id), key: `ct:${id}`, kind: 'ct', name: `ct${id}`, hostGpuPercent: null, ...change };
}

export const withStatus = (status: Status, via = 'qga-file') => ({ kind: 'status' as const, status, via });
export const active = (...reasons: string[]) => withStatus(activeStatus(reasons));
export const idleFor = (seconds: number, seq = 42) => withStatus(idleStatus({ idle_seconds: seconds, seq }));
export const missing = (code = 'no_file') => ({
  kind: 'missing' as const,
  code,
  why: `${code}: test`,
  via: 'qga-file',
});

export function policy(id: string, change: Partial<GuestPolicy> = {}): GuestPolicy {
  return {
    key: id,
    monitor: true,
    idleTimeoutMinutes: 15,
    onAgentMissing: 'cpu',
    cpuThreshold: 15,
    gpuThreshold: 10,
    checkPowerRequests: true,
    checkUserIdle: true,
    gamingProcesses: [],
    ...change,
  };
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

export const hostIdle: HostCheckResult[] = [
  { name: 'pty sessions', reason: 'pty_session', state: 'idle', detail: 'nobody logged in on a pty' },
];

export function obs(guests: GuestObservation[], host: HostCheckResult[] = hostIdle): Observations {
  return { guests, host };
}

/** State as after a previous tick one interval ago, with the host idle since `hostIdleSince`. */
export function prevState(change: Partial<PolicyState> = {}): PolicyState {
  return { ...emptyState(), lastTickAt: T0 - MIN, ...change };
}
