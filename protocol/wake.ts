import { z } from 'zod';
import { safeText } from './text';
import { inWakeWindow } from './wake-window';

const WakeTime = z.iso
  .datetime({ offset: true })
  .max(40)
  .refine((text) => inWakeWindow(Date.parse(text)), 'must be a time between the years 2000 and 2099');

/**
 * `next_wake_at`: when the guest next wants to be awake (its earliest wake timer or `wake-at`), or null.
 * Added in v1.1, so optional. A value that is not a bounded ISO time with an offset reads as null (no
 * request) instead of refusing the document: a bad wake time must not cost the guest its idle verdict.
 */
export const NextWakeAtSchema = WakeTime.nullable().catch(null).optional();

/** `wake-at` takes exactly one of: a time (`07:00`, `2026-12-24T06:30`, an ISO time) or off. */
export const WakeAtArgsSchema = z.union([
  z.object({ at: safeText(40, 1) }),
  z.object({ off: z.literal(true) }),
]);
