/**
 * The no-agent fallback for a container's GAMING_PROCESSES: the basenames of argv[0] of the processes in the
 * container (`pct exec <id> -- ps -eo args=`), as the previous release read them (not the 15-character comm).
 */
import type { Proxmox } from '../proxmox/types';

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
