/** The agent's NVIDIA GPU probe: nvidia-smi's utilisation (common/nvidia-smi.ts), the busiest GPU counts. */
import { UnavailableError } from '../../../common/errors';
import { NVIDIA_SMI_ARGS, parseNvidiaSmiUtilization } from '../../../common/nvidia-smi';
import type { Runner } from '../../../common/shell';
import type { GpuReading } from '../../core/checks/gpu';
import type { PathLookup } from './commands';

export function createNvidiaSmiProbe(deps: { run: Runner; findOnPath: PathLookup }) {
  return {
    async read(signal: AbortSignal): Promise<GpuReading> {
      const tool = await deps.findOnPath('nvidia-smi');
      if (!tool) throw new UnavailableError('nvidia-smi is not installed', 'nvidia-smi');
      const result = await deps.run(tool, [...NVIDIA_SMI_ARGS], { signal, maxOutputBytes: 64 * 1024 });
      const values = parseNvidiaSmiUtilization(result.stdout);
      if (result.exitCode !== 0 || values.length === 0) {
        const said = (result.stdout + result.stderr).trim().split(/\r?\n/)[0] ?? '';
        throw new Error(
          `nvidia-smi gave no utilisation (exit ${result.exitCode ?? result.signal}): ${said.slice(0, 160)}`,
        );
      }
      return { percent: Math.max(...values), gpus: values.length, source: 'nvidia-smi' };
    },
  };
}

export { parseNvidiaSmiUtilization };
