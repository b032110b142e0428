import type { Command } from 'commander';
import { EXIT } from '../../common/errors';
import { duration } from '../policy';
import type { GlobalOptions, Io } from '../io';
import { tick } from '../observe/monitor';
import { prepare } from './monitor-common';

export const TICK_HELP = `
One monitor step, for cron: observe every guest and the host, advance the idle timers (kept in the state
directory) and, when everything has been idle long enough, run the sleep sequence: warn the guests'
agents (PRE_SLEEP_WARNING_SECONDS) and check again, then pre-sleep, \`systemctl suspend\`, and post-wake
once the host is back. A sleep sequence that was interrupted (kill -9, power loss) is finished first.`;

export function registerTick(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('tick')
    .description(
      'one monitor step for cron: evaluate, advance the idle timers, run the sleep sequence when due (exit 0; 78 invalid configuration)',
    )
    .option('--dry-run', 'evaluate and advance the timers, but never start the sleep sequence')
    .addHelpText('after', TICK_HELP)
    .action(async (options: { dryRun?: boolean }, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const prepared = await prepare(io, globals, { strict: true, logToFile: true });
      try {
        const result = await tick(prepared.loaded.config, prepared.wired, { dryRun: options.dryRun });
        const v = result.decision.verdict;
        if (globals.json) {
          io.stdout(
            `${JSON.stringify(
              {
                idle: v.idleNow,
                sleep_due: v.sleepDue,
                countdown_seconds: v.countdownSeconds,
                awake_reasons: result.decision.reasons,
                sequence: result.sequence,
                recovered: result.recovered,
              },
              null,
              2,
            )}\n`,
          );
        } else if (v.sleepDue) {
          io.stdout(`sleep was due${result.sequence ? `: ${result.sequence.detail}` : ''}\n`);
        } else if (v.countdownSeconds !== null) {
          io.stdout(`idle: sleep in ${duration(v.countdownSeconds)}\n`);
        } else {
          io.stdout(`awake: ${result.decision.reasons.join('; ') || 'auto-sleep is disabled'}\n`);
        }
        setExit(EXIT.ok);
      } finally {
        prepared.wired.close();
      }
    });
}
