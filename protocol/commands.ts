import { z } from 'zod';
import { DoctorReportSchema } from './doctor';
import { StatusSchema } from './status';
import { safeText } from './text';
import { WakeAtArgsSchema } from './wake';

/** The one reply envelope every agent command answers with, as a single JSON line. */
export const ReplySchema = z.object({
  success: z.boolean(),
  message: safeText(1000),
});
export type Reply = z.infer<typeof ReplySchema>;

/** `block` takes exactly one of: a duration, an end time, indefinitely, or off. */
export const BlockArgsSchema = z.union([
  z.object({ for: safeText(32, 1) }),
  z.object({ until: safeText(40, 1) }),
  z.object({ indefinitely: z.literal(true) }),
  z.object({ off: z.literal(true) }),
]);

export const NotifyArgsSchema = z.object({
  message: safeText(500, 1),
  seconds: z.number().int().min(0).max(3600),
});

const NoArgs = z.object({});

/** Every agent command: its arguments and its response. The agent CLI and the host both use this map. */
export const Commands = {
  status: { args: NoArgs, response: StatusSchema },
  hibernate: { args: NoArgs, response: ReplySchema },
  shutdown: { args: NoArgs, response: ReplySchema },
  notify: { args: NotifyArgsSchema, response: ReplySchema },
  block: { args: BlockArgsSchema, response: ReplySchema },
  doctor: { args: NoArgs, response: DoctorReportSchema },
  'wake-at': { args: WakeAtArgsSchema, response: ReplySchema },
} as const;

export type CommandName = keyof typeof Commands;
export type CommandArgs<C extends CommandName> = z.infer<(typeof Commands)[C]['args']>;
export type CommandResponse<C extends CommandName> = z.infer<(typeof Commands)[C]['response']>;
export const COMMAND_NAMES = Object.keys(Commands) as CommandName[];
