import type { Command } from 'commander';
import type { GlobalOptions, RegisterCommand } from '../io';

export const register: RegisterCommand = (program, io, setExit) => {
  program
    .command('reset')
    .description('restart the idle countdown: every idle streak counts from now')
    .action(async (_options: unknown, command: Command) => {
      const { reset } = await import('../actions/monitor');
      setExit(await reset(io, command.optsWithGlobals<GlobalOptions>()));
    });
};
