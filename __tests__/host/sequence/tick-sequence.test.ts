/**
 * `tick` once sleep is due: the pre-sleep warning goes to the real agent of a lab guest (through its real
 * qemu-ga; the guest's `wall` records it), a guest that becomes active during the warning cancels the sleep,
 * and otherwise the whole cycle runs: pre-sleep, suspend (the lab's systemd running the real hook unit),
 * post-wake. The monitor runs on a simulated clock (so sleep becomes due at once); the sequence, whose waits
 * meet real processes, on the real one.
 */
import { existsSync, readFileSync, writeFileSync } from 'fs';
import * as path from 'path';
import { SimulatedClock, systemClock } from '../../../common/clock';
import { memorySink } from '../../../common/log';
import { loadConfig } from '../../../host/config';
import { tick } from '../../../host/monitor/tick';
import { wire } from '../../../host/wiring/index';
import { activeStatus, bytes, idleStatus } from '../../helpers/status-samples';
import { createSequenceLab, type SequenceLab } from '../helpers/sequence-lab';

jest.setTimeout(60000);

let t: SequenceLab;
beforeAll(() => (t = createSequenceLab()));
afterAll(() => t.cleanup());

test('the warning reaches the agent; activity during it cancels the sleep; an idle guest goes through the whole cycle', async () => {
  await t.lab.addVm(601, { name: 'office', backend: 'light', behaviour: { hibernateSeconds: 0.5 } });
  const statusFile = path.join(t.lab.guestDir(601), 'status.json');
  const conf = t.config([
    'VM_IDS=601',
    'VM_601_NAME=office',
    `VM_601_STATUS_PATH=${statusFile}`,
    'IDLE_THRESHOLD_MINUTES=1',
    'WAKE_GRACE_PERIOD=0',
    'PRE_SLEEP_WARNING_SECONDS=1',
  ]);
  t.enableHook(conf);
  t.lab.host({ suspend: { seconds: 0.5 } });
  const env = t.env(conf);
  const { config } = loadConfig({ configFile: conf, env });
  const clock = new SimulatedClock(Date.now());
  const sink = memorySink();
  const wired = await wire(config, {
    env,
    clock,
    sink,
    sequenceClock: systemClock,
  });
  let seq = 1;
  const say = (status: object) => writeFileSync(statusFile, bytes(status));
  const becomeDue = async () => {
    say(idleStatus({ seq: seq++, idle_seconds: 3600 }));
    expect((await tick(config, wired)).decision.verdict.sleepDue).toBe(false);
    await clock.advance(61 * 1000);
    say(idleStatus({ seq: seq++, idle_seconds: 3600 }));
  };
  try {
    await becomeDue();
    const wall = path.join(t.lab.guestDir(601), 'wall.log');
    const during = (async () => {
      await t.waitFor('the warning in the guest', () => existsSync(wall));
      say(activeStatus(['user_block'], { seq: seq++ }));
    })();
    const cancelled = await tick(config, wired);
    await during;
    expect(cancelled.decision.verdict.sleepDue).toBe(true);
    expect(cancelled.sequence).toEqual({
      slept: false,
      detail: 'sleep cancelled after the warning: VM 601 (office): agent: user_block',
    });
    expect(readFileSync(wall, 'utf8')).toContain(
      'goes to sleep in 1 seconds; this guest will be hibernated.',
    );
    expect(t.lab.events().map((e) => e.event)).toEqual([]);

    await becomeDue();
    const slept = await tick(config, wired);
    expect(slept.sequence).toMatchObject({ slept: true, detail: expect.stringMatching(/^slept and woke/) });
    expect(t.lab.events().map((e) => e.event)).toEqual(['hibernate-requested', 'hibernated', 'resumed']);
    expect(t.lab.guest(601)?.status).toBe('running');
    expect(t.runRecord()).toMatchObject({ command: 'tick', phase: 'done' });
    expect(readFileSync(path.join(t.stateDir, 'idle-monitor.wake'), 'utf8')).toMatch(/^[0-9]+\n$/);
    expect(sink.records.map((r) => r.event)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'sleep', phase: 'warning: sleep in 1 s' }),
        expect.objectContaining({
          kind: 'guest-action',
          guest: 'VM 601 (office)',
          action: 'notify',
          outcome: 'done',
        }),
        expect.objectContaining({ kind: 'guest-action', action: 'hibernate', outcome: 'done' }),
        expect.objectContaining({ kind: 'wake' }),
      ]),
    );
  } finally {
    wired.close();
  }
});
