/**
 * Issue 7, e2e (b): guest-shutdown powers a QEMU guest off (QEMU exits), and the same VM boots again from
 * its disks: a fresh boot this time (new boot id), the opposite of the hibernation suite.
 */
import { GUEST } from '../../../lab/qemu/image/recipe';
import { createGuest, eventually, type Guest, guestSh, measured } from '../helpers/qemu-guest';

let guest: Guest;
beforeAll(async () => {
  guest = await createGuest('shutdown');
});
afterAll(async () => {
  await guest?.dispose();
});

const bootId = async () => (await guestSh(guest.vm, 'cat /proc/sys/kernel/random/boot_id')).stdout.trim();

describe('shut down and start a QEMU guest', () => {
  it('powers off on guest-shutdown and boots again', async () => {
    const { vm } = guest;
    const first = await vm.boot({ fullBoot: true });
    measured('accelerator', first.accel);
    measured('boot_to_qga_ready_ms', first.readyMs);
    const firstBootId = await bootId();
    // An empty data disk: the start service (started by udev when the disk appears, possibly after the boot
    // finished) mounts it, finds no start script and is skipped by its condition, without failing.
    const settled = await eventually('lab-start.service to settle', async () => {
      const r = await vm.exec('systemctl', [
        'show',
        '-p',
        'ActiveState',
        '-p',
        'ConditionResult',
        GUEST.startUnit,
      ]);
      return r.stdout.includes('ActiveState=activating') ? undefined : r.stdout;
    });
    expect(settled).toContain('ActiveState=inactive');
    expect(settled).toContain('ConditionResult=no');

    const off = await vm.shutdown();
    measured('shutdown_ms', off.ms);
    expect(vm.status()).toBe('stopped');
    expect(off.events).toContain('SHUTDOWN');
    expect(off.events).not.toContain('SUSPEND_DISK');

    const second = await vm.boot({ fullBoot: true });
    measured('second_boot_to_qga_ready_ms', second.readyMs);
    expect(vm.status()).toBe('running');
    expect(await bootId()).not.toBe(firstBootId);
  });

  it('powers off on the ACPI power button (QMP system_powerdown) once logind watches it', async () => {
    const { vm } = guest;
    expect(vm.status()).toBe('running');
    const off = await vm.powerdown();
    measured('powerdown_ms', off.ms);
    expect(vm.status()).toBe('stopped');
    expect(off.events).toContain('POWERDOWN');
  });
});
