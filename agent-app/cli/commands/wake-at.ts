/** `wake-at <time> | --off`: sets or clears the user's wake time, which the status reports as next_wake_at. */
import type { Command } from 'commander';
import { EXIT } from '../../../common/errors';
import { applySetting } from '../../core/apply-setting';
import { WAKE_AT_SETTING, type WakeAtRequest } from '../../core/wake/wake-at';
import { createWakeStore } from '../../core/wake/wake-store';
import { replyLine, settingExitCode } from '../reply-line';
import { loadContext, type GlobalOptions } from '../../setup/context';
import type { AgentIo } from '../../setup/io';

interface WakeAtOptions {
  off?: boolean;
  source: string;
}

/** The request checked against the protocol, or why not (answered with exit 64). */
async function wakeAtRequest(
  time: string | undefined,
  options: WakeAtOptions,
): Promise<WakeAtRequest | string> {
  // Loaded on use: the resident daemon never needs the protocol's schemas.
  const { WakeAtArgsSchema } = await import('../../../protocol/wake');
  const chosen = [time === undefined ? null : { at: time }, options.off ? { off: true } : null].filter(
    (c) => c !== null,
  );
  if (chosen.length !== 1) return 'give exactly one of a time or --off';
  const args = WakeAtArgsSchema.safeParse(chosen[0]);
  return args.success ? args.data : `time: ${args.error.issues[0]?.message ?? 'invalid'}`;
}

export function registerWakeAt(program: Command, io: AgentIo, setExit: (code: number) => void): void {
  program
    .command('wake-at')
    .description(
      'ask the host to have this guest awake at a time: wake-at 07:00 | 2026-12-24T06:30, or --off',
    )
    .argument('[time]', 'a local time (07:00 = the next 07:00), "YYYY-MM-DD HH:MM" or an ISO time')
    .option('--off', 'clear the wake time')
    .option('--source <name>', 'who sets it, shown by check', 'cli')
    .action(async (time: string | undefined, options: WakeAtOptions, command: Command) => {
      const request = await wakeAtRequest(time, options);
      if (typeof request === 'string') {
        await io.stdout(replyLine({ success: false, message: request }));
        setExit(EXIT.usage);
        return;
      }
      const ctx = await loadContext(command.optsWithGlobals<GlobalOptions>(), io, 'warn');
      const store = createWakeStore(ctx.config.stateDir);
      const source = options.source.slice(0, 64);
      const outcome = await applySetting(WAKE_AT_SETTING, store, request, {
        now: io.clock.now(),
        source,
        logger: ctx.logger,
      });
      await io.stdout(replyLine(outcome.reply));
      setExit(settingExitCode(outcome));
    });
}
