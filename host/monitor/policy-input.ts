import { guestRef, type HostConfig } from '../config';
import type { PolicyConfig } from '../policy';

/** The slice of the configuration the policy reads (the policy applies its own rules to it). */
export function policyConfigFrom(config: HostConfig): PolicyConfig {
  const g = config.global;
  return {
    idleThresholdMinutes: g.idleThresholdMinutes,
    wakeGraceSeconds: g.wakeGracePeriod,
    agentStaleSeconds: g.agentStaleSeconds,
    checkIntervalSeconds: g.checkInterval,
    guests: config.guests.map((guest) => ({
      key: guestRef(guest.kind, guest.id),
      monitor: guest.monitor,
      idleTimeoutMinutes: guest.idleTimeout,
      onAgentMissing: guest.onAgentMissing as PolicyConfig['guests'][number]['onAgentMissing'],
    })),
  };
}
