/**
 * Watching a guest's power state. A guest counts as stopped only after several consecutive "stopped"
 * readings from Proxmox AND, for a VM, no QEMU process left with that exact `-id` (1.x rule 33: a VM whose
 * status already says stopped may still be writing its last pages). Every wait is bounded and uses the
 * injected clock.
 */
import { sleep, type Clock } from '../../common/clock';
import type { ProcessEntry } from '../checks/process-table';
import type { GuestRef, Proxmox } from '../proxmox/types';
import type { Power } from './plan';
import type { Progress } from './progress';
import type { SequenceContext } from './context';

/** Consecutive stopped readings that confirm a stop (1.x: 3 polls). */
export const STOPPED_READINGS = 3;

export interface WatchDeps {
  proxmox: Proxmox;
  clock: Clock;
  processes: () => Promise<ProcessEntry[]>;
  progress: Progress;
}

/** What the power watches of a sequence run need, taken from its context. */
export function watchDepsOf(
  ctx: Pick<SequenceContext, 'proxmox' | 'clock' | 'system' | 'progress'>,
): WatchDeps {
  return {
    proxmox: ctx.proxmox,
    clock: ctx.clock,
    processes: () => ctx.system.processes(),
    progress: ctx.progress,
  };
}

/** 1.x polls every 5 s; shorter timeouts poll more often, so at least 20 readings fit in one. */
export function pollMsFor(timeoutS: number): number {
  return Math.max(100, Math.min(5000, Math.floor((timeoutS * 1000) / 20)));
}

export async function readPower(proxmox: Proxmox, ref: GuestRef): Promise<Power> {
  try {
    const info = await proxmox.status(ref);
    return info.power === 'running' ? 'running' : 'stopped';
  } catch {
    return 'unknown';
  }
}

/** A QEMU/KVM process of exactly this VM (`-id 100` must not match `-id 1001`), as `pgrep -f` would see it. */
export function qemuProcessOf(table: readonly ProcessEntry[], vmid: number): ProcessEntry | null {
  const pattern = new RegExp(`(qemu|kvm).*\\s-id ${vmid}(\\s|$)`);
  return table.find((p) => pattern.test(p.commandLine)) ?? null;
}

export interface StopWatch {
  stopped: boolean;
  /** The last reading, and whether a QEMU process was still there. */
  last: Power;
  lingering: boolean;
}

/** Waits until the guest is confirmed stopped or `timeoutS` has passed. */
export async function waitForStop(
  ref: GuestRef,
  subject: string,
  what: string,
  timeoutS: number,
  deps: WatchDeps,
): Promise<StopWatch> {
  const deadline = deps.clock.now() + timeoutS * 1000;
  const poll = pollMsFor(timeoutS);
  const done = deps.progress.wait(subject, what, deadline);
  let consecutive = 0;
  try {
    for (;;) {
      const last: Power = await readPower(deps.proxmox, ref);
      let lingering = false;
      if (last === 'stopped' && ref.kind === 'vm') {
        const table = await deps.processes().catch(() => [] as ProcessEntry[]);
        lingering = qemuProcessOf(table, ref.id) !== null;
      }
      consecutive = last === 'stopped' && !lingering ? consecutive + 1 : 0;
      if (consecutive >= STOPPED_READINGS) return { stopped: true, last, lingering };
      const left = deadline - deps.clock.now();
      if (left <= 0) return { stopped: false, last, lingering };
      await sleep(deps.clock, Math.min(poll, left));
    }
  } finally {
    done();
  }
}
