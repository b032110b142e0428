import { z } from 'zod';
import { ReasonSchema } from './reasons';
import { safeText } from './text';
import { PROTOCOL_VERSION } from './version';
import { NextWakeAtSchema } from './wake';

const Timestamp = z.iso.datetime({ offset: true });
const Seconds = z
  .number()
  .finite()
  .min(0)
  .max(10 * 365 * 24 * 3600);

export const CHECK_STATES = ['active', 'idle', 'unknown'] as const;
export const CheckStateSchema = z.enum(CHECK_STATES);
export type CheckState = z.infer<typeof CheckStateSchema>;

export const AgentInfoSchema = z.object({
  version: safeText(64, 1),
  os: z.enum(['windows', 'linux', 'macos']),
  variant: z.enum(['tray', 'daemon']),
  hostname: safeText(255),
});

export const BlockStateSchema = z.object({
  active: z.boolean(),
  /** When the block ends by itself; null when it has no end (or is not active). */
  until: Timestamp.nullable(),
  /** Who set it: "tray", "cli", "notification" … */
  source: safeText(64).nullable(),
});

export const DetailsSchema = z.object({
  user_idle_seconds: Seconds.nullable().optional(),
  /** Where the input idle time came from, e.g. "xscreensaver", "mutter", "logind", "electron". */
  user_idle_source: safeText(32).nullable().optional(),
  gpu_percent: z.number().finite().min(0).max(100).nullable().optional(),
  power_requests: z.array(safeText(200)).max(64).optional(),
  active_processes: z.array(safeText(128)).max(64).optional(),
  load_average: z.number().finite().min(0).max(100000).nullable().optional(),
  network_kbps: z.number().finite().min(0).max(1e9).nullable().optional(),
  sessions: z.number().int().min(0).max(100000).nullable().optional(),
});

export const CheckResultSchema = z.object({
  name: safeText(64, 1),
  state: CheckStateSchema,
  detail: safeText(500),
});

const StatusObject = z.object({
  schema: z.literal(PROTOCOL_VERSION),
  agent: AgentInfoSchema,
  /** +1 on every write; the host uses it to detect a frozen agent. */
  seq: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  written_at: Timestamp,
  interval_seconds: z.number().int().min(1).max(3600),
  idle: z.boolean(),
  /** How long the guest has been continuously idle; 0 while active. */
  idle_seconds: Seconds,
  /** The first blocking reason; null when idle. */
  reason: ReasonSchema.nullable(),
  reasons: z.array(ReasonSchema).max(64),
  block: BlockStateSchema,
  details: DetailsSchema,
  checks: z.array(CheckResultSchema).max(64),
  /** The guest's next wake request (v1.1); see protocol/wake.ts. */
  next_wake_at: NextWakeAtSchema,
});

/** Status v1 as the agent writes it. Unknown fields (from newer minor revisions) are accepted and dropped. */
export const StatusSchema = StatusObject.superRefine((s, ctx) => {
  if (s.idle) {
    if (s.reason !== null)
      ctx.addIssue({ code: 'custom', path: ['reason'], message: 'must be null when idle is true' });
    if (s.reasons.length > 0)
      ctx.addIssue({ code: 'custom', path: ['reasons'], message: 'must be empty when idle is true' });
    if (s.block.active)
      ctx.addIssue({ code: 'custom', path: ['block', 'active'], message: 'a blocked guest cannot be idle' });
  } else {
    if (s.reason === null)
      ctx.addIssue({ code: 'custom', path: ['reason'], message: 'must name a reason when idle is false' });
    else if (!s.reasons.includes(s.reason))
      ctx.addIssue({ code: 'custom', path: ['reasons'], message: 'must include the value of reason' });
    if (s.idle_seconds !== 0)
      ctx.addIssue({ code: 'custom', path: ['idle_seconds'], message: 'must be 0 when idle is false' });
    if (s.block.active && !s.reasons.includes('user_block'))
      ctx.addIssue({
        code: 'custom',
        path: ['reasons'],
        message: 'must include "user_block" while block.active is true',
      });
  }
});

export type Status = z.infer<typeof StatusSchema>;
export type AgentInfo = z.infer<typeof AgentInfoSchema>;
export type BlockState = z.infer<typeof BlockStateSchema>;
export type StatusDetails = z.infer<typeof DetailsSchema>;
export type CheckResult = z.infer<typeof CheckResultSchema>;
