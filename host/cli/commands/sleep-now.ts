import type { Command } from 'commander';
import type { GlobalOptions, RegisterCommand } from '../io';
import type { SequenceOptions } from '../actions/sequence';

export const register: RegisterCommand = (program, io, setExit) => {
  program
    .command('sleep-now')
    .description(
      'put the guests to sleep, suspend the host, and bring the guests back after the wake (0 ok; 1 a guest failed or the host did not sleep)',
    )
    .option('--dry-run', 'print the plan and change nothing')
    .addHelpText(
      'after',
      `
Runs pre-sleep (every guest by its SLEEP_ACTION, SLEEP_PARALLELISM at a time), then \`systemctl suspend\`,
waits for the wake (the kernel's suspended time or the sleep hook's note), then post-wake. No idle check and
no pre-sleep warning: that is what \`tick\` adds.`,
    )
    .action(async (options: SequenceOptions, command: Command) => {
      const { sleepNow } = await import('../actions/sequence');
      setExit(await sleepNow(io, command.optsWithGlobals<GlobalOptions>(), options));
    });
};
