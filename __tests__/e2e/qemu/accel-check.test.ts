/**
 * The accelerator boot check on the real image kernel: under TCG (which works everywhere) it sees the kernel
 * boot to its "cannot mount root" panic, so a KVM that can run the kernel would pass it the same way; the
 * decision this machine made is printed with its reason.
 */
import { bootCheck } from '../../../lab/qemu/accel';
import { labSetup, measured, run } from '../helpers/qemu-guest';

describe('the accelerator boot check', () => {
  it('recognises a kernel that boots (TCG), and the lab reports which accelerator it chose and why', async () => {
    const { image, accel } = await labSetup();
    const check = await bootCheck(run, image, 'tcg', 120_000);
    measured('tcg_kernel_to_panic_ms', check.ms);
    expect(check).toMatchObject({ passed: true, detail: expect.stringMatching(/root-mount panic/) });
    measured('accelerator_choice', `${accel.accel} (${accel.reason})`);
    expect(['kvm', 'tcg']).toContain(accel.accel);
    expect(accel.reason).not.toBe('');
  });
});
