/**
 * Runs one `proxmox-sleep-agent` command (hibernate, shutdown, notify) inside a guest, through the way the
 * host reaches that guest: the QEMU guest agent's exec for VMs (qga-exec, qga-file, virtiofs), OpenSSH for
 * `ssh` guests, `pct exec` for containers. Arguments go in as an argument list (over SSH each word is quoted
 * for the remote shell); the guest's answer is one protocol reply line, validated before it is believed.
 */
import { describeFailure, errorMessage } from '../../common/errors';
import { commandMissing, type Runner } from '../../common/shell';
import { sanitizeForLog } from '../../common/sanitize';
import { MAX_REPLY_BYTES, parseReply, type Reply } from '../../protocol';
import type { GuestConfig } from '../config';
import { GuestAgentError, type ExecResult, type GuestAgent, type Proxmox } from '../proxmox/types';
import { AGENT_PROGRAM, agentArgv } from './agent-argv';
import { guestOs, type OsCache } from './guest-os';
import { remoteQuote, sshArgs } from './transports/ssh';

/** How the agent's `hibernate` command reaches the guest. */
export type AgentChannel = 'guest-exec' | 'ssh';

/** How a guest's agent commands travel, or null when it has none (TRANSPORT=none). */
export function agentRoute(guest: GuestConfig): AgentChannel | 'pct-exec' | null {
  if (guest.kind === 'ct') return guest.transport === 'none' ? null : 'pct-exec';
  switch (guest.transport) {
    case 'qga-exec':
    case 'qga-file':
    case 'virtiofs':
      return 'guest-exec';
    case 'ssh':
      return 'ssh';
    default:
      return null;
  }
}

export type AgentAnswer =
  /** The agent answered with a reply line (which may say success: false). */
  | { kind: 'reply'; reply: Reply; exitCode: number | null }
  /** Nobody answered in time, or the connection went away: the command may or may not have run. */
  | { kind: 'no-answer'; why: string }
  /** It certainly did not run: no agent, the program is missing, the guest refused to run it. */
  | { kind: 'refused'; why: string };

export interface AgentCommandDeps {
  agent: GuestAgent;
  proxmox: Proxmox;
  run: Runner;
  knownHostsFile?: string;
  /** The guest OS cache (guest-get-osinfo), so Windows guests are reached through cmd.exe. */
  osCache?: OsCache;
}

function fromOutput(result: ExecResult, where: string): AgentAnswer {
  const lines = result.stdout.toString('utf8').trim().split('\n');
  const last = lines[lines.length - 1] ?? '';
  try {
    return { kind: 'reply', reply: parseReply(last), exitCode: result.exitCode };
  } catch (e) {
    if (result.exitCode === 127 || /not found|No such file/i.test(result.stderr))
      return { kind: 'refused', why: `${AGENT_PROGRAM} is not installed in the guest (${where})` };
    const err = sanitizeForLog(result.stderr.trim().split('\n').slice(-1)[0] ?? '', 200);
    return {
      kind: 'refused',
      why: `${AGENT_PROGRAM} exited ${result.exitCode ?? `by signal ${result.signal}`} without a valid reply (${errorMessage(e)})${err ? `: ${err}` : ''}`,
    };
  }
}

export async function runAgentCommand(
  guest: GuestConfig,
  args: readonly string[],
  timeoutMs: number,
  deps: AgentCommandDeps,
): Promise<AgentAnswer> {
  const route = agentRoute(guest);
  const argv = [AGENT_PROGRAM, ...args];
  if (route === null) return { kind: 'refused', why: 'no agent (TRANSPORT=none)' };
  if (route === 'guest-exec') {
    try {
      const os = deps.osCache
        ? await guestOs(deps.agent, deps.osCache, guest.id, timeoutMs).catch(() => 'linux' as const)
        : 'linux';
      const result = await deps.agent.exec(guest.id, agentArgv(os, args), {
        timeoutMs,
        maxOutputBytes: MAX_REPLY_BYTES,
      });
      return fromOutput(result, 'QEMU guest agent exec');
    } catch (e) {
      if (e instanceof GuestAgentError) {
        if (e.code === 'timeout') return { kind: 'no-answer', why: e.message };
        if (e.code === 'agent_down') return { kind: 'refused', why: `QEMU guest agent: ${e.message}` };
        if (e.code === 'refused' && /No such file|not found|Failed to execute/i.test(e.message))
          return { kind: 'refused', why: `${AGENT_PROGRAM} is not installed in the guest` };
        return { kind: 'refused', why: `QEMU guest agent: ${e.message}` };
      }
      return { kind: 'no-answer', why: errorMessage(e) };
    }
  }
  if (route === 'pct-exec') {
    try {
      const result = await deps.proxmox.containerExec(guest.id, argv, {
        timeoutMs,
        maxOutputBytes: MAX_REPLY_BYTES,
      });
      return fromOutput(result, 'pct exec');
    } catch (e) {
      if (e instanceof GuestAgentError && e.code === 'timeout') return { kind: 'no-answer', why: e.message };
      return { kind: 'refused', why: errorMessage(e) };
    }
  }
  const remote = argv.map(remoteQuote).join(' ');
  const result = await deps.run('ssh', sshArgs(guest, timeoutMs, deps.knownHostsFile, remote), {
    timeoutMs,
    maxOutputBytes: MAX_REPLY_BYTES,
  });
  if (commandMissing(result)) return { kind: 'refused', why: 'ssh (OpenSSH client) is not installed' };
  if (result.timedOut) return { kind: 'no-answer', why: `ssh to ${guest.sshTarget} timed out` };
  if (result.exitCode === 255)
    return { kind: 'refused', why: `ssh to ${guest.sshTarget}: ${describeFailure(result)}` };
  return fromOutput(
    {
      exitCode: result.exitCode,
      signal: null,
      stdout: result.stdoutBytes,
      stderr: result.stderr,
      truncated: result.truncated,
    },
    `ssh ${guest.sshTarget}`,
  );
}
