/**
 * The guest's own status document (protocol v1), read through its TRANSPORT and validated. A usable
 * document reports the guest's reasons, minus those this guest's configuration ignores (`power_request`
 * with CHECK_POWER_REQUESTS=0, `user_input` with CHECK_USER_IDLE=0; `user_block` never); its evidence is the
 * user's block, the agent's own checks[], its seq (the heartbeat the policy watches for staleness) and its
 * idle streak. A
 * document that cannot be read or is invalid is `unknown`, TRANSPORT=none `unavailable`: then
 * ON_AGENT_MISSING decides.
 */
import type { CheckOutcome } from '../../common/check';
import { UnavailableError } from '../../common/errors';
import type { Status } from '../../protocol';
import type { GuestConfig } from '../config';
import type { GuestEvidence } from '../policy';
import type { StatusReading } from '../guest';
import type { GuestCheck } from './types';

export interface AgentStatusDeps {
  /** The guest's document, validated, or why it could not be used. */
  readStatus(timeoutMs: number): Promise<StatusReading>;
}

type Filters = Pick<GuestConfig, 'checkPowerRequests' | 'checkUserIdle'>;

const IGNORED_BY: Record<string, { key: string; counted: (f: Filters) => boolean }> = {
  power_request: { key: 'CHECK_POWER_REQUESTS', counted: (f) => f.checkPowerRequests },
  user_input: { key: 'CHECK_USER_IDLE', counted: (f) => f.checkUserIdle },
};

export function create(guest: GuestConfig, deps: AgentStatusDeps): GuestCheck {
  return {
    name: 'agent status',
    reason: 'agent_missing',
    role: 'agent',
    async run(ctx) {
      if (guest.transport === 'none') throw new UnavailableError('no agent (TRANSPORT=none)', 'agent');
      const reading = await deps.readStatus(ctx.timeoutMs);
      if (!reading.ok) {
        const item = { name: 'agent status', state: 'unknown' as const, detail: reading.why };
        return {
          state: 'unknown',
          detail: `agent status unusable (${reading.code})`,
          evidence: { items: [item] },
        };
      }
      return fromDocument(reading.status, guest);
    },
  };
}

/** What a valid document says, with the reasons this guest ignores taken out. */
export function fromDocument(status: Status, filters: Filters): CheckOutcome<GuestEvidence> {
  const counted = status.reasons.filter((r) => IGNORED_BY[r]?.counted(filters) ?? true);
  const ignored = status.reasons.filter((r) => !counted.includes(r));
  const block = status.block.active
    ? [
        {
          name: 'block',
          state: 'active' as const,
          detail: `sleep blocked by ${status.block.source ?? 'the user'}${status.block.until ? ` until ${status.block.until}` : ''}`,
        },
      ]
    : [];
  const evidence: GuestEvidence = {
    items: [...block, ...status.checks.map((c) => ({ name: c.name, state: c.state, detail: c.detail }))],
    heartbeat: status.seq,
    idleSeconds: status.idle ? status.idle_seconds : undefined,
    notes: ignored.length
      ? [
          `ignored ${ignored.join(', ')} (${ignored.map((r) => `${IGNORED_BY[r].key}=0`).join(', ')} for this guest)`,
        ]
      : [],
  };
  if (status.idle) return { state: 'idle', detail: 'agent: idle', evidence };
  if (counted.length === 0)
    return {
      state: 'idle',
      detail: `agent: active only for ignored reasons (${ignored.join(', ')})`,
      evidence,
    };
  return {
    state: 'active',
    reason: counted[0],
    reasons: counted,
    detail: `agent: ${counted.join(', ')}`,
    evidence,
  };
}
