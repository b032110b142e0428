/**
 * The GPU probe: `nvidia` / `amd` use one tool; `auto` reads every installed tool and takes the busiest
 * GPU. No tool installed = the check is left out; a tool that fails (driver not loaded, GPU bound to vfio)
 * = unknown, never active.
 */
import { UnavailableError } from '../../../common/errors';
import type { Runner } from '../../../common/shell';
import type { GpuProbe, GpuReading } from '../../core/checks/gpu';
import type { PathLookup } from './commands';
import { createNvidiaSmiProbe } from './nvidia-smi';
import { createRocmSmiProbe } from './rocm-smi';

export function createGpuProbe(deps: {
  vendor: 'auto' | 'nvidia' | 'amd';
  run: Runner;
  findOnPath: PathLookup;
}): GpuProbe {
  const probes = [
    ...(deps.vendor !== 'amd' ? [createNvidiaSmiProbe(deps)] : []),
    ...(deps.vendor !== 'nvidia' ? [createRocmSmiProbe(deps)] : []),
  ];
  return {
    async read(signal) {
      const readings: GpuReading[] = [];
      const failures: string[] = [];
      let missing = 0;
      for (const probe of probes) {
        try {
          readings.push(await probe.read(signal));
        } catch (e) {
          if (e instanceof UnavailableError) missing++;
          else failures.push(e instanceof Error ? e.message : String(e));
        }
      }
      if (readings.length > 0) {
        const busiest = readings.reduce((a, b) => (b.percent > a.percent ? b : a));
        return { ...busiest, gpus: readings.reduce((n, r) => n + r.gpus, 0) };
      }
      if (missing === probes.length) {
        throw new UnavailableError(
          deps.vendor === 'auto'
            ? 'neither nvidia-smi nor rocm-smi is installed'
            : `${deps.vendor === 'nvidia' ? 'nvidia-smi' : 'rocm-smi'} is not installed`,
          'gpu',
        );
      }
      throw new Error(failures.join('; '));
    },
  };
}
