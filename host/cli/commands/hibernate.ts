import type { Command } from 'commander';
import type { GlobalOptions, RegisterCommand } from '../io';
import type { SequenceOptions } from '../actions/sequence';

export const register: RegisterCommand = (program, io, setExit) => {
  program
    .command('hibernate')
    .description(
      'put every guest to sleep as pre-sleep does, without suspending the host (exit 1 if a guest failed)',
    )
    .option('--dry-run', 'print the plan and change nothing')
    .addHelpText('after', '\nThe guests stay recorded: `resume` (or the next post-wake) starts them again.')
    .action(async (options: SequenceOptions, command: Command) => {
      const { hibernate } = await import('../actions/sequence');
      setExit(await hibernate(io, command.optsWithGlobals<GlobalOptions>(), options));
    });
};
