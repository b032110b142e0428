/**
 * macOS input idle time: `ioreg -c IOHIDSystem` prints the registry entries of class IOHIDSystem with a
 * `"HIDIdleTime" = <nanoseconds since the last HID input>` property. With several entries, the smallest
 * (most recent input) wins.
 */
import { UnavailableError } from '../../../common/errors';
import type { Runner } from '../../../common/shell';
import type { InputIdleProbe } from '../../core/checks/input-idle';
import type { PathLookup } from '../shared/commands';

/** Seconds since the last input, or null when the output has no HIDIdleTime. */
export function parseIoregHidIdle(text: string): number | null {
  let best: number | null = null;
  for (const m of text.matchAll(/"HIDIdleTime"\s*=\s*(\d+)/g)) {
    const seconds = Number(m[1]) / 1e9;
    if (Number.isFinite(seconds) && (best === null || seconds < best)) best = seconds;
  }
  return best;
}

export function createIoregIdleProbe(deps: { run: Runner; findOnPath: PathLookup }): InputIdleProbe {
  return {
    async read(signal) {
      const tool = await deps.findOnPath('ioreg');
      if (!tool) throw new UnavailableError('ioreg is not available', 'ioreg');
      const result = await deps.run(tool, ['-c', 'IOHIDSystem'], {
        signal,
        timeoutMs: 5000,
        maxOutputBytes: 2 * 1024 * 1024,
      });
      const seconds = result.exitCode === 0 ? parseIoregHidIdle(result.stdout) : null;
      if (seconds === null)
        throw new Error(`ioreg -c IOHIDSystem gave no HIDIdleTime (exit ${result.exitCode})`);
      return { idleSeconds: seconds, source: 'iohid' };
    },
  };
}
