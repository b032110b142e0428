import { qemuArgs } from '../../../lab/qemu/qemu-args';

const spec = {
  name: 'web',
  accel: 'tcg' as const,
  memoryMiB: 512,
  kernel: '/cache/vmlinuz',
  initrd: '/cache/initrd.img',
  append: 'root=/dev/vda rw console=ttyS0 resume=/dev/vdb quiet',
  runDir: '/run/lab/web',
};

const after = (args: string[], flag: string) => args[args.indexOf(flag) + 1];

describe('the QEMU command line of a lab VM', () => {
  it('uses TCG with a 64 MiB translation cache and qemu64 unless KVM was chosen', () => {
    const tcg = qemuArgs(spec);
    expect(after(tcg, '-accel')).toBe('tcg,tb-size=64');
    expect(after(tcg, '-cpu')).toBe('qemu64');
    const kvm = qemuArgs({ ...spec, accel: 'kvm' });
    expect(after(kvm, '-accel')).toBe('kvm');
    expect(after(kvm, '-cpu')).toBe('host');
  });

  it('boots the kernel directly with the given command line and never reboots', () => {
    const args = qemuArgs(spec);
    expect(after(args, '-kernel')).toBe('/cache/vmlinuz');
    expect(after(args, '-initrd')).toBe('/cache/initrd.img');
    expect(after(args, '-append')).toBe(spec.append);
    expect(args).toContain('-no-reboot');
    expect(after(args, '-m')).toBe('512');
    expect(after(args, '-smp')).toBe('1');
  });

  it('attaches root, swap and the read-only data disk in that order (vda, vdb, vdc)', () => {
    const args = qemuArgs(spec);
    const drives = args.filter((_, i) => args[i - 1] === '-drive');
    expect(drives).toEqual([
      'file=/run/lab/web/root.qcow2,if=virtio,format=qcow2',
      'file=/run/lab/web/swap.qcow2,if=virtio,format=qcow2',
      'file=/run/lab/web/data.img,if=virtio,format=raw,readonly=on',
    ]);
  });

  it('gives the agent port an id (QMP only reports VSERPORT_CHANGE for ports with one) and daemonizes with a pidfile', () => {
    const args = qemuArgs(spec);
    expect(args).toContain('virtserialport,bus=vser0.0,chardev=qga0,name=org.qemu.guest_agent.0,id=qga0port');
    expect(args).toContain('socket,id=qga0,path=/run/lab/web/qga.sock,server=on,wait=off');
    expect(after(args, '-qmp')).toBe('unix:/run/lab/web/qmp.sock,server=on,wait=off');
    expect(after(args, '-pidfile')).toBe('/run/lab/web/qemu.pid');
    expect(args[args.length - 1]).toBe('-daemonize');
  });
});
