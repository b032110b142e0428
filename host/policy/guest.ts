/** One guest: what it counts as this cycle, and its idle timer. */
import type { Status } from '../../protocol';
import { clampAgentStreak, continueStreak, seconds, type TimerContext } from './timers';
import type { GuestMemory, GuestObservation, GuestPolicy, GuestVerdict } from './types';

export interface GuestOutcome {
  verdict: GuestVerdict;
  memory: GuestMemory;
}

const FRESH: GuestMemory = {
  idleSince: null,
  lastActiveAt: null,
  lastSeq: null,
  seqSince: null,
  agentFirstSeenAt: null,
};

type Reading =
  { ok: true; status: Status; via: string } | { ok: false; code: string; why: string; configured: boolean };

export function decideGuest(
  obs: GuestObservation,
  cfg: GuestPolicy,
  prev: GuestMemory | undefined,
  ctx: TimerContext & { staleSeconds: number; lastWake: number | null; resetAt: number | null },
): GuestOutcome {
  const memory: GuestMemory = { ...FRESH, ...prev };
  const timeoutSeconds = Math.round(cfg.idleTimeoutMinutes * 60);
  const base = { key: obs.key, kind: obs.kind, id: obs.id, name: obs.name, timeoutSeconds };
  const notes: string[] = [];

  if (!cfg.monitor) {
    return {
      verdict: {
        ...base,
        state: 'unmonitored',
        basis: 'config',
        reasons: [],
        explanation: 'MONITOR=0: never keeps the host awake',
        idleForSeconds: null,
        sleepsInSeconds: null,
        notes,
      },
      memory: { ...FRESH },
    };
  }
  if (obs.power !== 'running' && obs.power !== 'unknown') {
    return {
      verdict: {
        ...base,
        state: 'stopped',
        basis: 'power',
        reasons: [],
        explanation: `not running (${obs.powerDetail})`,
        idleForSeconds: null,
        sleepsInSeconds: null,
        notes,
      },
      memory: { ...FRESH },
    };
  }

  // The agent's document, unless it is stale by the host's clock.
  let reading: Reading;
  const a = obs.agent;
  if (obs.power === 'unknown') {
    reading = {
      ok: false,
      code: 'power_unknown',
      why: `power state unknown: ${obs.powerDetail}`,
      configured: true,
    };
  } else if (a.kind === 'status') {
    const seq = a.status.seq;
    const unchanged = memory.lastSeq === seq && memory.seqSince !== null && memory.seqSince <= ctx.now;
    memory.seqSince = unchanged ? memory.seqSince : ctx.now;
    memory.lastSeq = seq;
    const frozenFor = seconds(ctx.now - (memory.seqSince ?? ctx.now));
    if (unchanged && frozenFor >= ctx.staleSeconds) {
      reading = {
        ok: false,
        code: 'stale',
        why: `status is stale: seq ${seq} has not changed for ${frozenFor} s (AGENT_STALE_SECONDS=${ctx.staleSeconds})`,
        configured: true,
      };
    } else {
      reading = { ok: true, status: a.status, via: a.via };
      if (memory.agentFirstSeenAt === null || memory.agentFirstSeenAt > ctx.now)
        memory.agentFirstSeenAt = ctx.now;
    }
  } else if (a.kind === 'missing') {
    reading = { ok: false, code: a.code, why: a.why, configured: true };
  } else {
    reading = { ok: false, code: 'no_agent', why: 'no agent (TRANSPORT=none)', configured: false };
  }

  const reasons: string[] = [];
  const explain: string[] = [];
  let basis: GuestVerdict['basis'] = 'agent';
  let agentIdleSeconds: number | null = null;

  if (reading.ok) {
    const s = reading.status;
    const ignored: string[] = [];
    for (const r of s.reasons) {
      if (r === 'power_request' && !cfg.checkPowerRequests) ignored.push(r);
      else if (r === 'user_input' && !cfg.checkUserIdle) ignored.push(r);
      else reasons.push(r);
    }
    if (ignored.length)
      notes.push(`ignored ${ignored.join(', ')} (${ignored.map(ignoreKey).join(', ')}=0 for this guest)`);
    if (s.idle) {
      agentIdleSeconds = s.idle_seconds;
      explain.push('agent: idle');
    } else if (reasons.length) {
      explain.push(`agent: ${reasons.join(', ')}`);
    } else {
      explain.push(`agent: active only for ignored reasons (${ignored.join(', ')})`);
    }
  } else {
    basis = 'fallback';
    notes.push(`${reading.why}; ON_AGENT_MISSING=${cfg.onAgentMissing}`);
    const what = reading.configured ? `agent status unusable (${reading.code})` : 'no agent';
    if (cfg.onAgentMissing === 'active') {
      reasons.push('agent_missing');
      explain.push(`${what}: counts as active (ON_AGENT_MISSING=active)`);
    } else if (cfg.onAgentMissing === 'idle') {
      explain.push(`${what}: counts as idle (ON_AGENT_MISSING=idle)`);
    } else if (obs.cpuPercent === null) {
      reasons.push('cpu_unknown');
      explain.push(`${what}, CPU unknown: counts as active`);
    } else if (obs.cpuPercent > cfg.cpuThreshold) {
      reasons.push('cpu_load');
      explain.push(`${what}, CPU ${fmtPct(obs.cpuPercent)} > ${cfg.cpuThreshold}%`);
    } else {
      explain.push(`${what}, CPU ${fmtPct(obs.cpuPercent)} ≤ ${cfg.cpuThreshold}%`);
    }
    if (obs.fallbackProcesses && cfg.gamingProcesses.length) {
      // Exact, case-insensitive; `.exe` is ignored for VMs only (release 1.x rule 19).
      const norm = (p: string) =>
        obs.kind === 'vm' ? p.toLowerCase().replace(/\.exe$/, '') : p.toLowerCase();
      const wanted = new Set(cfg.gamingProcesses.map(norm));
      const found = [...new Set(obs.fallbackProcesses.filter((p) => wanted.has(norm(p))))];
      for (const p of found) reasons.push(`process:${p}`);
      if (found.length) explain.push(`running: ${found.join(', ')}`);
    }
  }
  if (obs.kind === 'ct' && typeof obs.hostGpuPercent === 'number' && obs.hostGpuPercent > cfg.gpuThreshold) {
    if (!reasons.includes('gpu_active')) reasons.push('gpu_active');
    explain.push(`host GPU ${fmtPct(obs.hostGpuPercent)} > ${cfg.gpuThreshold}%`);
  }

  const explanation = explain.join('; ');
  if (reasons.length > 0) {
    memory.idleSince = null;
    memory.lastActiveAt = ctx.now;
    return {
      verdict: {
        ...base,
        state: 'active',
        basis,
        reasons,
        explanation,
        idleForSeconds: null,
        sleepsInSeconds: null,
        notes,
      },
      memory,
    };
  }

  let since: number;
  if (agentIdleSeconds !== null) {
    const guestStart = obs.uptimeSeconds !== null ? ctx.now - obs.uptimeSeconds * 1000 : null;
    const clamped = clampAgentStreak(ctx.now, agentIdleSeconds, [
      { label: 'the last wake', at: ctx.lastWake },
      { label: 'the last reset', at: ctx.resetAt },
      { label: 'the guest start', at: guestStart },
      { label: "the host's first reading of this agent", at: memory.agentFirstSeenAt },
      { label: 'the last time the host saw it active', at: memory.lastActiveAt },
    ]);
    since = clamped.since;
    if (clamped.clampedBy)
      notes.push(`agent reports ${Math.floor(agentIdleSeconds)} s idle; counted from ${clamped.clampedBy}`);
  } else {
    const streak = continueStreak(memory.idleSince, ctx);
    since = streak.since;
    if (streak.reset) notes.push(`idle timer restarted: ${streak.reset}`);
  }
  memory.idleSince = since;
  const idleFor = seconds(ctx.now - since);
  return {
    verdict: {
      ...base,
      state: 'idle',
      basis,
      reasons,
      explanation,
      idleForSeconds: idleFor,
      sleepsInSeconds: Math.max(0, timeoutSeconds - idleFor),
      notes,
    },
    memory,
  };
}

function ignoreKey(reason: string): string {
  return reason === 'power_request' ? 'CHECK_POWER_REQUESTS' : 'CHECK_USER_IDLE';
}

function fmtPct(n: number): string {
  return `${Math.round(n * 10) / 10}%`;
}
