/**
 * `pmset -g` (macOS): "System-wide power settings:", optional settings, "Currently in use:", then one
 * ` key   value` line per setting (keys are not localised; a value may be followed by a note in
 * parentheses). `pmset sleepnow` hibernates only with hibernatemode 25 (memory written to the sleep image,
 * then powered off); 3 keeps memory powered, which a VM shows as "suspended", and 0 never writes an image.
 */
import type { Runner } from '../../../common/shell';
import type { DoctorCheck } from '../../../protocol/doctor';
import { check, type ReadinessProbe } from '../../core/readiness';
import { toolOutput, type PathLookup } from '../shared/commands';

/** The settings under "Currently in use:", key → first word of the value. */
export function parsePmsetSettings(text: string): Map<string, string> {
  const settings = new Map<string, string>();
  let inUse = false;
  for (const line of text.split(/\r?\n/)) {
    if (/^Currently in use:/.test(line)) inUse = true;
    else if (/^\S/.test(line)) inUse = false;
    else if (inUse) {
      const m = /^\s+(.+?)\s+(\S+)(?:\s+\(.*\))?\s*$/.exec(line);
      if (m) settings.set(m[1], m[2]);
    }
  }
  return settings;
}

export const HIBERNATE_FIX = 'sudo pmset -a hibernatemode 25';

export function assessHibernateMode(settings: ReadonlyMap<string, string>): DoctorCheck {
  const mode = settings.get('hibernatemode');
  if (mode === undefined)
    return check('hibernatemode', 'problem', 'pmset -g shows no hibernatemode', HIBERNATE_FIX);
  if (mode === '25')
    return check(
      'hibernatemode',
      'ok',
      `hibernatemode 25: pmset sleepnow writes ${settings.get('hibernatefile') ?? 'the sleep image'} and powers off`,
    );
  const meaning = mode === '0' ? 'sleep to memory only' : mode === '3' ? 'memory kept powered' : 'not 25';
  return check(
    'hibernatemode',
    'problem',
    `hibernatemode ${mode} (${meaning}): pmset sleepnow would not power the VM off`,
    HIBERNATE_FIX,
  );
}

export function createPmsetReadinessProbe(deps: { run: Runner; findOnPath: PathLookup }): ReadinessProbe {
  return {
    inspect: async (signal) => [
      assessHibernateMode(parsePmsetSettings(await toolOutput(deps, 'pmset', ['-g'], signal))),
    ],
  };
}
