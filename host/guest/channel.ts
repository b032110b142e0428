/**
 * One channel to a guest: its status document through its TRANSPORT, validated; its agent's commands; its
 * process names for GAMING_PROCESSES without an agent. Whatever a transport throws is converted here, once,
 * to a reading whose `why` is safe to print: sanitised, capped, and never containing guest bytes beyond what
 * the protocol parser quotes (field names and JSON syntax positions).
 */
import { sanitizeForLog } from '../../common/sanitize';
import { safeParseStatus } from '../../protocol';
import type { GuestConfig } from '../config';
import { runAgentCommand, type AgentAnswer, type AgentCommandDeps } from './agent-command';
import { toReadFailure } from './read-failure';
import { guestOs, type OsCache } from './guest-os';
import { readContainerProcesses, readVmProcesses } from './processes';
import type { StatusReading, StatusTransport } from './types';

export interface GuestChannel {
  /** Where the status is read from (`qga-file via socket: /run/…`), for `status` and `agent <id> status`. */
  describe(): string;
  /** The guest's status document, or why it could not be used. */
  readStatus(timeoutMs: number): Promise<StatusReading>;
  /** The guest's process names (argv[0] basenames; Windows: Get-Process names), or null when unreadable. */
  processNames(timeoutMs: number): Promise<string[] | null>;
  /** Runs `proxmox-sleep-agent <args>` in the guest and reads its one-line reply. */
  command(args: readonly string[], timeoutMs: number): Promise<AgentAnswer>;
}

export interface ChannelDeps extends AgentCommandDeps {
  transport: (guest: GuestConfig) => StatusTransport | null;
  osCache: OsCache;
}

export type GuestChannels = (guest: GuestConfig) => GuestChannel;

export function createGuestChannels(deps: ChannelDeps): GuestChannels {
  return (guest) => {
    const transport = deps.transport(guest);
    return {
      describe: () => (transport ? transport.describe(guest) : 'none'),
      readStatus: (timeoutMs) =>
        transport
          ? readStatus(guest, transport, timeoutMs)
          : Promise.resolve({ ok: false, code: 'no_agent', why: 'no agent (TRANSPORT=none)' }),
      processNames: (timeoutMs) => processNames(guest, deps, timeoutMs),
      command: (args, timeoutMs) => runAgentCommand(guest, args, timeoutMs, deps),
    };
  };
}

async function readStatus(
  guest: GuestConfig,
  transport: StatusTransport,
  timeoutMs: number,
): Promise<StatusReading> {
  let bytes: Buffer;
  try {
    bytes = await transport.read(guest, timeoutMs);
  } catch (e) {
    const f = toReadFailure(e);
    return { ok: false, code: f.code, why: sanitizeForLog(f.message, 300) };
  }
  const parsed = safeParseStatus(bytes);
  if (parsed.ok) return { ok: true, status: parsed.value };
  const field = parsed.error.field ? ` (field ${sanitizeForLog(parsed.error.field, 80)})` : '';
  return {
    ok: false,
    code: parsed.error.code,
    why: `invalid status: ${sanitizeForLog(parsed.error.message, 300)}${field}`,
  };
}

async function processNames(guest: GuestConfig, deps: ChannelDeps, timeoutMs: number) {
  if (guest.kind === 'ct') return readContainerProcesses(deps.proxmox, guest.id, timeoutMs);
  try {
    const os = await guestOs(deps.agent, deps.osCache, guest.id, timeoutMs);
    return await readVmProcesses(deps.agent, guest.id, os, timeoutMs);
  } catch {
    return null;
  }
}
