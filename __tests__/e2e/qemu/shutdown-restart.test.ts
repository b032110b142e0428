/**
 * Issue 7, e2e (b): guest-shutdown powers a QEMU guest off (QEMU exits), and the same VM boots again from
 * its disks: a fresh boot this time (new boot id), the opposite of the hibernation suite.
 */
import { GUEST } from '../../../lab/qemu/image/recipe';
import { createGuest, type Guest, guestSh, measured } from '../helpers/qemu-guest';

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
    // An empty data disk: the start service is skipped by its condition, it does not fail the boot.
    const unit = await vm.qga.exec('systemctl', ['is-active', GUEST.startUnit]);
    expect(unit.stdout.trim()).toBe('inactive');

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
});
