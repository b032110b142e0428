import type { Command } from 'commander';
import type { GlobalOptions, RegisterCommand } from '../io';
import type { SequenceOptions } from '../actions/sequence';

export const register: RegisterCommand = (program, io, setExit) => {
  program
    .command('post-wake')
    .description(
      'after a wake: stamp the wake time, then start every guest this tool stopped (the sleep hook unit runs this; exit 1 if one failed)',
    )
    .option('--dry-run', 'print the plan and change nothing')
    .option(
      '--hook',
      'run as the sleep hook unit (ExecStop): when this tool owns the suspend, only take note',
    )
    .addHelpText(
      'after',
      `
Stamps the wake and clears the idle timers first, waits WAKE_DELAY once, starts the recorded guests
(SLEEP_PARALLELISM at a time), syncs the clock of VMs back from hibernation, and keeps the record of every
guest that did not start, for \`resume\`.`,
    )
    .action(async (options: SequenceOptions, command: Command) => {
      const { postWake } = await import('../actions/sequence');
      setExit(await postWake(io, command.optsWithGlobals<GlobalOptions>(), options));
    });
};
