/**
 * The asynchronous half of QEMU guests (backend `qemu`): making the VM (lab/qemu), launching its QEMU for
 * `qm start`, pressing its power button or asking its guest agent for `qm shutdown`, and stopping it by force
 * for `qm stop`. Everything else (its state, hibernation, events) follows its QEMU process in power.ts.
 *
 * Loaded only for QEMU guests: it pulls in the VM library and the shell seam, which the emulated tools
 * otherwise do without.
 */
import { existsSync, mkdirSync, symlinkSync, unlinkSync } from 'fs';
import * as path from 'path';
import { createRunner } from '../../common/shell';
import { errorMessage } from '../../common/errors';
import { chooseAccel } from '../qemu/accel';
import { cacheDirFrom, ensureImage } from '../qemu/image-cache';
import { QmpClient } from '../qemu/qmp';
import { runFile } from '../qemu/qemu-args';
import { swapState } from '../qemu/swap-signature';
import { Vm } from '../qemu/vm';
import {
  expectQemuStop,
  markQemuStarted,
  materialize,
  qgaSocketOf,
  stopGuest,
  type PowerResult,
} from './power';
import { QgaProxyError, qga } from './qga-proxy';
import { logEvent, paths, type LabGuest } from './state';

export interface QemuGuestOptions {
  /** Guest RAM (lab/qemu/vm.ts MEMORY_MIB: 512–1024). */
  memoryMiB?: number;
  /** Host folder for the lab data disk (its `start` runs in the guest; lab/README.md). */
  dataDir?: string;
}

const run = () =>
  createRunner({
    timeoutMs: 60_000,
    env: { ...process.env, PATH: `${process.env.PATH ?? ''}:/usr/sbin:/sbin`, LC_ALL: 'C' },
  });

function qemuRunDir(dir: string, id: number): string {
  return path.join(dir, 'vm', String(id));
}

/**
 * Makes the VM of guest `id` (fresh overlays over the cached image, its data disk) and points the lab's
 * agent socket `<lab>/qemu-server/<id>.qga` at the VM's own, as Proxmox's /var/run/qemu-server does.
 */
export async function createQemuVm(dir: string, id: number, options: QemuGuestOptions): Promise<string> {
  const runner = run();
  const { image } = await ensureImage();
  const accel = await chooseAccel({ run: runner, image, cacheDir: cacheDirFrom() });
  const runDir = qemuRunDir(dir, id);
  mkdirSync(path.dirname(runDir), { recursive: true });
  await Vm.create({
    name: `vm${id}`,
    runDir,
    image,
    accel,
    run: runner,
    memoryMiB: options.memoryMiB,
    dataDir: options.dataDir,
  });
  const link = qgaSocketOf(dir, id);
  if (existsSync(link)) unlinkSync(link);
  symlinkSync(runFile(runDir, 'qga'), link);
  return runDir;
}

export function openVm(g: LabGuest): Vm {
  if (!g.qemu) throw new Error(`lab: guest ${g.id} is not a QEMU guest`);
  return Vm.open(g.qemu.runDir, run());
}

/** `qm start`: launches QEMU on the guest's disks (a resume when it hibernated itself). */
export async function launchQemu(dir: string, g: LabGuest, how: string): Promise<PowerResult> {
  const vm = openVm(g);
  if (vm.status() === 'running') {
    markQemuStarted(dir, g.id, how, false);
    return { ok: false, message: `VM ${g.id} already running` };
  }
  const resumed = swapState(runFile(vm.runDir, 'swap')) === 'hibernation-image';
  try {
    await vm.launch();
  } catch (e) {
    logEvent(dir, g.id, 'start-failed', how);
    return { ok: false, message: `start failed: ${errorMessage(e)}` };
  }
  markQemuStarted(dir, g.id, how, resumed);
  return { ok: true };
}

/**
 * A graceful shutdown request as qemu-server sends it: guest-shutdown when the guest agent is configured and
 * answers a ping within 3 s, else the ACPI power button (QMP system_powerdown).
 */
export async function requestQemuShutdown(dir: string, g: LabGuest): Promise<void> {
  if (g.agent && g.qga) {
    try {
      await qga(g.qga, 'guest-ping', undefined, 3000);
      logEvent(dir, g.id, 'shutdown-requested', 'guest agent');
      await qga(g.qga, 'guest-shutdown', { mode: 'powerdown' }, 5000).catch((e: unknown) => {
        if (!(e instanceof QgaProxyError)) throw e;
      });
      return;
    } catch {
      // no answering agent: the power button
    }
  }
  logEvent(dir, g.id, 'shutdown-requested', 'ACPI');
  const qmp = await QmpClient.connect(runFile(openVm(g).runDir, 'qmp'), 5000);
  try {
    await qmp.execute('system_powerdown', undefined, 5000);
  } finally {
    qmp.close();
  }
}

/** `qm stop` / a forced stop: QEMU is ended (SIGTERM, then SIGKILL) and the guest is stopped. */
export async function stopQemu(dir: string, g: LabGuest): Promise<void> {
  expectQemuStop(dir, g.id);
  await openVm(g).kill();
  stopGuest(dir, g.id);
}

/** Ends the QEMU of every QEMU guest of the lab (cleanup). */
export async function killAllQemu(dir: string, guests: LabGuest[]): Promise<void> {
  for (const g of guests) {
    if (g.backend !== 'qemu' || !g.qemu || !existsSync(paths(dir).guest(g.id))) continue;
    await Vm.open(g.qemu.runDir, run())
      .kill()
      .catch(() => undefined);
    materialize(dir, g.id);
  }
}
