/** Confirming a stop: consecutive readings and no QEMU process for that exact VM id (real /proc). */
import { spawn } from 'child_process';
import * as path from 'path';
import { SimulatedClock, systemClock } from '../../../common/clock';
import { readProcessTable, type ProcessEntry } from '../../../host/checks/process-table';
import type { GuestInfo, Proxmox } from '../../../host/proxmox/types';
import { pollMsFor, qemuProcessOf, waitForStop } from '../../../host/sequence/power-watch';
import { silentProgress } from '../../../host/sequence/progress';

const entry = (commandLine: string): ProcessEntry => ({ pid: 1, ppid: 0, commandLine });

test('a QEMU process of exactly that VM id, as pgrep -f "(qemu|kvm).*-id <id> " finds it', () => {
  const table = [
    entry('/usr/bin/kvm -id 1001 -name big -chardev socket'),
    entry('sleep -id 100 '),
    entry('/usr/bin/qemu-system-x86_64 -id 100 -name small'),
  ];
  expect(qemuProcessOf(table, 100)?.commandLine).toMatch(/qemu-system/);
  expect(qemuProcessOf(table, 1001)?.commandLine).toMatch(/-id 1001/);
  expect(qemuProcessOf(table, 10)).toBeNull();
  expect(qemuProcessOf([entry('/usr/bin/kvm -id 100')], 100)).not.toBeNull();
  expect(qemuProcessOf([entry('/usr/bin/kvm -id 1000')], 100)).toBeNull();
});

test('poll interval: 5 s as 1.x, shorter for short timeouts (at least 20 readings fit)', () => {
  expect(pollMsFor(300)).toBe(5000);
  expect(pollMsFor(20)).toBe(1000);
  expect(pollMsFor(1)).toBe(100);
});

function fakeProxmox(readings: string[]): Proxmox {
  let i = 0;
  return {
    status: async () => {
      const word = readings[Math.min(i++, readings.length - 1)];
      if (word === 'error') throw new Error('pvesh timed out');
      return { power: word } as GuestInfo;
    },
  } as unknown as Proxmox;
}

test('three consecutive stopped readings confirm; a running or failed reading starts the count again', async () => {
  const clock = new SimulatedClock();
  const deps = (readings: string[]) => ({
    proxmox: fakeProxmox(readings),
    clock,
    processes: async () => [] as ProcessEntry[],
    progress: silentProgress(),
  });
  const confirmed = waitForStop(
    { kind: 'vm', id: 1 },
    'VM 1',
    'x',
    20,
    deps(['stopped', 'running', 'stopped', 'error', 'stopped', 'stopped', 'stopped']),
  );
  await clock.advance(20000);
  expect(await confirmed).toEqual({ stopped: true, last: 'stopped', lingering: false });
  const never = waitForStop({ kind: 'vm', id: 1 }, 'VM 1', 'x', 20, deps(['running']));
  await clock.advance(21000);
  expect(await never).toEqual({ stopped: false, last: 'running', lingering: false });
});

test('"stopped" with its QEMU process still in /proc is not stopped until the process is gone', async () => {
  const placeholder = path.join(__dirname, '..', '..', '..', 'lab', 'pve', 'placeholder', 'kvm');
  const kvm = spawn(placeholder, ['-id', '4243', '-name', 'test', '-lab', 'power-watch'], {
    detached: true,
    stdio: 'ignore',
  });
  await new Promise((r) => setTimeout(r, 100));
  try {
    expect(qemuProcessOf(await readProcessTable(), 4243)).not.toBeNull();
    expect(qemuProcessOf(await readProcessTable(), 424)).toBeNull();
    const goneAt = Date.now() + 700;
    setTimeout(() => process.kill(-kvm.pid!, 'SIGTERM'), 700);
    const result = await waitForStop({ kind: 'vm', id: 4243 }, 'VM 4243', 'x', 5, {
      proxmox: fakeProxmox(['stopped']),
      clock: systemClock,
      processes: () => readProcessTable(),
      progress: silentProgress(),
    });
    expect(result.stopped).toBe(true);
    expect(Date.now()).toBeGreaterThanOrEqual(goneAt);
  } finally {
    try {
      process.kill(-kvm.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});
