/**
 * Containers use the host's GPU: its load above the container's GPU_IDLE_THRESHOLD keeps the container
 * active, whatever its agent says. Read once per cycle for every container with nvidia-smi; the busiest GPU
 * counts. No nvidia-smi, an error, or no numeric row (a GPU bound to vfio for a VM) is `unknown`, which
 * never keeps the host awake.
 */
import type { CheckOutcome } from '../../common/check';
import { NVIDIA_SMI_ARGS, parseNvidiaSmiUtilization } from '../../common/nvidia-smi';
import { commandMissing, type Runner } from '../../common/shell';
import type { GuestConfig } from '../config';
import type { GuestCheck } from './types';

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

const percent = (n: number) => `${Math.round(n * 10) / 10}%`;

/** What the host's GPU load says against a container's threshold (strictly above is active). */
export function hostGpuOutcome(gpu: number | null, threshold: number): CheckOutcome<never> {
  if (gpu === null) return { state: 'unknown', detail: 'host GPU unknown (no nvidia-smi, or bound to vfio)' };
  if (gpu > threshold) return { state: 'active', detail: `host GPU ${percent(gpu)} > ${threshold}%` };
  return { state: 'idle', detail: `host GPU ${percent(gpu)} ≤ ${threshold}%` };
}

export function create(
  guest: Pick<GuestConfig, 'kind' | 'gpuIdleThreshold'>,
  deps: { run: Runner },
): GuestCheck | null {
  if (guest.kind !== 'ct') return null;
  const read = (timeoutMs: number) => readHostGpuPercent(deps.run, timeoutMs).catch(() => null);
  return {
    name: 'host gpu',
    reason: 'gpu_active',
    role: 'always',
    async run(ctx) {
      const gpu = await ctx.shared('host-gpu', () => read(ctx.timeoutMs));
      return hostGpuOutcome(gpu, guest.gpuIdleThreshold);
    },
  };
}
