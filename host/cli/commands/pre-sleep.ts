import type { Command } from 'commander';
import type { GlobalOptions, RegisterCommand } from '../io';
import type { SequenceOptions } from '../actions/sequence';

export const register: RegisterCommand = (program, io, setExit) => {
  program
    .command('pre-sleep')
    .description(
      'put every guest to sleep before a suspend (the sleep hook unit runs this; exit 0 unless PRE_SLEEP_NONBLOCKING=0)',
    )
    .option('--dry-run', 'print the plan and change nothing')
    .option(
      '--hook',
      'run as the sleep hook unit (ExecStart): when this tool already owns the suspend, only take note',
    )
    .addHelpText(
      'after',
      `
Leaves the run in the "suspend" phase: \`post-wake\` (the hook's ExecStop) brings the guests back. If no suspend
follows within 10 minutes of awake time, the next \`tick\` brings them back. PRE_SLEEP_NONBLOCKING=1 (default)
exits 0 even when a guest failed, so a suspend is never held up; \`hibernate\` reports the real result.`,
    )
    .action(async (options: SequenceOptions, command: Command) => {
      const { preSleep } = await import('../actions/sequence');
      setExit(await preSleep(io, command.optsWithGlobals<GlobalOptions>(), options));
    });
};
