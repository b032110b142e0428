/**
 * VM process handling without booting a guest: a real QEMU with no machine (-machine none) stands in for a
 * lab VM, started with that VM's pidfile and QMP socket. Covers QMP, the pidfile identity check, the refusal
 * to start over a running VM, and forced stop by PID.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { createRunner } from '../../../common/shell';
import type { LabImage } from '../../../lab/qemu/image-cache';
import { ProtocolReplyError } from '../../../lab/qemu/json-lines';
import { isAlive } from '../../../lab/qemu/process';
import { runFile } from '../../../lab/qemu/qemu-args';
import { QmpClient } from '../../../lab/qemu/qmp';
import { runningPid, Vm } from '../../../lab/qemu/vm';

const run = createRunner({
  timeoutMs: 30_000,
  env: { ...process.env, PATH: `${process.env.PATH}:/usr/sbin:/sbin` },
});
let dir: string;
let image: LabImage;

/** A daemonized QEMU that only runs a monitor, using `runDir`'s pidfile and QMP socket. */
async function standIn(runDir: string, extra: string[] = []): Promise<number> {
  const r = await run('qemu-system-x86_64', [
    '-machine',
    'none',
    '-accel',
    'tcg',
    '-nodefaults',
    '-display',
    'none',
    '-qmp',
    `unix:${runFile(runDir, 'qmp')},server=on,wait=off`,
    '-pidfile',
    runFile(runDir, 'pid'),
    '-daemonize',
    ...extra,
  ]);
  expect(r.exitCode).toBe(0);
  const pid = runningPid(runDir);
  if (pid === null) throw new Error('stand-in QEMU did not start');
  return pid;
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'lab-vm-'));
  const root = path.join(dir, 'root.raw');
  const swap = path.join(dir, 'swap.raw');
  for (const f of [root, swap]) writeFileSync(f, Buffer.alloc(1024 * 1024));
  image = {
    key: '0123456789abcdef',
    dir,
    kernel: path.join(dir, 'vmlinuz'),
    initrd: path.join(dir, 'initrd.img'),
    root,
    swap,
    manifest: {} as LabImage['manifest'],
  };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const accel = { accel: 'tcg' as const, reason: 'test', cached: false };

describe('QmpClient on a real QEMU', () => {
  it('negotiates, runs commands, reports errors, waits for events and sees QEMU quit', async () => {
    const runDir = path.join(dir, 'qmp');
    const vm = await Vm.create({ name: 'qmp', runDir, image, accel, run });
    const pid = await standIn(runDir, ['-S']);
    const qmp = await QmpClient.connect(runFile(runDir, 'qmp'), 5000);
    try {
      expect(await qmp.execute('query-status')).toMatchObject({ status: 'prelaunch', running: false });
      expect(await qmp.execute('query-kvm')).toEqual({ enabled: false, present: expect.any(Boolean) });
      await expect(qmp.execute('no-such-command')).rejects.toBeInstanceOf(ProtocolReplyError);
      await qmp.execute('cont');
      await expect(qmp.waitForEvent((e) => e.event === 'RESUME', 5000, 'RESUME')).resolves.toMatchObject({
        event: 'RESUME',
      });
      await expect(qmp.waitForEvent((e) => e.event === 'NEVER', 50, 'NEVER')).rejects.toThrow(
        'no QMP event NEVER within 50 ms',
      );
      await qmp.execute('quit');
      await expect(qmp.waitForClose(5000)).resolves.toBe(true);
      await expect(qmp.execute('query-status')).rejects.toThrow(/closed/);
    } finally {
      qmp.close();
      await vm.teardown();
    }
    expect(isAlive(pid)).toBe(false);
  });
});

describe('a lab VM known by its run folder', () => {
  it('has fresh overlays over the cached images, a data disk and its spec on creation', async () => {
    const vm = await Vm.create({
      name: 'spec',
      runDir: path.join(dir, 'spec'),
      image,
      accel,
      memoryMiB: 768,
      run,
    });
    try {
      for (const file of ['root', 'swap', 'data', 'spec'] as const)
        expect(existsSync(runFile(vm.runDir, file))).toBe(true);
      const info = await run('qemu-img', ['info', '--output=json', runFile(vm.runDir, 'root')]);
      expect(JSON.parse(info.stdout)).toMatchObject({ format: 'qcow2', 'backing-filename': image.root });
      expect(Vm.open(vm.runDir).record).toMatchObject({
        name: 'spec',
        memoryMiB: 768,
        accel: 'tcg',
        imageKey: image.key,
      });
      expect(vm.status()).toBe('stopped');
    } finally {
      await vm.teardown();
    }
    expect(existsSync(path.join(dir, 'spec'))).toBe(false);
  });

  it('refuses bad names, memory sizes and run folders', async () => {
    const base = { image, accel, run };
    await expect(Vm.create({ ...base, name: 'Bad,Name', runDir: path.join(dir, 'b') })).rejects.toThrow(
      /VM name/,
    );
    await expect(
      Vm.create({ ...base, name: 'm', runDir: path.join(dir, 'm'), memoryMiB: 2048 }),
    ).rejects.toThrow(/memoryMiB must be an integer from 512 to 1024/);
    await expect(Vm.create({ ...base, name: 'c', runDir: path.join(dir, 'a,b') })).rejects.toThrow(/comma/);
    await expect(Vm.create({ ...base, name: 'l', runDir: path.join(dir, 'x'.repeat(100)) })).rejects.toThrow(
      /too long for unix socket paths/,
    );
  });

  it('is running only while its pidfile names a live QEMU started with that pidfile', async () => {
    const vm = await Vm.create({ name: 'pid', runDir: path.join(dir, 'pid'), image, accel, run });
    try {
      writeFileSync(runFile(vm.runDir, 'pid'), `${process.pid}\n`);
      expect(vm.status()).toBe('stopped');
      writeFileSync(runFile(vm.runDir, 'pid'), 'garbage\n');
      expect(vm.status()).toBe('stopped');
      const pid = await standIn(vm.runDir);
      expect(vm.pid).toBe(pid);
      expect(vm.status()).toBe('running');
      expect(vm.rssBytes()).toBeGreaterThan(0);
    } finally {
      await vm.teardown();
    }
  });

  it('refuses to start or be re-created while its QEMU runs, and a forced stop ends it by PID', async () => {
    const vm = await Vm.create({ name: 'busy', runDir: path.join(dir, 'busy'), image, accel, run });
    const pid = await standIn(vm.runDir);
    try {
      await expect(vm.launch()).rejects.toThrow(`VM busy is already running (QEMU PID ${pid})`);
      await expect(Vm.create({ name: 'busy', runDir: vm.runDir, image, accel, run })).rejects.toThrow(
        /is running \(QEMU PID \d+\); stop it first/,
      );
      await vm.kill({ graceMs: 5000 });
      expect(isAlive(pid)).toBe(false);
      expect(vm.status()).toBe('stopped');
    } finally {
      await vm.teardown();
    }
  });
});
