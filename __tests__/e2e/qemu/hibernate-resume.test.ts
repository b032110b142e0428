/**
 * Issue 7, e2e (a): an idle guest hibernated with guest-suspend-disk and resumed by booting the same disks
 * again still runs a process started before hibernation, with the same PID and its counter continuing, and
 * its uptime and boot id carry on: a real hibernation, not a reboot.
 */
import { GUEST } from '../../../lab/qemu/image/recipe';
import { createGuest, eventually, type Guest, guestSh, measured } from '../helpers/qemu-guest';

interface Count {
  pid: number;
  n: number;
  uptime: number;
}

const COUNTER_FILE = '/root/counter.json';
let guest: Guest;

beforeAll(async () => {
  guest = await createGuest('hibernate');
});
afterAll(async () => {
  await guest?.dispose();
});

async function readCount(): Promise<Count> {
  return JSON.parse((await guest.vm.readFile(COUNTER_FILE)).toString('utf8')) as Count;
}

const bootId = async () => (await guestSh(guest.vm, 'cat /proc/sys/kernel/random/boot_id')).stdout.trim();

describe('hibernate and resume a QEMU guest', () => {
  it('keeps a process started before hibernation running, with the same PID and its counter continuing', async () => {
    const { vm } = guest;
    const boot = await vm.boot({ fullBoot: true });
    measured('accelerator', boot.accel);
    measured('boot_to_qga_ready_ms', boot.readyMs);
    measured('boot_to_system_running_ms', boot.bootedMs ?? -1);
    measured('qemu_rss_after_boot_mib', Math.round((vm.rssBytes() ?? 0) / 1024 / 1024));

    await guestSh(vm, `setsid node ${GUEST.counter} ${COUNTER_FILE} </dev/null >/dev/null 2>&1 &`);
    const before = await eventually('the counter to have ticked twice', async () => {
      const c = await readCount();
      return c.n >= 2 ? c : undefined;
    });
    const bootIdBefore = await bootId();

    const hibernated = await vm.hibernate();
    measured('hibernate_ms', hibernated.ms);
    expect(vm.status()).toBe('stopped');
    expect(hibernated.events).toContain('SUSPEND_DISK');

    const resumed = await vm.resume();
    measured('resume_to_qga_ready_ms', resumed.readyMs);
    const after = await readCount();
    const later = await eventually('the counter to tick after the resume', async () => {
      const c = await readCount();
      return c.n > after.n ? c : undefined;
    });

    expect(after.pid).toBe(before.pid);
    expect(after.n).toBeGreaterThanOrEqual(before.n);
    expect(later.n).toBeGreaterThan(after.n);
    expect(after.uptime).toBeGreaterThanOrEqual(before.uptime);
    await guestSh(vm, `kill -0 ${before.pid}`);
    expect(await bootId()).toBe(bootIdBefore);
    measured('counter_before_after', `${before.n}->${after.n}->${later.n} pid ${before.pid}`);
  });

  it('fails a hibernation the guest cannot do (no swap) and leaves the guest running', async () => {
    const { vm } = guest;
    await guestSh(vm, 'swapoff -a');
    await expect(vm.hibernate({ timeoutMs: 60_000 })).rejects.toThrow(
      /guest-suspend-disk failed: .*GenericError/,
    );
    expect(vm.status()).toBe('running');
    await guestSh(vm, 'swapon -a');
    expect((await readCount()).pid).toBeGreaterThan(0);
  });
});
