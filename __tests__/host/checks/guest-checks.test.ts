/**
 * The per-guest signals on the shared check model: which checks a guest's configuration registers, what
 * each makes of its reading (through the real runner), and the containers' one GPU reading per cycle.
 */
import { SimulatedClock } from '../../../common/clock';
import { createCheckRunner } from '../../../common/check';
import { memorySink, createLogger } from '../../../common/log';
import type { Runner } from '../../../common/shell';
import { createGuestChecks, createHostChecks, type GuestCheck } from '../../../host/checks';
import { resolveConfig, type GuestConfig } from '../../../host/config';
import { observe } from '../../../host/monitor/observe';
import type { GuestInfo, Proxmox } from '../../../host/proxmox/types';
import type { StatusReading } from '../../../host/guest';
import { activeStatus, idleStatus } from '../../helpers/status-samples';
import { runResult } from '../../helpers/run-result';

const guests = (text: string) => {
  const loaded = resolveConfig(text, 'test.conf', {});
  expect(loaded.problems.filter((p) => p.severity === 'error')).toEqual([]);
  return loaded.config;
};
const noChannel = {
  readStatus: async (): Promise<StatusReading> => ({ ok: false, code: 'no_file', why: 'test' }),
  processNames: async () => null,
};
const names = (checks: GuestCheck[]) => checks.map((c) => c.name);
const runner = createCheckRunner({ clock: new SimulatedClock(), timeoutMs: 1000 });
const context = (info?: Partial<GuestInfo>) => ({
  now: 0,
  timeoutMs: 1000,
  info: info as GuestInfo | undefined,
  shared: <T>(_key: string, read: () => Promise<T>) => read(),
});
const runOne = async (check: GuestCheck | undefined, info?: Partial<GuestInfo>) =>
  (await runner.run([check as GuestCheck], context(info)))[0];

describe('registration: a guest gets the checks its configuration asks for', () => {
  const config = guests(
    [
      'VM_IDS="100 101"',
      'CONTAINER_IDS=200',
      'VM_101_ON_AGENT_MISSING=idle',
      'VM_101_GAMING_PROCESSES=steam.exe',
      'VM_101_TRANSPORT=none',
    ].join('\n'),
  );
  const [vm100, vm101, ct200] = config.guests.map((g) =>
    createGuestChecks(g, { run: null as never, channel: noChannel }),
  );

  test('a VM: its agent and, with ON_AGENT_MISSING=cpu (the default), the CPU fallback', () => {
    expect(names(vm100)).toEqual(['agent status', 'cpu']);
    expect(vm100.map((c) => [c.role, c.unknownIs ?? 'idle'])).toEqual([
      ['agent', 'idle'],
      ['fallback', 'active'],
    ]);
  });

  test('ON_AGENT_MISSING=idle has no CPU fallback; GAMING_PROCESSES adds one read only without an agent', () => {
    expect(names(vm101)).toEqual(['agent status', 'gaming processes']);
    expect(vm101[1]).toMatchObject({ role: 'fallback', readWhen: 'agent-unreadable' });
  });

  test("a container also counts the host's GPU, whatever its agent says", () => {
    expect(names(ct200)).toEqual(['agent status', 'cpu', 'host gpu']);
    expect(ct200[2].role).toBe('always');
  });

  test('host checks follow their switches', () => {
    const all = createHostChecks(config.global, { run: null as never });
    expect(names(all as never)).toEqual([
      'pty sessions',
      'blocking processes',
      'blocking units',
      'sleep inhibitors',
    ]);
    const some = guests('VM_IDS=100\nCHECK_SSH_SESSIONS=0\nCHECK_SLEEP_INHIBITORS=0').global;
    expect(names(createHostChecks(some, { run: null as never }) as never)).toEqual([
      'blocking processes',
      'blocking units',
    ]);
  });
});

