/**
 * Which accelerator the lab's VMs use. /dev/kvm existing proves nothing: on this project's machines it is
 * served by kvm_pvm, a software hypervisor that cannot run a stock Debian kernel (it never gets through the
 * decompressor). So KVM is used only when a quick boot check passes: the image's kernel, booted under KVM with
 * no root disk, must reach its "cannot mount root" panic within the time limit. Otherwise TCG. The result is
 * cached per image, host kernel and QEMU version; LAB_ACCEL=kvm|tcg overrides it.
 */
import { constants, existsSync, promises as fs, readFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Runner } from '../../common/shell';
import type { LabImage } from './image-cache';
import type { Accel } from './qemu-args';

export const QEMU = 'qemu-system-x86_64';
const CHECK_TIMEOUT_MS = 20_000;

export interface AccelChoice {
  accel: Accel;
  reason: string;
  /** How long the boot check took; absent when no check ran. */
  checkMs?: number;
  /** The check's result came from the cache. */
  cached: boolean;
}

export interface BootCheck {
  passed: boolean;
  ms: number;
  detail: string;
}

/** Boots the image's kernel without a root disk under `accel` and waits for its panic (QEMU exits, -no-reboot). */
export async function bootCheck(
  run: Runner,
  image: LabImage,
  accel: Accel,
  timeoutMs = CHECK_TIMEOUT_MS,
): Promise<BootCheck> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'lab-accel-'));
  const serial = path.join(dir, 'serial.log');
  try {
    const r = await run(
      QEMU,
      [
        '-machine',
        'pc',
        ...(accel === 'kvm'
          ? ['-accel', 'kvm', '-cpu', 'host']
          : ['-accel', 'tcg,tb-size=64', '-cpu', 'qemu64']),
        '-m',
        '256',
        '-nodefaults',
        '-no-user-config',
        '-display',
        'none',
        '-no-reboot',
        '-kernel',
        image.kernel,
        '-append',
        'console=ttyS0 panic=-1 quiet',
        '-serial',
        `file:${serial}`,
      ],
      { timeoutMs },
    );
    const log = existsSync(serial) ? readFileSync(serial, 'utf8') : '';
    const panicked = /Kernel panic/.test(log);
    if (r.timedOut)
      return {
        passed: false,
        ms: r.durationMs,
        detail: `the kernel did not finish booting within ${timeoutMs} ms`,
      };
    if (!panicked)
      return {
        passed: false,
        ms: r.durationMs,
        detail: `QEMU exited ${r.exitCode ?? r.signal} before the kernel finished booting: ${r.stderr.trim().split('\n').slice(-3).join(' ')}`,
      };
    return {
      passed: true,
      ms: r.durationMs,
      detail: `kernel booted to its root-mount panic in ${r.durationMs} ms`,
    };
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

async function kvmUsable(): Promise<string | null> {
  try {
    await fs.access('/dev/kvm', constants.R_OK | constants.W_OK);
    return null;
  } catch (e) {
    return `/dev/kvm is not usable (${(e as NodeJS.ErrnoException).code})`;
  }
}

interface CachedCheck {
  hostKernel: string;
  qemuVersion: string;
  choice: AccelChoice;
}

export async function chooseAccel(options: {
  run: Runner;
  image: LabImage;
  cacheDir: string;
  env?: NodeJS.ProcessEnv;
}): Promise<AccelChoice> {
  const env = options.env ?? process.env;
  const forced = env.LAB_ACCEL;
  if (forced === 'kvm' || forced === 'tcg')
    return { accel: forced, reason: `LAB_ACCEL=${forced}`, cached: false };
  if (forced) throw new Error(`LAB_ACCEL must be kvm or tcg, not ${JSON.stringify(forced)}`);
  const unusable = await kvmUsable();
  if (unusable) return { accel: 'tcg', reason: unusable, cached: false };

  const version = await options.run(QEMU, ['--version'], { timeoutMs: 10_000 });
  const qemuVersion = version.stdout.split('\n')[0] ?? '';
  const hostKernel = os.release();
  const cacheFile = path.join(options.cacheDir, `accel-check-${options.image.key}.json`);
  try {
    const cached = JSON.parse(readFileSync(cacheFile, 'utf8')) as CachedCheck;
    if (cached.hostKernel === hostKernel && cached.qemuVersion === qemuVersion)
      return { ...cached.choice, cached: true };
  } catch {
    // no cached result yet
  }
  const check = await bootCheck(options.run, options.image, 'kvm');
  const choice: AccelChoice = check.passed
    ? { accel: 'kvm', reason: `KVM boot check passed: ${check.detail}`, checkMs: check.ms, cached: false }
    : { accel: 'tcg', reason: `KVM boot check failed: ${check.detail}`, checkMs: check.ms, cached: false };
  const record: CachedCheck = { hostKernel, qemuVersion, choice };
  await fs.writeFile(cacheFile, `${JSON.stringify(record, null, 2)}\n`);
  return choice;
}
