/**
 * Host-side checks, on the shared signal model (common/check): one check = one file exporting a factory;
 * `run` only measures. Host checks look at the host itself; guest checks at one guest each, and say how the
 * policy counts them (their role). The runner turns a throw or a timeout into `unknown`, an
 * UnavailableError into `unavailable`. Unknown host checks never keep the host awake (the previous
 * release's rule), but they are shown and logged.
 */
import type { Check, CheckContext } from '../../common/check';
import type { GuestEvidence, SignalRole } from '../policy';
import type { GuestInfo } from '../proxmox/types';

export interface HostCheckContext extends CheckContext {
  /** How long the check may take (commands it starts get this as their timeout). */
  timeoutMs: number;
}

export type HostCheck = Check<never, HostCheckContext>;

export interface GuestCheckContext extends HostCheckContext {
  /** The guest as Proxmox listed it this cycle (power, uptime, CPU); undefined when it was not listed. */
  info: GuestInfo | undefined;
  /** A value read once per cycle for every guest that asks for it (the host's GPU, shared by containers). */
  shared<T>(key: string, read: () => Promise<T>): Promise<T>;
}

export interface GuestCheck extends Check<GuestEvidence, GuestCheckContext> {
  readonly role: SignalRole;
  /** How the policy counts `unknown` (default idle). */
  readonly unknownIs?: 'active' | 'idle';
  /** `agent-unreadable`: read only while the agent's document cannot be read (it costs a command in the guest). */
  readonly readWhen?: 'always' | 'agent-unreadable';
}
