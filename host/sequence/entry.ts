/**
 * Where `tick` hands over once sleep is due: the `SleepSequence` interface and what the wiring gives it.
 * The implementation is `createSleepSequence` (sleep-sequence.ts): pre-sleep warning, pre-sleep, suspend,
 * post-wake.
 */
import type { Clock } from '../../common/clock';
import type { Logger } from '../../common/log';
import type { Runner } from '../../common/shell';
import type { HostConfig } from '../config';
import type { Verdict } from '../policy';
import type { GuestAgent, Proxmox } from '../proxmox/types';
import type { MonitorStateStore } from '../state';
import type { OsCache } from '../transport';
import type { Progress } from './progress';
import type { SystemProbe } from './system';

export interface SleepRequest {
  verdict: Verdict;
  /** Host time (ms) at which the verdict was reached. */
  now: number;
  dryRun: boolean;
  /** Evaluates again (after the pre-sleep warning) and saves the timers: is sleep still due? */
  recheck?: () => Promise<{ sleepDue: boolean; reasons: string[] }>;
}

export interface SleepOutcome {
  /** True only when the host actually suspended (and has woken since). */
  slept: boolean;
  detail: string;
}

export interface SleepSequence {
  readonly name: string;
  run(request: SleepRequest): Promise<SleepOutcome>;
  /** Before each tick: finishes a sequence that was interrupted; says what it did, or null. */
  recover?(): Promise<string | null>;
}

/** What the wiring hands to the sequence when it builds it. */
export interface SequenceDeps {
  config: HostConfig;
  log: Logger;
  proxmox: Proxmox;
  agent: GuestAgent;
  run: Runner;
  clock: Clock;
  store: MonitorStateStore;
  osCache?: OsCache;
  progress?: Progress;
  system?: SystemProbe;
}

export type SequenceFactory = (deps: SequenceDeps) => SleepSequence;
