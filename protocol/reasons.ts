import { z } from 'zod';
import { REASON_PATTERN } from '../common/unsafe-text';

/** The stable reason vocabulary of protocol v1. `process:` and `custom:` take a name after the colon. */
export const REASONS = [
  'user_input',
  'gpu_active',
  'power_request',
  'cpu_load',
  'network_active',
  'session_active',
  'user_block',
  'starting',
] as const;
export const REASON_PREFIXES = ['process', 'custom'] as const;

export type KnownReason = (typeof REASONS)[number] | `${(typeof REASON_PREFIXES)[number]}:${string}`;

/**
 * Any reason a v1 agent may send: a known word, `process:<name>`, `custom:<name>`, or a word a newer agent
 * introduced (lowercase, optionally with `:<detail>`). Hosts treat an unrecognised reason as "not idle".
 */
export { REASON_PATTERN };

export const ReasonSchema = z
  .string()
  .max(200)
  .regex(
    REASON_PATTERN,
    'must be a lowercase reason word, optionally followed by ":<name>", without control characters',
  );

export type Reason = z.infer<typeof ReasonSchema>;

/** True for reasons of the v1 vocabulary (as opposed to words from a newer agent). */
export function isKnownReason(reason: string): reason is KnownReason {
  if ((REASONS as readonly string[]).includes(reason)) return true;
  const colon = reason.indexOf(':');
  return (
    colon > 0 &&
    (REASON_PREFIXES as readonly string[]).includes(reason.slice(0, colon)) &&
    reason.length > colon + 1
  );
}
