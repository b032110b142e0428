import type { Command } from 'commander';
import type { GlobalOptions, RegisterCommand } from '../io';

export const register: RegisterCommand = (program, io, setExit) => {
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
      const { daemon } = await import('../actions/monitor');
      setExit(await daemon(io, command.optsWithGlobals<GlobalOptions>(), options));
    });
};
