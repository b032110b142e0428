/**
 * NVIDIA GPU utilisation from `nvidia-smi --query-gpu=utilization.gpu --format=csv,noheader,nounits`:
 * one integer per GPU and line. `[N/A]` / `[Not Supported]` rows carry no reading.
 */
import { UnavailableError } from '../../../common/errors';
import type { Runner } from '../../../common/shell';
import type { GpuReading } from '../../core/checks/gpu';
import type { PathLookup } from './commands';

export const NVIDIA_SMI_ARGS = ['--query-gpu=utilization.gpu', '--format=csv,noheader,nounits'] as const;

/** The utilisation of each GPU that reported one. */
export function parseNvidiaSmiUtilization(stdout: string): number[] {
  const values: number[] = [];
  for (const line of stdout.split(/\r?\n/)) {
    const cell = line.split(',')[0]?.trim().replace(/\s*%$/, '') ?? '';
    if (/^\d{1,3}(\.\d+)?$/.test(cell)) {
      const value = Number(cell);
      if (value <= 100) values.push(value);
    }
  }
  return values;
}

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
