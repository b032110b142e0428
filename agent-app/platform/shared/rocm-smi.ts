/**
 * AMD GPU utilisation from `rocm-smi --showuse --json`: an object per card (`card0` …) with
 * `"GPU use (%)": "19"`. Older releases print warnings before the JSON, so parsing starts at the first `{`.
 */
import { UnavailableError } from '../../../common/errors';
import type { Runner } from '../../../common/shell';
import type { GpuReading } from '../../core/checks/gpu';
import type { PathLookup } from './commands';

export const ROCM_SMI_ARGS = ['--showuse', '--json'] as const;

export function parseRocmSmiJson(stdout: string): number[] {
  const start = stdout.indexOf('{');
  const end = stdout.lastIndexOf('}');
  if (start < 0 || end < start) throw new Error('rocm-smi printed no JSON');
  const doc: unknown = JSON.parse(stdout.slice(start, end + 1));
  if (doc === null || typeof doc !== 'object') throw new Error('rocm-smi JSON is not an object');
  const values: number[] = [];
  for (const [card, fields] of Object.entries(doc as Record<string, unknown>)) {
    if (!/^card\d+$/.test(card) || fields === null || typeof fields !== 'object') continue;
    const raw = (fields as Record<string, unknown>)['GPU use (%)'];
    const value = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw.trim()) : NaN;
    if (Number.isFinite(value) && value >= 0 && value <= 100) values.push(value);
  }
  return values;
}

export function createRocmSmiProbe(deps: { run: Runner; findOnPath: PathLookup }) {
  return {
    async read(signal: AbortSignal): Promise<GpuReading> {
      const tool = await deps.findOnPath('rocm-smi');
      if (!tool) throw new UnavailableError('rocm-smi is not installed', 'rocm-smi');
      const result = await deps.run(tool, [...ROCM_SMI_ARGS], { signal, maxOutputBytes: 256 * 1024 });
      if (result.exitCode !== 0) throw new Error(`rocm-smi exited ${result.exitCode ?? result.signal}`);
      const values = parseRocmSmiJson(result.stdout);
      if (values.length === 0) throw new Error('rocm-smi reported no GPU use');
      return { percent: Math.max(...values), gpus: values.length, source: 'rocm-smi' };
    },
  };
}
