/**
 * Shared setup for end-to-end suites on QEMU guests: the cached image, the chosen accelerator, a VM in its
 * own short-pathed run folder (unix socket paths are limited to 107 bytes), and one line per measurement so a
 * run's log doubles as a timing record. Never more than two guests at once on this 2-core machine: suites
 * run in band and each boots one VM at a time.
 */
import { appendFileSync, mkdtempSync, rmSync } from 'fs';
import * as path from 'path';
import { createRunner } from '../../../common/shell';
import { type AccelChoice, chooseAccel } from '../../../lab/qemu/accel';
import { cacheDirFrom, type EnsuredImage, ensureImage, type LabImage } from '../../../lab/qemu/image-cache';
import type { ExecResult } from '../../../lab/qemu/qga';
import { type CreateOptions, Vm } from '../../../lab/qemu/vm';

export const run = createRunner({
  timeoutMs: 60_000,
  env: { ...process.env, PATH: `${process.env.PATH ?? ''}:/usr/sbin:/sbin` },
});

export async function labSetup(
  progress: (line: string) => void = () => undefined,
): Promise<EnsuredImage & { accel: AccelChoice }> {
  const ensured = await ensureImage({ progress });
  const accel = await chooseAccel({ run, image: ensured.image, cacheDir: cacheDirFrom() });
  return { ...ensured, accel };
}

export interface Guest {
  vm: Vm;
  image: LabImage;
  accel: AccelChoice;
  /** Stops the VM and removes its run folder. */
  dispose(): Promise<void>;
}

/** A VM (not booted yet) with fresh overlays, in a run folder removed by dispose(). */
export async function createGuest(
  name: string,
  options: Partial<Pick<CreateOptions, 'memoryMiB' | 'dataDir'>> = {},
): Promise<Guest> {
  const { image, accel } = await labSetup();
  const base = mkdtempSync('/tmp/lab-e2e-');
  const vm = await Vm.create({ name, runDir: path.join(base, name), image, accel, run, ...options });
  return {
    vm,
    image,
    accel,
    dispose: async () => {
      await vm.teardown();
      rmSync(base, { recursive: true, force: true });
    },
  };
}

/** Prints `[e2e] name=value` and, when LAB_E2E_METRICS names a file, appends it there as a JSON line. */
export function measured(name: string, value: number | string, unit = ''): void {
  process.stdout.write(`[e2e] ${name}=${value}${unit}\n`);
  if (process.env.LAB_E2E_METRICS)
    appendFileSync(
      process.env.LAB_E2E_METRICS,
      `${JSON.stringify({ name, value, unit, at: new Date().toISOString() })}\n`,
    );
}

/** `sh -c script` in the guest; fails the test with the guest's stderr when it exits non-zero. */
export async function guestSh(vm: Vm, script: string, timeoutMs = 30_000): Promise<ExecResult> {
  const r = await vm.exec('/bin/sh', ['-c', script], { timeoutMs });
  if (r.exitCode !== 0)
    throw new Error(`guest command failed (${r.exitCode ?? `signal ${r.signal}`}): ${script}\n${r.stderr}`);
  return r;
}

/** Polls `read` until it returns a value (not undefined) or `timeoutMs` passes. */
export async function eventually<T>(
  what: string,
  read: () => Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await read();
      if (value !== undefined) return value;
    } catch (e) {
      last = e;
    }
    if (Date.now() >= deadline)
      throw new Error(
        `${what}: not within ${timeoutMs} ms${last ? ` (last error: ${(last as Error).message})` : ''}`,
      );
    await new Promise((r) => setTimeout(r, 500));
  }
}
