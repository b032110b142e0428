import { z } from 'zod';
import { safeText } from './text';

/**
 * `doctor`: the agent's own readiness report (hibernation inside the guest). A verdict per check:
 * `ok`, `warning` (may fail or degrade; hibernation still goes ahead) or `problem` (hibernation cannot work
 * right now: the agent's `hibernate` refuses with the evidence).
 */
export const DOCTOR_VERDICTS = ['ok', 'warning', 'problem'] as const;

export const DoctorCheckSchema = z.object({
  name: safeText(64, 1),
  verdict: z.enum(DOCTOR_VERDICTS),
  /** One line of what was seen, e.g. "/sys/power/state: freeze mem (no disk)". */
  evidence: safeText(500),
  /** The command (or the one step) that fixes it; null when nothing needs fixing. */
  fix: safeText(500).nullable(),
});
export type DoctorCheck = z.infer<typeof DoctorCheckSchema>;
export type DoctorVerdict = DoctorCheck['verdict'];

export const DoctorReportSchema = z.object({
  os: z.enum(['windows', 'linux', 'macos']),
  /** True when no check is a problem: `hibernate` would go ahead. */
  hibernation_ready: z.boolean(),
  checks: z.array(DoctorCheckSchema).max(32),
});
export type DoctorReport = z.infer<typeof DoctorReportSchema>;
