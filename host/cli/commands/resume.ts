import type { Command } from 'commander';
import type { GlobalOptions, RegisterCommand } from '../io';
import type { SequenceOptions } from '../actions/sequence';

export const register: RegisterCommand = (program, io, setExit) => {
  program
    .command('resume')
    .description('start every guest still recorded as stopped by this tool (exit 1 if one failed)')
    .option('--dry-run', 'print the plan and change nothing')
    .addHelpText(
      'after',
      '\nAlso finishes a sleep sequence that was interrupted. No wake stamp and no WAKE_DELAY: nothing woke.',
    )
    .action(async (options: SequenceOptions, command: Command) => {
      const { resume } = await import('../actions/sequence');
      setExit(await resume(io, command.optsWithGlobals<GlobalOptions>(), options));
    });
};
