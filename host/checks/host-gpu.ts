/**
 * The host's own GPU load, shared by every container (they use the host's GPU). Read once per cycle with
 * nvidia-smi; the maximum over all GPUs counts. No nvidia-smi, an error, or no numeric row (a GPU bound to
 * vfio for a VM) means unknown, which never keeps the host awake.
 */
import { NVIDIA_SMI_ARGS, parseNvidiaSmiUtilization } from '../../common/nvidia-smi';
import { commandMissing, type Runner } from '../../common/shell';

/** The busiest GPU's utilisation, or null when no GPU reported one. */
export function parseNvidiaUtilisation(stdout: string): number | null {
  const values = parseNvidiaSmiUtilization(stdout);
  return values.length ? Math.max(...values) : null;
}

export async function readHostGpuPercent(run: Runner, timeoutMs: number): Promise<number | null> {
  const r = await run('nvidia-smi', [...NVIDIA_SMI_ARGS], { timeoutMs, maxOutputBytes: 64 * 1024 });
  if (commandMissing(r) || r.exitCode !== 0) return null;
  return parseNvidiaUtilisation(r.stdout);
}
