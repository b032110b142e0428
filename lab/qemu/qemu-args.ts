/**
 * The QEMU command line of a lab VM, as a pure function of its launch spec. Measured choices
 * (../../../shared/reference/qemu-lab.md in the design notes): TCG with a 64 MiB translation cache halves the
 * RSS at the same speed; -cpu qemu64 boots fastest under TCG; the bzImage is booted with -kernel/-initrd (a PVH
 * boot breaks S3 wake-up); the virtserialport has an id so QMP reports VSERPORT_CHANGE for it.
 */
import * as path from 'path';

export type Accel = 'kvm' | 'tcg';

export const RUN_FILES = {
  spec: 'vm.json',
  root: 'root.qcow2',
  swap: 'swap.qcow2',
  data: 'data.img',
  qmp: 'qmp.sock',
  qga: 'qga.sock',
  serialSocket: 'serial.sock',
  serialLog: 'serial.log',
  pid: 'qemu.pid',
} as const;

/** The chardev's QMP device id: VSERPORT_CHANGE events name it. */
export const QGA_PORT_ID = 'qga0port';
export const QGA_CHARDEV_ID = 'qga0';

export interface LaunchSpec {
  name: string;
  accel: Accel;
  memoryMiB: number;
  kernel: string;
  initrd: string;
  append: string;
  /** Absolute; QEMU daemonizes and changes to /. */
  runDir: string;
}

export function runFile(runDir: string, file: keyof typeof RUN_FILES): string {
  return path.join(runDir, RUN_FILES[file]);
}

export function qemuArgs(spec: LaunchSpec): string[] {
  const f = (file: keyof typeof RUN_FILES) => runFile(spec.runDir, file);
  return [
    '-name',
    `${spec.name},process=lab-${spec.name}`,
    '-machine',
    'pc',
    ...(spec.accel === 'kvm'
      ? ['-accel', 'kvm', '-cpu', 'host']
      : ['-accel', 'tcg,tb-size=64', '-cpu', 'qemu64']),
    '-m',
    String(spec.memoryMiB),
    '-smp',
    '1',
    '-nodefaults',
    '-no-user-config',
    '-display',
    'none',
    '-no-reboot',
    '-kernel',
    spec.kernel,
    '-initrd',
    spec.initrd,
    '-append',
    spec.append,
    '-drive',
    `file=${f('root')},if=virtio,format=qcow2`,
    '-drive',
    `file=${f('swap')},if=virtio,format=qcow2`,
    '-drive',
    `file=${f('data')},if=virtio,format=raw,readonly=on`,
    '-chardev',
    `socket,id=ser0,path=${f('serialSocket')},server=on,wait=off,logfile=${f('serialLog')},logappend=on`,
    '-serial',
    'chardev:ser0',
    '-qmp',
    `unix:${f('qmp')},server=on,wait=off`,
    '-device',
    'virtio-serial-pci,id=vser0',
    '-chardev',
    `socket,id=${QGA_CHARDEV_ID},path=${f('qga')},server=on,wait=off`,
    '-device',
    `virtserialport,bus=vser0.0,chardev=${QGA_CHARDEV_ID},name=org.qemu.guest_agent.0,id=${QGA_PORT_ID}`,
    '-pidfile',
    f('pid'),
    '-daemonize',
  ];
}
