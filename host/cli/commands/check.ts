import type { Command } from 'commander';
import type { GlobalOptions, RegisterCommand } from '../io';

export const register: RegisterCommand = (program, io, setExit) => {
  program
    .command('check')
    .description(
      'evaluate every guest and host signal once, without changing any state (exit 0 may sleep, 1 something is active, 78 invalid configuration)',
    )
    .addHelpText(
      'after',
      '\nIdle timers are not considered here: `check` answers "is everything idle right now?". Use `status` for the countdown.',
    )
    .action(async (_options: unknown, command: Command) => {
      const { check } = await import('../actions/monitor');
      setExit(await check(io, command.optsWithGlobals<GlobalOptions>()));
    });
};
