/**
 * The Linux input idle probe: tries the configured sources in order (default X11, then GNOME Mutter, then
 * logind) and uses the first that gives a reading. No source at all = unavailable (a headless server:
 * the input check is left out); sources that exist but fail = unknown.
 */
import { UnavailableError } from '../../../common/errors';
import type { InputIdleProbe, InputIdleReading } from '../../core/checks/input-idle';

export interface InputIdleSource {
  name: string;
  read(signal: AbortSignal): Promise<InputIdleReading>;
}

export function createInputIdleChain(
  sources: readonly InputIdleSource[],
  close?: () => Promise<void>,
): InputIdleProbe {
  return {
    close,
    async read(signal) {
      const failures: string[] = [];
      const missing: string[] = [];
      for (const source of sources) {
        try {
          return await source.read(signal);
        } catch (e) {
          if (e instanceof UnavailableError) missing.push(`${source.name}: ${e.message}`);
          else failures.push(`${source.name}: ${e instanceof Error ? e.message : String(e)}`);
        }
      }
      if (failures.length > 0) throw new Error(failures.join('; '));
      throw new UnavailableError(`no input idle source (${missing.join('; ')})`, 'input');
    },
  };
}
