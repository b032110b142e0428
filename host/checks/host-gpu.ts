/**
 * The host's own GPU load, shared by every container (they use the host's GPU). Read once per cycle with
 * nvidia-smi; the maximum over all GPUs counts. No nvidia-smi, an error, or no numeric row (a GPU bound to
 * vfio for a VM) means unknown, which never keeps the host awake.
 */
import { commandMissing, type Runner } from '../../common/shell';

export function parseNvidiaUtilisation(stdout: string): number | null {
  const values = stdout
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /^[0-9]+(\.[0-9]+)?$/.test(l))
    .map(Number);
  return values.length ? Math.max(...values) : null;
}

export async function readHostGpuPercent(run: Runner, timeoutMs: number): Promise<number | null> {
  const r = await run('nvidia-smi', ['--query-gpu=utilization.gpu', '--format=csv,noheader,nounits'], {
    timeoutMs,
  });
  if (commandMissing(r) || r.exitCode !== 0) return null;
  return parseNvidiaUtilisation(r.stdout);
}
