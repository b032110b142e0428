import type { Command } from 'commander';
import type { GlobalOptions, RegisterCommand } from '../io';

export const register: RegisterCommand = (program, io, setExit) => {
  program
    .command('config')
    .description('show the effective configuration and where each value came from (default, file:LINE, env)')
    .option('--keys', 'list every configuration key with its type, default and meaning')
    .action(async (options: { keys?: boolean }, command: Command) => {
      const { showConfig } = await import('../actions/config');
      setExit(showConfig(io, command.optsWithGlobals<GlobalOptions>(), options));
    });
};
