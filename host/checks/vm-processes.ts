/**
 * The no-agent fallback for a VM's GAMING_PROCESSES, as release 1.x read it: the process list through the QEMU
 * guest agent. Windows: `Get-Process` names (no `.exe`); Linux and macOS: basenames of argv[0] from `ps`.
 * This keeps a 1.x configuration working for a VM that has only the QEMU guest agent and not our agent yet.
 */
import type { GuestAgent } from '../proxmox/types';
import type { GuestOs } from '../transport/types';
import { processNamesFromPs } from './container-processes';

const WINDOWS_PROCESS_LIST = [
  'powershell.exe',
  '-NoProfile',
  '-NonInteractive',
  '-Command',
  'Get-Process | Select-Object -ExpandProperty Name',
];

export function vmProcessListCommand(os: GuestOs): string[] {
  return os === 'windows' ? WINDOWS_PROCESS_LIST : ['ps', '-axo', 'args='];
}

export function processNamesFromGetProcess(stdout: string): string[] {
  return stdout
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

export async function readVmProcesses(
  agent: Pick<GuestAgent, 'exec'>,
  vmid: number,
  os: GuestOs,
  timeoutMs: number,
): Promise<string[] | null> {
  try {
    const r = await agent.exec(vmid, vmProcessListCommand(os), { timeoutMs, maxOutputBytes: 1024 * 1024 });
    if (r.exitCode !== 0 || r.truncated) return null;
    const text = r.stdout.toString('utf8');
    return os === 'windows' ? processNamesFromGetProcess(text) : processNamesFromPs(text);
  } catch {
    return null;
  }
}
