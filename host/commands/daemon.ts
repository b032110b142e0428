import type { Command } from 'commander';
import { EXIT } from '../../common/errors';
import type { GlobalOptions, Io } from '../io';
import { runDaemon } from '../observe/daemon';
import { tick } from '../observe/monitor';
import { prepare } from './monitor-common';

export function registerDaemon(program: Command, io: Io, setExit: (code: number) => void): void {
  program
    .command('daemon')
    .description(
      'run `tick` every CHECK_INTERVAL seconds until SIGTERM/SIGINT (78 on an invalid configuration)',
    )
    .option('--max-ticks <n>', 'stop after this many checks (for tests and trials)', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1) throw new Error('--max-ticks takes a whole number ≥ 1');
      return n;
    })
    .option('--dry-run', 'never start the sleep sequence')
    .addHelpText(
      'after',
      "\nEach step is a `tick` (see `tick --help`): when sleep is due it runs the whole sleep sequence, so a step can last\nthrough the host's sleep. A sleep sequence interrupted by a crash is finished at the first step.",
    )
    .action(async (options: { maxTicks?: number; dryRun?: boolean }, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const prepared = await prepare(io, globals, { strict: true, logToFile: true });
      const { config } = prepared.loaded;
      try {
        await runDaemon({
          intervalMs: config.global.checkInterval * 1000,
          clock: prepared.wired.clock,
          log: prepared.wired.log,
          maxTicks: options.maxTicks,
          signals: process,
          tick: () => tick(config, prepared.wired, { dryRun: options.dryRun }),
        });
        setExit(EXIT.ok);
      } finally {
        prepared.wired.close();
      }
    });
}
