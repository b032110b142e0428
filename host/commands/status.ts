import type { Command } from 'commander';
import { EXIT } from '../../common/errors';
import type { GlobalOptions, Io } from '../io';
import { evaluate } from '../observe/monitor';
import { renderStatusText, statusJson } from '../observe/render';
import { readSleepSummary } from '../sequence/summary';
import { buildReport, prepare } from './monitor-common';

export function registerStatus(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('status')
    .description(
      'show why the host is awake: every guest (state, reason, idle for, sleeps in), the host checks, the countdown and the last wake',
    )
    .addHelpText(
      'after',
      '\nNever fails on a broken configuration: it says "Auto-sleep: MISCONFIGURED", lists the problems and shows what the fallback values give. Changes no state.',
    )
    .action(async (_options: unknown, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const prepared = await prepare(io, globals, { strict: false, quiet: true });
      try {
        const evaluation = await evaluate(prepared.loaded.config, prepared.wired);
        const report = buildReport(prepared, evaluation);
        report.sleep = await readSleepSummary(prepared.loaded.config.stateDir);
        report.warnings.push(...report.sleep.problems);
        io.stdout(
          globals.json ? `${JSON.stringify(statusJson(report), null, 2)}\n` : renderStatusText(report),
        );
        setExit(EXIT.ok);
      } finally {
        prepared.wired.close();
      }
    });
}
