import type { Command } from 'commander';
import type { GlobalOptions, RegisterCommand } from '../io';

export const TICK_HELP = `
One monitor step, for cron: observe every guest and the host, advance the idle timers (kept in the state
directory) and, when everything has been idle long enough, run the sleep sequence: warn the guests'
agents (PRE_SLEEP_WARNING_SECONDS) and check again, then pre-sleep, \`systemctl suspend\`, and post-wake
once the host is back. A sleep sequence that was interrupted (kill -9, power loss) is finished first.`;

export const register: RegisterCommand = (program, io, setExit) => {
  program
    .command('tick')
    .description(
      'one monitor step for cron: evaluate, advance the idle timers, run the sleep sequence when due (exit 0; 78 invalid configuration)',
    )
    .option('--dry-run', 'evaluate and advance the timers, but never start the sleep sequence')
    .addHelpText('after', TICK_HELP)
    .action(async (options: { dryRun?: boolean }, command: Command) => {
      const { tickOnce } = await import('../actions/monitor');
      setExit(await tickOnce(io, command.optsWithGlobals<GlobalOptions>(), options));
    });
};
