/** Everything the sequence works with, built once by the wiring (the composition root) and handed down. */
import type { Clock } from '../../common/clock';
import type { Logger } from '../../common/log';
import type { Runner } from '../../common/shell';
import { KIND_LABEL, type GlobalConfig, type GuestKind, type HostConfig } from '../config';
import type { GuestAgent, Proxmox } from '../proxmox/types';
import type { MonitorStateStore, RunRecord, RunRecordStore, SleepRecordStore } from '../state';
import type { GuestChannels, OsCache } from '../guest';
import type { Progress } from './progress';
import type { SystemProbe } from './system';

export interface SequenceContext {
  config: HostConfig;
  log: Logger;
  proxmox: Proxmox;
  /** The QEMU guest agent, for guest-ping, guest-suspend-disk and the clock sync. */
  agent: GuestAgent;
  /** Each guest's channel, for its agent's commands (hibernate, notify). */
  channels: GuestChannels;
  run: Runner;
  clock: Clock;
  store: MonitorStateStore;
  records: SleepRecordStore;
  runs: RunRecordStore;
  system: SystemProbe;
  progress: Progress;
  osCache: OsCache;
}

/** Error texts of commands span lines (the command, then its stderr); reports and log lines want one. */
export function oneLine(text: string): string {
  return text.replace(/\s*\n+\s*/g, ' ').trim();
}

export function guestLabel(kind: GuestKind, id: number, name: string): string {
  return `${KIND_LABEL[kind]} ${id} (${name})`;
}

/** How long each kind of Proxmox call may take, from PROXMOX_TIMEOUT. */
export function callTimeouts(global: GlobalConfig) {
  const callMs = global.proxmoxTimeout * 1000;
  return {
    callMs,
    /** `qm shutdown --timeout N` blocks for up to N seconds itself. */
    shutdownMs: (timeoutS: number) => timeoutS * 1000 + 2 * callMs,
    stopMs: 4 * callMs,
    startMs: 8 * callMs,
    /** An agent command: the agent's CLI starts, answers, and hands the action to the OS. */
    agentMs: Math.max(callMs, 10000),
    /** How long a stop reported by Proxmox gets to show in the readings. */
    confirmS: Math.max(1, global.proxmoxTimeout),
  };
}

/** Changes to the run record, written (atomically, fsync) in the order they were made. */
export class RunTracker {
  private queue: Promise<void> = Promise.resolve();
  constructor(
    private readonly runs: RunRecordStore,
    readonly record: RunRecord,
    private readonly clock: Clock,
  ) {}

  update(change: (record: RunRecord) => void): Promise<void> {
    const next = this.queue.then(async () => {
      change(this.record);
      this.record.updatedAt = this.clock.now();
      await this.runs.save(this.record);
    });
    this.queue = next.catch(() => undefined);
    return next;
  }
}
