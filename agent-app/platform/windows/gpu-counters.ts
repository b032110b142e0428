/**
 * GPU utilisation on Windows for every vendor (AMD, Intel and NVIDIA alike) from the "GPU Engine"
 * performance counters, read through WMI's formatted-data class. Class and property names are not
 * localised (counter paths such as `\GPU Engine(*)\Utilization Percentage` are), and the values are
 * integers, so no locale can change what is printed.
 *
 * Instances are per process and engine: `pid_9524_luid_0x00000000_0x000095CA_phys_0_eng_0_engtype_3D`.
 * Like Task Manager, an engine's load is the sum over processes, a GPU's load is its busiest engine, and
 * the reading is the busiest GPU (luid).
 */
import { UnavailableError, errorMessage } from '../../../common/errors';
import type { GpuProbe, GpuReading } from '../../core/checks/gpu';
import type { PowerShellSession } from './powershell-session';

export const GPU_ENGINE_CLASS = 'Win32_PerfFormattedData_GPUPerformanceCounters_GPUEngine';

/** Prints one `instance<TAB>percent` line per engine instance. */
export const GPU_ENGINE_SCRIPT = [
  "$ErrorActionPreference = 'Stop'",
  `Get-CimInstance -ClassName ${GPU_ENGINE_CLASS} -Property Name,UtilizationPercentage |`,
  '  ForEach-Object { "{0}`t{1}" -f $_.Name, $_.UtilizationPercentage }',
].join('\n');

export interface EngineSample {
  pid: number | null;
  luid: string;
  phys: number;
  engine: number;
  type: string;
  percent: number;
}

const INSTANCE = /^(?:pid_(\d+)_)?luid_(0x[0-9a-f]+_0x[0-9a-f]+)_phys_(\d+)_eng_(\d+)_engtype_(.+)$/i;

export function parseEngineLines(stdout: string): EngineSample[] {
  const samples: EngineSample[] = [];
  for (const line of stdout.split(/\r?\n/)) {
    const [instance, value] = line.trim().split('\t');
    if (!instance || value === undefined || !/^\d+(\.\d+)?$/.test(value.trim())) continue;
    const m = INSTANCE.exec(instance.trim());
    if (!m) continue;
    samples.push({
      pid: m[1] === undefined ? null : Number(m[1]),
      luid: m[2].toLowerCase(),
      phys: Number(m[3]),
      engine: Number(m[4]),
      type: m[5].trim(),
      percent: Number(value),
    });
  }
  return samples;
}

export interface AdapterLoad {
  luid: string;
  percent: number;
  /** The engine type of the busiest engine ("3D", "VideoDecode", "Compute_0" …). */
  busiest: string;
}

/** Per GPU: engines summed over processes (capped at 100), the busiest engine wins. */
export function adapterLoads(samples: readonly EngineSample[]): AdapterLoad[] {
  const engines = new Map<string, { luid: string; type: string; percent: number }>();
  for (const s of samples) {
    const key = `${s.luid}|${s.phys}|${s.engine}`;
    const engine = engines.get(key) ?? { luid: s.luid, type: s.type, percent: 0 };
    engine.percent = Math.min(100, engine.percent + s.percent);
    engines.set(key, engine);
  }
  const adapters = new Map<string, AdapterLoad>();
  for (const engine of engines.values()) {
    const adapter = adapters.get(engine.luid);
    if (!adapter || engine.percent > adapter.percent)
      adapters.set(engine.luid, { luid: engine.luid, percent: engine.percent, busiest: engine.type });
  }
  return [...adapters.values()];
}

export function readingFromCounters(stdout: string): GpuReading {
  const adapters = adapterLoads(parseEngineLines(stdout));
  if (adapters.length === 0)
    throw new UnavailableError('no GPU engine counters (no WDDM 2 display driver)', 'gpu-counters');
  const busiest = adapters.reduce((a, b) => (b.percent > a.percent ? b : a));
  return {
    percent: Math.round(busiest.percent),
    gpus: adapters.length,
    source: `GPU engine counters, ${busiest.busiest}`.slice(0, 48),
  };
}

export function createGpuCounterProbe(deps: { powershell: PowerShellSession }): GpuProbe {
  return {
    async read() {
      let stdout: string;
      try {
        stdout = await deps.powershell.invoke(GPU_ENGINE_SCRIPT);
      } catch (e) {
        const message = errorMessage(e);
        if (/invalid class|CommandNotFoundException/i.test(message))
          throw new UnavailableError(
            `GPU engine counters are not available: ${message.slice(0, 160)}`,
            'gpu-counters',
            { cause: e },
          );
        throw new Error(`GPU engine counters: ${message.slice(0, 200)}`, { cause: e });
      }
      return readingFromCounters(stdout);
    },
  };
}