describe('agent status', () => {
  const config = guests('VM_IDS="100 101"\nVM_101_CHECK_USER_IDLE=0\nVM_101_CHECK_POWER_REQUESTS=0');
  const agentCheck = (guest: GuestConfig, reading: StatusReading) =>
    createGuestChecks(guest, {
      run: null as never,
      channel: { ...noChannel, readStatus: async () => reading },
    })[0];

  test("a valid idle document: idle, with the agent's own checks, seq and idle streak as evidence", async () => {
    const status = idleStatus({ seq: 9, idle_seconds: 700 });
    const r = await runOne(agentCheck(config.guests[0], { ok: true, status }));
    expect(r).toMatchObject({ state: 'idle', detail: 'agent: idle' });
    expect(r.evidence).toEqual({ items: status.checks, heartbeat: 9, idleSeconds: 700, notes: [] });
  });

  test('an active document: every reason; those this guest ignores are taken out and noted', async () => {
    const both = { ok: true as const, status: activeStatus(['user_input', 'power_request', 'gpu_active']) };
    expect(await runOne(agentCheck(config.guests[0], both))).toMatchObject({
      state: 'active',
      reason: 'user_input',
      reasons: ['user_input', 'power_request', 'gpu_active'],
    });
    const filtered = await runOne(agentCheck(config.guests[1], both));
    expect(filtered).toMatchObject({ state: 'active', reasons: ['gpu_active'], detail: 'agent: gpu_active' });
    expect(filtered.evidence?.notes).toEqual([
      'ignored user_input, power_request (CHECK_USER_IDLE=0, CHECK_POWER_REQUESTS=0 for this guest)',
    ]);
  });

  test('active only for ignored reasons is idle, without an idle streak of its own; user_block is never ignored', async () => {
    const ignoredOnly = await runOne(
      agentCheck(config.guests[1], { ok: true, status: activeStatus(['user_input']) }),
    );
    expect(ignoredOnly).toMatchObject({
      state: 'idle',
      detail: 'agent: active only for ignored reasons (user_input)',
    });
    expect(ignoredOnly.evidence?.idleSeconds).toBeUndefined();
    const blocked = await runOne(
      agentCheck(config.guests[1], { ok: true, status: activeStatus(['user_block']) }),
    );
    expect(blocked).toMatchObject({ state: 'active', reasons: ['user_block'] });
  });

  test('an unusable document is unknown, with the code in its detail and the why as evidence', async () => {
    const r = await runOne(
      agentCheck(config.guests[0], { ok: false, code: 'wrong_shape', why: 'invalid status' }),
    );
    expect(r).toMatchObject({ state: 'unknown', detail: 'agent status unusable (wrong_shape)' });
    expect(r.evidence?.items).toEqual([{ name: 'agent status', state: 'unknown', detail: 'invalid status' }]);
  });

  test('TRANSPORT=none: unavailable, never read', async () => {
    const none = guests('VM_IDS=100\nVM_100_TRANSPORT=none').guests[0];
    const check = createGuestChecks(none, {
      run: null as never,
      channel: { ...noChannel, readStatus: () => Promise.reject(new Error('must not be read')) },
    })[0];
    expect(await runOne(check)).toMatchObject({ state: 'unavailable', detail: 'no agent (TRANSPORT=none)' });
  });
});

test("the CPU fallback: strictly above the threshold; no sample is unknown, standing for 'cpu_unknown'", async () => {
  const check = createGuestChecks(guests('VM_IDS=100').guests[0], {
    run: null as never,
    channel: noChannel,
  })[1];
  expect(await runOne(check, { cpuPercent: 15 })).toMatchObject({ state: 'idle', detail: 'CPU 15% ≤ 15%' });
  expect(await runOne(check, { cpuPercent: 15.1 })).toMatchObject({ state: 'active', reason: 'cpu_load' });
  expect(await runOne(check, { cpuPercent: null })).toMatchObject({
    state: 'unknown',
    reason: 'cpu_unknown',
  });
});

test('GAMING_PROCESSES: an unreadable process list is unknown, which counts as idle', async () => {
  const guest = guests('CONTAINER_IDS=200\nCONTAINER_200_GAMING_PROCESSES=Steam').guests[0];
  const list = (running: string[] | null) =>
    createGuestChecks(guest, {
      run: null as never,
      channel: { ...noChannel, processNames: async () => running },
    }).find((c) => c.name === 'gaming processes');
  expect(await runOne(list(['bash', 'steam']))).toMatchObject({
    state: 'active',
    reasons: ['process:steam'],
  });
  expect(await runOne(list(null))).toMatchObject({ state: 'unknown' });
  expect(list(null)?.unknownIs ?? 'idle').toBe('idle');
});

test("containers share one reading of the host's GPU per cycle", async () => {
  const config = guests('CONTAINER_IDS="200 201"\nCONTAINER_201_GPU_IDLE_THRESHOLD=90');
  let calls = 0;
  const run: Runner = async (command, args) => {
    if (command === 'nvidia-smi') calls++;
    return runResult({ command, args, stdout: '55\n12\n' });
  };
  const running = (id: number): GuestInfo => ({
    kind: 'ct',
    id,
    name: `ct${id}`,
    power: 'running',
    powerDetail: 'running',
    uptimeSeconds: 60,
    cpuPercent: 1,
  });
  const proxmox = { listGuests: async () => [running(200), running(201)] } as unknown as Proxmox;
  const checks = new Map(config.guests.map((g) => [g.id, createGuestChecks(g, { run, channel: noChannel })]));
  const log = createLogger('t', { sink: memorySink() });
  const deps = {
    proxmox,
    hostChecks: [],
    guestChecks: (g: GuestConfig) => checks.get(g.id) ?? [],
    hostRunner: runner,
    guestRunner: runner,
    log,
    now: () => 0,
  };
  for (let cycle = 1; cycle <= 2; cycle++) {
    const { observations } = await observe(config, deps);
    const gpu = observations.guests.map((g) => g.signals.find((s) => s.name === 'host gpu'));
    expect(gpu.map((s) => [s?.state, s?.detail])).toEqual([
      ['active', 'host GPU 55% > 10%'],
      ['idle', 'host GPU 55% ≤ 90%'],
    ]);
    expect(calls).toBe(cycle);
  }
});
