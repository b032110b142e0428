/**
 * A guest's process names, for GAMING_PROCESSES without an agent, as release 1.x read them: a container's
 * through `pct exec <id> -- ps -eo args=` (basenames of argv[0], not the 15-character comm); a VM's through
 * the QEMU guest agent's exec: Windows `Get-Process` names (no `.exe`), Linux and macOS basenames of argv[0]
 * from `ps`. This keeps a 1.x configuration working for a guest that has only the QEMU guest agent.
 */
import type { GuestAgent, Proxmox } from '../proxmox/types';
import type { GuestOs } from './types';

const WINDOWS_PROCESS_LIST = [
  'powershell.exe',
  '-NoProfile',
  '-NonInteractive',
  '-Command',
  'Get-Process | Select-Object -ExpandProperty Name',
];

export function processNamesFromPs(stdout: string): string[] {
  return stdout
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .map((l) => {
      const argv0 = l.split(/\s+/)[0];
      return argv0.slice(argv0.lastIndexOf('/') + 1);
    })
    .filter((n) => n !== '');
}

export async function readContainerProcesses(
  proxmox: Pick<Proxmox, 'containerExec'>,
  ctid: number,
  timeoutMs: number,
): Promise<string[] | null> {
  try {
    const r = await proxmox.containerExec(ctid, ['ps', '-eo', 'args='], {
      timeoutMs,
      maxOutputBytes: 1024 * 1024,
    });
    if (r.exitCode !== 0 || r.truncated) return null;
    return processNamesFromPs(r.stdout.toString('utf8'));
  } catch {
    return null;
  }
}

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
