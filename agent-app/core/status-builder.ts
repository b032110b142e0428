/**
 * Builds protocol-v1 status documents, pure. Everything untrusted (process names, inhibitor reasons,
 * command output) is cleaned and capped here so the document always passes the host's `parseStatus`:
 * idle ⇔ no reasons and no block; not idle ⇒ idle_seconds 0 and `reason` is the first reason; an active
 * block adds `user_block` (first, since it is the user's explicit choice).
 */
import type { AgentInfo, BlockState, CheckResult, Status, StatusDetails } from '../../protocol/status';
import { REASON_PATTERN } from '../../common/unsafe-text';
import { PROTOCOL_VERSION } from '../../protocol/version';
import { inWakeWindow } from '../../protocol/wake-window';
import type { Decision } from './policy';
import { protocolText } from './text';

const MAX_LIST = 64;

export type Evaluation =
  { kind: 'starting' } | { kind: 'evaluated'; decision: Decision; idleSeconds: number };

export interface StatusInput {
  agent: AgentInfo;
  seq: number;
  now: number;
  intervalSeconds: number;
  evaluation: Evaluation;
  block: BlockState;
  /** The guest's next wake request (ms since the epoch), or null. */
  nextWakeAt?: number | null;
}

function cleanReasons(reasons: readonly string[]): string[] {
  const out: string[] = [];
  for (const reason of reasons) {
    const colon = reason.indexOf(':');
    const clean =
      colon < 0 ? reason : `${reason.slice(0, colon)}:${protocolText(reason.slice(colon + 1), 128)}`;
    if (REASON_PATTERN.test(clean) && !out.includes(clean)) out.push(clean);
    if (out.length === MAX_LIST) break;
  }
  return out;
}

function cleanList(list: readonly string[] | undefined, max: number): string[] | undefined {
  return list?.slice(0, MAX_LIST).map((s) => protocolText(s, max));
}

function finite(value: number | null | undefined, min: number, max: number): number | null | undefined {
  if (value === undefined || value === null) return value;
  if (!Number.isFinite(value)) return null;
  return Math.min(max, Math.max(min, value));
}

function cleanDetails(d: StatusDetails): StatusDetails {
  const out: StatusDetails = {};
  if (d.user_idle_seconds !== undefined)
    out.user_idle_seconds = finite(d.user_idle_seconds, 0, 10 * 365 * 86400);
  if (d.user_idle_source !== undefined)
    out.user_idle_source = d.user_idle_source === null ? null : protocolText(d.user_idle_source, 32);
  if (d.gpu_percent !== undefined) out.gpu_percent = finite(d.gpu_percent, 0, 100);
  if (d.power_requests !== undefined) out.power_requests = cleanList(d.power_requests, 200);
  if (d.active_processes !== undefined) out.active_processes = cleanList(d.active_processes, 128);
  if (d.load_average !== undefined) out.load_average = finite(d.load_average, 0, 100000);
  if (d.network_kbps !== undefined) out.network_kbps = finite(d.network_kbps, 0, 1e9);
  if (d.sessions !== undefined)
    out.sessions = d.sessions === null ? null : Math.round(finite(d.sessions, 0, 100000) as number);
  return out;
}

function cleanChecks(checks: readonly CheckResult[]): CheckResult[] {
  return checks.slice(0, MAX_LIST).map((c) => ({
    name: protocolText(c.name, 64) || '?',
    state: c.state,
    detail: protocolText(c.detail, 500),
  }));
}

/** Keeps the serialised document under the protocol's 64 KiB, however long the texts are. */
const BYTE_BUDGET = 60 * 1024;

function fitSize(status: Status): Status {
  const size = (s: Status) => Buffer.byteLength(JSON.stringify(s), 'utf8');
  let fitted = status;
  for (const [detailMax, listMax, itemMax] of [
    [160, 32, 80],
    [60, 16, 40],
    [20, 4, 20],
  ]) {
    if (size(fitted) <= BYTE_BUDGET) return fitted;
    const d = status.details;
    fitted = {
      ...status,
      checks: status.checks.map((c) => ({ ...c, detail: protocolText(c.detail, detailMax) })),
      details: {
        ...d,
        ...(d.power_requests
          ? { power_requests: cleanList(d.power_requests.slice(0, listMax), itemMax) }
          : {}),
        ...(d.active_processes
          ? { active_processes: cleanList(d.active_processes.slice(0, listMax), itemMax) }
          : {}),
      },
    };
  }
  return fitted;
}

/** An ISO time the protocol accepts, else null. */
function wakeTime(at: number | null | undefined): string | null {
  return at === null || at === undefined || !inWakeWindow(at) ? null : new Date(at).toISOString();
}

export function buildStatus(input: StatusInput): Status {
  return fitSize(buildFullStatus(input));
}

function buildFullStatus(input: StatusInput): Status {
  const { evaluation, block } = input;
  const found = evaluation.kind === 'starting' ? ['starting'] : cleanReasons(evaluation.decision.reasons);
  const reasons = block.active ? cleanReasons(['user_block', ...found]) : found;
  const idle = reasons.length === 0;
  return {
    schema: PROTOCOL_VERSION,
    agent: {
      version: protocolText(input.agent.version, 64) || '0.0.0',
      os: input.agent.os,
      variant: input.agent.variant,
      hostname: protocolText(input.agent.hostname, 255),
    },
    seq: Math.max(0, Math.min(Number.MAX_SAFE_INTEGER, Math.floor(input.seq))),
    written_at: new Date(input.now).toISOString(),
    interval_seconds: Math.max(1, Math.min(3600, Math.round(input.intervalSeconds))),
    idle,
    idle_seconds:
      idle && evaluation.kind === 'evaluated' ? Math.max(0, Math.floor(evaluation.idleSeconds)) : 0,
    reason: idle ? null : reasons[0],
    reasons,
    block: {
      active: block.active,
      until: block.active ? block.until : null,
      source: block.active && block.source !== null ? protocolText(block.source, 64) : null,
    },
    details: evaluation.kind === 'evaluated' ? cleanDetails(evaluation.decision.details) : {},
    checks: evaluation.kind === 'evaluated' ? cleanChecks(evaluation.decision.checks) : [],
    next_wake_at: wakeTime(input.nextWakeAt),
  };
}

/**
 * The same document with the block as it stands now: used when the `status` command serves the daemon's
 * last file and the user changed the block since (or it expired). Lifting the block from an otherwise idle
 * document cannot know how long the guest was idle, so idle_seconds starts at 0.
 */
export function withBlock(status: Status, block: BlockState): Status {
  const others = status.reasons.filter((r) => r !== 'user_block');
  const reasons = block.active ? ['user_block', ...others] : others;
  const idle = reasons.length === 0;
  return {
    ...status,
    idle,
    idle_seconds: idle ? (status.idle ? status.idle_seconds : 0) : 0,
    reason: idle ? null : reasons[0],
    reasons,
    block: block.active ? { ...block } : { active: false, until: null, source: null },
  };
}
