/**
 * Command-line flags of the tray app. A second start hands its flags to the running instance (the
 * single-instance lock's `second-instance` event), so `proxmox-sleep-tray --block 2h` from a terminal or a
 * desktop shortcut acts on the tray already running:
 *
 *   --status                 open the status window
 *   --block <when>           30m, 1h, 1h30m … | HH:MM | morning | indefinitely | off
 *   --hibernate              hibernate this computer now (the host resumes it)
 *
 * Everything else (Chromium's own switches, the app path) is ignored.
 */
import type { BlockRequest } from '../../core/block';
import { presetRequest } from '../shared/block-presets';

export type LaunchCommand =
  | { kind: 'status' }
  | { kind: 'block'; value: string }
  | { kind: 'hibernate' }
  | { kind: 'usage'; message: string };

export const LAUNCH_USAGE = '--status | --block <30m|1h|HH:MM|morning|indefinitely|off> | --hibernate';

export function parseLaunchArgs(argv: readonly string[]): LaunchCommand[] {
  const out: LaunchCommand[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--status') out.push({ kind: 'status' });
    else if (arg === '--hibernate') out.push({ kind: 'hibernate' });
    else if (arg === '--block' || arg.startsWith('--block=')) {
      const value = arg === '--block' ? argv[i + 1] : arg.slice('--block='.length);
      if (arg === '--block') i++;
      if (value === undefined || value === '' || value.startsWith('--'))
        out.push({ kind: 'usage', message: `--block needs a value: ${LAUNCH_USAGE}` });
      else out.push({ kind: 'block', value: value.trim() });
    }
  }
  return out;
}

/** The core request for a `--block` value (durations and times are checked by the core when applied). */
export function blockRequestFromArg(value: string, now: number): BlockRequest {
  const v = value.toLowerCase();
  if (v === 'off' || v === 'stop' || v === 'none') return { off: true };
  if (v === 'indefinitely' || v === 'forever' || v === 'on') return { indefinitely: true };
  if (v === 'morning') return presetRequest('morning', now);
  if (/^\d{1,2}:\d{2}$/.test(v) || /^\d{4}-\d{2}-\d{2}/.test(v)) return { until: value };
  return { for: value };
}
