/**
 * Where `tick` hands over once sleep is due. The sleep sequence (hibernate or shut down guests, suspend the
 * host, resume after wake) implements `SleepSequence`; until it is wired in, `reportOnlySequence` is used:
 * it logs that sleep is due and leaves the host and every guest as they are.
 */
import type { Clock } from '../../common/clock';
import type { Logger } from '../../common/log';
import type { Runner } from '../../common/shell';
import type { HostConfig } from '../config';
import type { Verdict } from '../policy';
import type { GuestAgent, Proxmox } from '../proxmox/types';
import type { MonitorStateStore } from '../state';

export interface SleepRequest {
  verdict: Verdict;
  /** Host time (ms) at which the verdict was reached. */
  now: number;
  dryRun: boolean;
}

export interface SleepOutcome {
  /** True only when the host actually suspended (and has woken since). */
  slept: boolean;
  detail: string;
}

export interface SleepSequence {
  readonly name: string;
  run(request: SleepRequest): Promise<SleepOutcome>;
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
}

export type SequenceFactory = (deps: SequenceDeps) => SleepSequence;

export const REPORT_ONLY_DETAIL =
  'this version only reports it: the host and its guests are left as they are';

export function reportOnlySequence({ log }: Pick<SequenceDeps, 'log'>): SleepSequence {
  return {
    name: 'report-only',
    async run() {
      log.event('info', { kind: 'sleep', phase: 'due', detail: REPORT_ONLY_DETAIL });
      return { slept: false, detail: REPORT_ONLY_DETAIL };
    },
  };
}
