/** GPU utilisation: active when the busiest GPU is above the threshold (strictly, as in 1.x). */
import { ConfigError } from '../../../common/errors';
import { active, idle, type AgentCheck } from '../agent-check';

export interface GpuReading {
  /** Utilisation of the busiest GPU, 0–100. */
  percent: number;
  gpus: number;
  /** The tool that measured it: "nvidia-smi", "rocm-smi" … */
  source: string;
}

export interface GpuProbe {
  /** Throws UnavailableError when no GPU tool exists here (the GPU check is then left out). */
  read(signal: AbortSignal): Promise<GpuReading>;
}

export function create(config: { thresholdPercent: number }, deps: { probe: GpuProbe }): AgentCheck {
  if (!(config.thresholdPercent >= 0 && config.thresholdPercent <= 100)) {
    throw new ConfigError([
      {
        severity: 'error',
        file: null,
        line: null,
        key: 'checks.gpu.thresholdPercent',
        message: 'must be 0–100',
      },
    ]);
  }
  return {
    name: 'gpu',
    reason: 'gpu_active',
    async run({ signal }) {
      const r = await deps.probe.read(signal);
      const what = `${r.source}${r.gpus > 1 ? `, busiest of ${r.gpus} GPUs` : ''}`;
      const details = { gpu_percent: r.percent };
      return r.percent > config.thresholdPercent
        ? active('gpu_active', `GPU ${r.percent}% > ${config.thresholdPercent}% (${what})`, details)
        : idle(`GPU ${r.percent}% <= ${config.thresholdPercent}% (${what})`, details);
    },
  };
}
