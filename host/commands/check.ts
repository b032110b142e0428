import type { Command } from 'commander';
import { EXIT } from '../../common/errors';
import type { GlobalOptions, Io } from '../io';
import { evaluate } from '../observe/monitor';
import { checkJson, renderCheckText } from '../observe/render';
import { buildReport, prepare } from './monitor-common';

export function registerCheck(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('check')
    .description(
      'evaluate every guest and host signal once, without changing any state (exit 0 may sleep, 1 something is active, 78 invalid configuration)',
    )
    .addHelpText(
      'after',
      '\nIdle timers are not considered here: `check` answers "is everything idle right now?". Use `status` for the countdown.',
    )
    .action(async (_options: unknown, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const prepared = await prepare(io, globals, { strict: true, quiet: true });
      try {
        const evaluation = await evaluate(prepared.loaded.config, prepared.wired);
        const report = buildReport(prepared, evaluation);
        io.stdout(globals.json ? `${JSON.stringify(checkJson(report), null, 2)}\n` : renderCheckText(report));
        setExit(evaluation.decision.verdict.idleNow ? EXIT.ok : EXIT.failure);
      } finally {
        prepared.wired.close();
      }
    });
}
