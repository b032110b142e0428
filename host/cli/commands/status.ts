import type { Command } from 'commander';
import type { GlobalOptions, RegisterCommand } from '../io';

export const register: RegisterCommand = (program, io, setExit) => {
  program
    .command('status')
    .description(
      'show why the host is awake: every guest (state, reason, idle for, sleeps in), the host checks, the countdown and the last wake',
    )
    .addHelpText(
      'after',
      '\nNever fails on a broken configuration: it says "Auto-sleep: MISCONFIGURED", lists the problems and shows what the fallback values give. Changes no state.',
    )
    .action(async (_options: unknown, command: Command) => {
      const { status } = await import('../actions/monitor');
      setExit(await status(io, command.optsWithGlobals<GlobalOptions>()));
    });
};
