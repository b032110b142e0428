/**
 * One guest: what it counts as this cycle, and its idle timer. No signal is named here: the guest's signals
 * count by their role. The agent's document counts while it is usable (readable, and its heartbeat moving
 * on the host's clock); when it is not, ON_AGENT_MISSING decides and the fallback signals count. Signals of
 * the role `always` count either way.
 */
import { clampAgentStreak, continueStreak, seconds, type TimerContext } from './timers';
import type {
  EvidenceItem,
  GuestMemory,
  GuestObservation,
  GuestPolicy,
  GuestSignal,
  GuestVerdict,
} from './types';

export interface GuestOutcome {
  verdict: GuestVerdict;
  memory: GuestMemory;
}

export type GuestContext = TimerContext & {
  staleSeconds: number;
  lastWake: number | null;
  resetAt: number | null;
};

const FRESH: GuestMemory = {
  idleSince: null,
  lastActiveAt: null,
  lastSeq: null,
  seqSince: null,
  agentFirstSeenAt: null,
};

/** The agent's document this cycle: usable, or what to say about it. */
type AgentView = { usable: GuestSignal } | { usable: null; part: string; why: string; item: EvidenceItem };

/** What the counted signals make of the guest. */
interface Count {
  basis: 'agent' | 'fallback';
  reasons: string[];
  parts: string[];
  evidence: EvidenceItem[];
  notes: string[];
  /** The agent's own idle streak, when its idle document decided. */
  agentIdleSeconds: number | null;
}

export function decideGuest(
  obs: GuestObservation,
  cfg: GuestPolicy,
  prev: GuestMemory | undefined,
  ctx: GuestContext,
): GuestOutcome {
  if (!cfg.monitor)
    return notCounted(obs, cfg, 'unmonitored', 'config', 'MONITOR=0: never keeps the host awake');
  if (obs.power !== 'running' && obs.power !== 'unknown')
    return notCounted(obs, cfg, 'stopped', 'power', `not running (${obs.powerDetail})`);
  const memory: GuestMemory = { ...FRESH, ...prev };
  const count = countSignals(obs, cfg, viewAgent(obs, memory, ctx));
  const base = { ...identity(obs, cfg), basis: count.basis, reasons: count.reasons };
  const verdict = {
    ...base,
    explanation: count.parts.join('; '),
    evidence: count.evidence,
    notes: count.notes,
  };
  if (count.reasons.length > 0) {
    memory.idleSince = null;
    memory.lastActiveAt = ctx.now;
    return {
      verdict: { ...verdict, state: 'active', idleForSeconds: null, sleepsInSeconds: null },
      memory,
    };
  }
  const since = idleSince(obs, memory, ctx, count.agentIdleSeconds, count.notes);
  memory.idleSince = since;
  const idleFor = seconds(ctx.now - since);
  return {
    verdict: {
      ...verdict,
      state: 'idle',
      idleForSeconds: idleFor,
      sleepsInSeconds: Math.max(0, base.timeoutSeconds - idleFor),
    },
    memory,
  };
}

function identity(obs: GuestObservation, cfg: GuestPolicy) {
  const timeoutSeconds = Math.round(cfg.idleTimeoutMinutes * 60);
  return { key: obs.key, kind: obs.kind, id: obs.id, name: obs.name, timeoutSeconds };
}

function notCounted(
  obs: GuestObservation,
  cfg: GuestPolicy,
  state: 'unmonitored' | 'stopped',
  basis: 'config' | 'power',
  explanation: string,
): GuestOutcome {
  return {
    verdict: {
      ...identity(obs, cfg),
      state,
      basis,
      reasons: [],
      explanation,
      evidence: [],
      idleForSeconds: null,
      sleepsInSeconds: null,
      notes: [],
    },
    memory: { ...FRESH },
  };
}

/**
 * The agent's document, unless it is stale by the host's clock: a heartbeat (seq) that has not moved for
 * AGENT_STALE_SECONDS. A guest whose power state is unknown is not trusted to have a current document.
 */
