/**
 * The tray's GPU probe on Windows: the GPU engine counters (every vendor) and nvidia-smi where installed;
 * the busiest reading wins. `vendor: nvidia` uses nvidia-smi only, `vendor: amd` the counters only (AMD
 * and Intel have no command-line tool on Windows). No source at all = the check is left out.
 */
import { UnavailableError, errorMessage } from '../../../common/errors';
import type { GpuProbe, GpuReading } from '../../core/checks/gpu';

export function createWindowsGpuProbe(deps: {
  vendor: 'auto' | 'nvidia' | 'amd';
  counters: GpuProbe;
  nvidiaSmi: GpuProbe;
}): GpuProbe {
  const probes =
    deps.vendor === 'nvidia'
      ? [deps.nvidiaSmi]
      : deps.vendor === 'amd'
        ? [deps.counters]
        : [deps.counters, deps.nvidiaSmi];
  return {
    async read(signal) {
      const readings: GpuReading[] = [];
      const failures: string[] = [];
      const missing: string[] = [];
      for (const probe of probes) {
        try {
          readings.push(await probe.read(signal));
        } catch (e) {
          if (e instanceof UnavailableError) missing.push(e.message);
          else failures.push(errorMessage(e));
        }
      }
      if (readings.length > 0) return readings.reduce((a, b) => (b.percent > a.percent ? b : a));
      if (failures.length > 0) throw new Error(failures.join('; '));
      throw new UnavailableError(missing.join('; '), 'gpu');
    },
  };
}
