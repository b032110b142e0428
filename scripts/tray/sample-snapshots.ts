/**
 * Status-window snapshots for every state, shared by the page tests (real Chromium) and the docs
 * screenshot. Each status passes the protocol's StatusSchema (the tests check that too).
 */
import type { StatusSnapshot } from '../../agent-app/electron/ipc-channels';
import type { HistoryBand } from '../../agent-app/electron/shared/history';
import type { Status } from '../../protocol/status';

/** 26 Nov 2026, 14:07:30 local time. */
export const SAMPLE_NOW = new Date(2026, 10, 26, 14, 7, 30).getTime();
const MIN = 60_000;

const iso = (ms: number) => new Date(ms).toISOString();

function base(now: number): Status {
  return {
    schema: 1,
    agent: { version: '2.0.0', os: 'windows', variant: 'tray', hostname: 'gaming-pc' },
    seq: 1842,
    written_at: iso(now - 3000),
    interval_seconds: 10,
    idle: true,
    idle_seconds: 760,
    reason: null,
    reasons: [],
    block: { active: false, until: null, source: null },
    details: {
      user_idle_seconds: 760,
      user_idle_source: 'electron',
      gpu_percent: 2,
      power_requests: [],
      active_processes: [],
      load_average: null,
    },
    checks: [
      { name: 'input', state: 'idle', detail: 'no input for 760s (electron)' },
      { name: 'gpu', state: 'idle', detail: 'GPU 2% <= 10% (GPU engine counters, 3D)' },
      { name: 'power_requests', state: 'idle', detail: 'none (powercfg, via task)' },
      { name: 'processes', state: 'idle', detail: 'none of 3 watched running' },
      { name: 'cpu', state: 'idle', detail: 'CPU 4% <= 15%' },
    ],
  };
}

/** The last hour: 5 min without data (computer was off), then idle, in use, a block, in use again. */
export function sampleHistory(now: number): HistoryBand[] {
  const start = now - 60 * MIN;
  const at = (m: number) => start + m * MIN;
  return [
    { from: at(0), to: at(5), state: 'none' },
    { from: at(5), to: at(21), state: 'idle' },
    { from: at(21), to: at(38), state: 'active' },
    { from: at(38), to: at(47), state: 'blocked' },
    { from: at(47), to: now, state: 'active' },
  ];
}

export function snapshotOf(
  status: Status | null,
  now = SAMPLE_NOW,
  extra: Partial<StatusSnapshot> = {},
): StatusSnapshot {
  return {
    status,
    history: status ? sampleHistory(now) : [],
    now,
    statusFile: 'C:\\ProgramData\\ProxmoxSleep\\status.json',
    writeError: null,
    ...extra,
  };
}

export const samples = {
  /** Before the first status. */
  waiting: (now = SAMPLE_NOW) => snapshotOf(null, now),
  /** The `starting` document. */
  starting: (now = SAMPLE_NOW): StatusSnapshot =>
    snapshotOf(
      {
        ...base(now),
        idle: false,
        idle_seconds: 0,
        reason: 'starting',
        reasons: ['starting'],
        details: {},
        checks: [],
      },
      now,
      { history: [] },
    ),
  idle: (now = SAMPLE_NOW) =>
    snapshotOf({ ...base(now) }, now, {
      history: [
        { from: now - 60 * MIN, to: now - 13 * MIN, state: 'active' },
        { from: now - 13 * MIN, to: now, state: 'idle' },
      ],
    }),
  active: (now = SAMPLE_NOW): StatusSnapshot => {
    const s = base(now);
    return snapshotOf(
      {
        ...s,
        idle: false,
        idle_seconds: 0,
        reason: 'gpu_active',
        reasons: ['gpu_active', 'user_input'],
        details: { ...s.details, gpu_percent: 85, user_idle_seconds: 12 },
        checks: [
          { name: 'input', state: 'active', detail: 'input 12s ago (< 60s, electron)' },
          { name: 'gpu', state: 'active', detail: 'GPU 85% > 10% (GPU engine counters, 3D)' },
          { name: 'power_requests', state: 'idle', detail: 'none (powercfg, via task)' },
          { name: 'processes', state: 'idle', detail: 'none of 3 watched running' },
          { name: 'cpu', state: 'unknown', detail: 'timed out after 5s' },
        ],
      },
      now,
    );
  },
  blockedUntil: (now = SAMPLE_NOW): StatusSnapshot => {
    const s = base(now);
    return snapshotOf(
      {
        ...s,
        idle: false,
        idle_seconds: 0,
        reason: 'user_block',
        reasons: ['user_block'],
        block: { active: true, until: iso(now + 83 * MIN), source: 'tray' },
      },
      now,
    );
  },
  blockedIndefinitely: (now = SAMPLE_NOW): StatusSnapshot => {
    const s = base(now);
    return snapshotOf(
      {
        ...s,
        idle: false,
        idle_seconds: 0,
        reason: 'user_block',
        reasons: ['user_block', 'process:steam'],
        block: { active: true, until: null, source: 'command line' },
        details: { ...s.details, active_processes: ['steam'] },
        checks: [...s.checks.slice(0, 3), { name: 'processes', state: 'active', detail: 'running: steam' }],
      },
      now,
    );
  },
  writeError: (now = SAMPLE_NOW) =>
    snapshotOf({ ...base(now) }, now, {
      writeError: "EPERM: operation not permitted, open 'C:\\ProgramData\\ProxmoxSleep\\.status.json.tmp'",
    }),
  /** A check detail that looks like markup (process names and command output are untrusted). */
  hostile: (now = SAMPLE_NOW) => {
    const s = base(now);
    return snapshotOf(
      {
        ...s,
        checks: [{ name: 'nightly-backup', state: 'idle', detail: '<img src=x onerror="document.title=1">' }],
      },
      now,
    );
  },
};

export type SampleName = keyof typeof samples;
