import type { Command } from 'commander';
import type { GlobalOptions, RegisterCommand } from '../io';

export const register: RegisterCommand = (program, io, setExit) => {
  program
    .command('validate')
    .description('check the configuration and list every problem with file:line (exit 0 valid, 78 invalid)')
    .option('--no-guest-check', 'do not ask qm/pct whether the configured guests exist')
    .action(async (options: { guestCheck: boolean }, command: Command) => {
      const { validate } = await import('../actions/config');
      setExit(await validate(io, command.optsWithGlobals<GlobalOptions>(), options));
    });
};
