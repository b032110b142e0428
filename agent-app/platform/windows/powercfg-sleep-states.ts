/**
 * `powercfg /a` (Windows, no admin needed): two sections, "available" then "not available", each a
 * header line followed by indented states, each state followed by its deeper-indented reasons. Every text is
 * localised ("Hibernate", "Ruhezustand", "休眠" …), so the parser goes by structure: the first header opens
 * the available list, the second the unavailable one. Standby states carry their ACPI name, "(S3)" or
 * "(S0 …)", in every language; the other three are Hibernate, Hybrid Sleep and Fast Startup, and the last two
 * need hibernation (Fast Startup only a hiberfile). Known names pick Hibernate out where they match; where
 * none does, the number of available non-standby states decides.
 */
import type { Runner } from '../../../common/shell';
import type { DoctorCheck } from '../../../protocol/doctor';
import { check, type ReadinessProbe } from '../../core/readiness';
import { toolOutput, type PathLookup } from '../shared/commands';

export interface SleepState {
  name: string;
  reasons: string[];
}

export interface SleepStates {
  available: SleepState[];
  unavailable: SleepState[];
}

/** Hibernate as powercfg names it in the languages seen so far (exact, case-insensitive). */
export const HIBERNATE_NAMES = ['Hibernate', 'Ruhezustand', 'Veille prolongée', '休眠', '休止状態'];

const indent = (line: string) => line.length - line.trimStart().length;

export function parseSleepStates(text: string): SleepStates {
  const sections: SleepState[][] = [];
  let stateIndent = -1;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trimEnd();
    if (line.trim() === '' || /^(PS )?[A-Z]:\\.*>/.test(line)) continue; // blank, or an echoed prompt
    if (indent(line) === 0) {
      sections.push([]);
      stateIndent = -1;
      continue;
    }
    const section = sections[sections.length - 1];
    if (!section) continue;
    if (stateIndent < 0 || indent(line) <= stateIndent) {
      stateIndent = indent(line);
      section.push({ name: line.trim(), reasons: [] });
    } else section[section.length - 1].reasons.push(line.trim());
  }
  return { available: sections[0] ?? [], unavailable: sections[1] ?? [] };
}

const isStandby = (s: SleepState) => /\(\s*S\d/.test(s.name);
const isHibernateName = (s: SleepState) =>
  HIBERNATE_NAMES.some((n) => n.localeCompare(s.name, undefined, { sensitivity: 'accent' }) === 0);

export type HibernateAvailability =
  | { available: true; name: string }
  | { available: false; name: string | null; reasons: string[] }
  | { available: null; name: string };

export function hibernateAvailability(states: SleepStates): HibernateAvailability {
  const known = states.available.find(isHibernateName);
  if (known) return { available: true, name: known.name };
  const missing = states.unavailable.find(isHibernateName);
  if (missing) return { available: false, name: missing.name, reasons: missing.reasons };
  const others = states.available.filter((s) => !isStandby(s));
  // Two or more of Hibernate, Hybrid Sleep, Fast Startup: at most Fast Startup goes without Hibernate.
  if (others.length >= 2) return { available: true, name: others[0].name };
  if (others.length === 1) return { available: null, name: others[0].name };
  const first = states.unavailable.find((s) => !isStandby(s));
  return { available: false, name: first?.name ?? null, reasons: first?.reasons ?? [] };
}

export const ENABLE_S4_FIX =
  'on the Proxmox host: qm set <id> --machine <its current machine type>,enable-s4=1, then stop and start the VM';

/** The fix for a missing Hibernate, chosen from the reason where it names the firmware or the hiberfile type. */
export function hibernateFix(reasons: readonly string[]): string {
  const said = reasons.join(' ');
  if (/firmware/i.test(said)) return ENABLE_S4_FIX;
  if (/hiberfile/i.test(said)) return 'powercfg /hibernate /type full (as administrator)';
  return `powercfg /hibernate on (as administrator); if powercfg /a then says the firmware does not support it: ${ENABLE_S4_FIX}`;
}

export function assessSleepStates(states: SleepStates): DoctorCheck {
  const verdict = hibernateAvailability(states);
  if (verdict.available === true)
    return check('hibernate', 'ok', `powercfg /a lists "${verdict.name}" as available`);
  if (verdict.available === null)
    return check(
      'hibernate',
      'warning',
      `powercfg /a lists "${verdict.name}" as available; cannot tell in this language whether that is Hibernate or Fast Startup`,
      'powercfg /a (as administrator) must list Hibernate',
    );
  const why = verdict.reasons.length > 0 ? `: ${verdict.reasons.join(' ')}` : '';
  return check(
    'hibernate',
    'problem',
    `powercfg /a does not list Hibernate as available${verdict.name ? ` ("${verdict.name}"${why})` : ''}`,
    hibernateFix(verdict.reasons),
  );
}

export function createPowercfgReadinessProbe(deps: { run: Runner; findOnPath: PathLookup }): ReadinessProbe {
  return {
    inspect: async (signal) => [
      assessSleepStates(parseSleepStates(await toolOutput(deps, 'powercfg.exe', ['/a'], signal))),
    ],
  };
}
