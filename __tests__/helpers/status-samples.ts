import type { Status } from '../../protocol';

/** A valid idle status; tests change what they need. */
export function idleStatus(overrides: Partial<Status> = {}): Status {
  return {
    schema: 1,
    agent: { version: '2.0.0', os: 'linux', variant: 'daemon', hostname: 'guest' },
    seq: 42,
    written_at: '2026-11-26T03:00:00Z',
    interval_seconds: 10,
    idle: true,
    idle_seconds: 600,
    reason: null,
    reasons: [],
    block: { active: false, until: null, source: null },
    details: {
      user_idle_seconds: 900,
      gpu_percent: 0,
      power_requests: [],
      active_processes: [],
      load_average: 0.1,
      network_kbps: 3,
      sessions: 0,
    },
    checks: [{ name: 'cpu', state: 'idle', detail: 'load 0.10 <= 1.50' }],
    ...overrides,
  };
}

/** A valid active status with the given reasons (the first is `reason`). */
export function activeStatus(reasons: string[], overrides: Partial<Status> = {}): Status {
  const blocked = reasons.includes('user_block');
  return idleStatus({
    idle: false,
    idle_seconds: 0,
    reason: reasons[0],
    reasons,
    block: blocked
      ? { active: true, until: null, source: 'cli' }
      : { active: false, until: null, source: null },
    ...overrides,
  });
}

export const bytes = (value: unknown): Buffer => Buffer.from(JSON.stringify(value), 'utf8');
