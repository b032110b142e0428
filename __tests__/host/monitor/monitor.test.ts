/**
 * The monitor step end to end with an injected clock: GUEST_AGENT_ACCESS=socket to real qemu-ga processes,
 * power states from the fake pvesh, timers in a real state directory, the sleep sequence recorded.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { SimulatedClock } from '../../../common/clock';
import { memorySink } from '../../../common/log';
import { resolveConfig } from '../../../host/config';
import { tick } from '../../../host/monitor/tick';
import { mapLimit } from '../../../common/map-limit';
import type { SleepRequest } from '../../../host/sequence';
import { wire, type Wired } from '../../../host/wiring/index';
import { activeStatus, bytes, idleStatus } from '../../helpers/status-samples';
import { createFakePve, type FakePve } from '../helpers/fake-pve';

let pve: FakePve;
let work: string;
const MIN = 60_000;

beforeAll(async () => {
  pve = createFakePve();
  work = mkdtempSync(path.join(os.tmpdir(), 'monitor-'));
  await pve.addVm(100);
  await pve.addVm(101);
});
afterAll(async () => {
  await pve.cleanup();
  rmSync(work, { recursive: true, force: true });
});

async function setup(stateName: string, extra: string[] = []) {
  const text = [
    'VM_IDS="100 101"',
    `VM_100_STATUS_PATH=${pve.statusPath(100)}`,
    `VM_101_STATUS_PATH=${pve.statusPath(101)}`,
    'VM_101_IDLE_TIMEOUT=5',
    'GUEST_AGENT_ACCESS=socket',
    `QGA_SOCKET_DIR=${pve.socketDir}`,
    'CHECK_SSH_SESSIONS=0',
    'CHECK_SLEEP_INHIBITORS=0',
    'HOST_BLOCKING_UNITS=""',
    ...extra,
  ].join('\n');
  const env = { ...pve.env, PROXMOX_SLEEP_STATE_DIR: path.join(work, stateName) };
  const loaded = resolveConfig(text, 'test.conf', env);
  expect(loaded.problems.filter((p) => p.severity === 'error')).toEqual([]);
  const clock = new SimulatedClock(Date.now());
  const sink = memorySink();
  const sleeps: SleepRequest[] = [];
  const wired: Wired = await wire(loaded.config, {
    env: { ...process.env, ...env },
    clock,
    sink,
    sequence: () => ({
      name: 'recorder',
      run: async (request) => (sleeps.push(request), { slept: false, detail: 'recorded' }),
    }),
  });
  return { config: loaded.config, wired, clock, sink, sleeps };
}

test('timers advance tick by tick until sleep is due; per-guest IDLE_TIMEOUT; the sequence is called once due', async () => {
  const { config, wired, clock, sleeps } = await setup('state-a');
  let seq = 1;
  const write = () => {
    seq++;
    writeFileSync(pve.statusPath(100), bytes(idleStatus({ seq, idle_seconds: 7200 })));
    writeFileSync(pve.statusPath(101), bytes(idleStatus({ seq, idle_seconds: 7200 })));
  };
  write();
  const first = await tick(config, wired);
  expect(first.decision.verdict.guests.map((g) => g.idleForSeconds)).toEqual([0, 0]);
  expect(first.decision.verdict.countdownSeconds).toBe(15 * 60);
  for (let i = 1; i <= 2; i++) {
    await clock.advance(5 * MIN);
    write();
    await tick(config, wired);
  }
  await clock.advance(5 * MIN);
  write();
  const due = await tick(config, wired);
  expect(due.decision.verdict.guests.map((g) => g.sleepsInSeconds)).toEqual([0, 0]);
  expect(due.decision.verdict.sleepDue).toBe(true);
  expect(sleeps).toHaveLength(1);
  expect(due.sequence).toEqual({ slept: false, detail: 'recorded' });
  wired.close();
});

test('an agent whose seq stops moving for AGENT_STALE_SECONDS counts as missing (host clock)', async () => {
  const { config, wired, clock, sink } = await setup('state-b', ['AGENT_STALE_SECONDS=120']);
  writeFileSync(pve.statusPath(100), bytes(idleStatus({ seq: 5 })));
  writeFileSync(pve.statusPath(101), bytes(activeStatus(['user_input'], { seq: 5 })));
  await tick(config, wired);
  await clock.advance(2 * MIN);
  const stale = await tick(config, wired);
  const [vm100, vm101] = stale.decision.verdict.guests;
  expect(vm100).toMatchObject({ basis: 'fallback', state: 'idle' }); // CPU 1% ≤ 15%
  expect(vm101).toMatchObject({ basis: 'fallback', state: 'idle' });
  expect(vm100.notes[0]).toMatch(/seq 5 has not changed for 120 s/);
  expect(sink.records.some((r) => r.event.kind === 'verdict')).toBe(true);
  wired.close();
});

test('a stopped guest is not read at all, and a dead agent falls back to its CPU', async () => {
  const { config, wired } = await setup('state-c', ['CHECK_INTERVAL=4']);
  pve.update(101, { status: 'stopped', qmpstatus: 'stopped' });
  pve.agents.get(100)?.freeze();
  try {
    pve.update(100, { cpu: 0.5 });
    const r = await tick(config, wired);
    expect(r.observations.guests[1]).toMatchObject({ power: 'stopped', signals: [] });
    expect(r.decision.verdict.guests[0]).toMatchObject({ state: 'active', reasons: ['cpu_load'] });
    expect(r.observations.guests[0].signals.map((s) => [s.name, s.state, s.detail])).toEqual([
      ['agent status', 'unknown', 'agent status unusable (timeout)'],
      ['cpu', 'active', 'CPU 50% > 15%'],
    ]);
  } finally {
    pve.agents.get(100)?.thaw();
    pve.update(100, { cpu: 0.01 });
    pve.update(101, { status: 'running', qmpstatus: 'running' });
    wired.close();
  }
});

test('a guest missing from the node listing counts as not running here; a lasting agent failure is warned once', async () => {
  const { config, wired, sink } = await setup('state-d', ['VM_IDS="100 101 150"']);
  rmSync(pve.statusPath(100), { force: true });
  writeFileSync(pve.statusPath(101), bytes(idleStatus()));
  const first = await tick(config, wired);
  expect(first.decision.verdict.guests[2]).toMatchObject({
    id: 150,
    state: 'stopped',
    explanation: 'not running (not found on this node (deleted or migrated?))',
  });
  await tick(config, wired);
  const warnings = sink.records.filter((r) => r.level === 'warn' && r.event.kind === 'fallback');
  expect(warnings).toHaveLength(1);
  expect(warnings[0].event).toMatchObject({
    subject: 'VM 100 (vm-100) agent via qga-file',
    to: 'ON_AGENT_MISSING=cpu',
  });
  writeFileSync(pve.statusPath(100), bytes(idleStatus()));
  await tick(config, wired);
  expect(
    sink.records.some(
      (r) =>
        r.event.kind === 'message' && /VM 100 \(vm-100\): agent status readable again/.test(r.event.text),
    ),
  ).toBe(true);
  wired.close();
});

test('guests are observed in parallel with a bound', async () => {
  let inFlight = 0;
  let max = 0;
  const out = await mapLimit(
    Array.from({ length: 20 }, (_, i) => i),
    4,
    async (i) => {
      inFlight++;
      max = Math.max(max, inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      return i * 2;
    },
  );
  expect(max).toBe(4);
  expect(out).toEqual(Array.from({ length: 20 }, (_, i) => i * 2));
});