function viewAgent(obs: GuestObservation, memory: GuestMemory, ctx: GuestContext): AgentView {
  const signal = obs.signals.find((s) => s.role === 'agent');
  const unusable = (part: string, why: string, item?: EvidenceItem): AgentView => ({
    usable: null,
    part,
    why,
    item: item ?? { name: signal?.name ?? 'agent', state: 'unknown', detail: why },
  });
  if (obs.power === 'unknown')
    return unusable('power state unknown', `power state unknown: ${obs.powerDetail}`);
  if (!signal) return unusable('no agent', 'no agent signal was read');
  if (signal.state !== 'active' && signal.state !== 'idle') {
    const item = signal.evidence?.items?.[0] ?? itemOf(signal);
    return unusable(signal.detail, item.detail, item);
  }
  const heartbeat = signal.evidence?.heartbeat;
  if (heartbeat !== undefined) {
    const unchanged = memory.lastSeq === heartbeat && memory.seqSince !== null && memory.seqSince <= ctx.now;
    memory.seqSince = unchanged ? memory.seqSince : ctx.now;
    memory.lastSeq = heartbeat;
    const frozenFor = seconds(ctx.now - (memory.seqSince ?? ctx.now));
    if (unchanged && frozenFor >= ctx.staleSeconds)
      return unusable(
        'agent status unusable (stale)',
        `status is stale: seq ${heartbeat} has not changed for ${frozenFor} s (AGENT_STALE_SECONDS=${ctx.staleSeconds})`,
      );
  }
  if (memory.agentFirstSeenAt === null || memory.agentFirstSeenAt > ctx.now)
    memory.agentFirstSeenAt = ctx.now;
  return { usable: signal };
}

function countSignals(obs: GuestObservation, cfg: GuestPolicy, agent: AgentView): Count {
  const count: Count = {
    basis: agent.usable ? 'agent' : 'fallback',
    reasons: [],
    parts: [],
    evidence: [],
    notes: [],
    agentIdleSeconds: null,
  };
  const take = (signal: GuestSignal, explain: boolean) => {
    count.evidence.push(...itemsOf(signal));
    count.notes.push(...(signal.evidence?.notes ?? []));
    const counts = signal.state === 'active' || (signal.state === 'unknown' && signal.unknownIs === 'active');
    if (counts) for (const r of reasonsOf(signal)) addOnce(count.reasons, r);
    if (explain)
      count.parts.push(
        counts && signal.state === 'unknown' ? `${signal.detail}: counts as active` : signal.detail,
      );
  };
  if (agent.usable) {
    take(agent.usable, true);
    if (agent.usable.state === 'idle') count.agentIdleSeconds = agent.usable.evidence?.idleSeconds ?? null;
  } else {
    count.notes.push(`${agent.why}; ON_AGENT_MISSING=${cfg.onAgentMissing}`);
    count.evidence.push(agent.item);
    count.parts.push(onAgentMissing(agent.part, cfg.onAgentMissing));
    if (cfg.onAgentMissing === 'active') addOnce(count.reasons, 'agent_missing');
    for (const s of obs.signals) if (s.role === 'fallback') take(s, true);
  }
  for (const s of obs.signals) if (s.role === 'always') take(s, s.state === 'active');
  return count;
}

/** How ON_AGENT_MISSING maps an unusable document; `cpu` leaves it to the CPU fallback signal. */
function onAgentMissing(part: string, mode: GuestPolicy['onAgentMissing']): string {
  if (mode === 'active') return `${part}: counts as active (ON_AGENT_MISSING=active)`;
  if (mode === 'idle') return `${part}: counts as idle (ON_AGENT_MISSING=idle)`;
  return part;
}

/**
 * The start of the guest's idle streak: the agent's own, clamped to what the host observed, when its idle
 * document decided; else a streak the host observes itself.
 */
function idleSince(
  obs: GuestObservation,
  memory: GuestMemory,
  ctx: GuestContext,
  agentIdleSeconds: number | null,
  notes: string[],
): number {
  if (agentIdleSeconds === null) {
    const streak = continueStreak(memory.idleSince, ctx);
    if (streak.reset) notes.push(`idle timer restarted: ${streak.reset}`);
    return streak.since;
  }
  const guestStart = obs.uptimeSeconds !== null ? ctx.now - obs.uptimeSeconds * 1000 : null;
  const clamped = clampAgentStreak(ctx.now, agentIdleSeconds, [
    { label: 'the last wake', at: ctx.lastWake },
    { label: 'the last reset', at: ctx.resetAt },
    { label: 'the guest start', at: guestStart },
    { label: "the host's first reading of this agent", at: memory.agentFirstSeenAt },
    { label: 'the last time the host saw it active', at: memory.lastActiveAt },
  ]);
  if (clamped.clampedBy)
    notes.push(`agent reports ${Math.floor(agentIdleSeconds)} s idle; counted from ${clamped.clampedBy}`);
  return clamped.since;
}

const itemOf = (s: GuestSignal): EvidenceItem => ({ name: s.name, state: s.state, detail: s.detail });
const itemsOf = (s: GuestSignal): EvidenceItem[] => s.evidence?.items ?? [itemOf(s)];
const reasonsOf = (s: GuestSignal): string[] =>
  s.reasons && s.reasons.length > 0 ? s.reasons : [s.reason ?? s.checkReason];

function addOnce(list: string[], item: string): void {
  if (!list.includes(item)) list.push(item);
}
