/**
 * `power-requests`: what the Windows SYSTEM task runs. It writes the parsed `powercfg /requests` to
 * system\power-requests.json next to the status file every interval, for the tray, which runs as the user
 * and may not call powercfg. This process stays resident, so it loads only what it needs (no agent core,
 * no protocol schemas): main.ts starts it without the rest of the command line.
 */
import { Command, InvalidArgumentError } from 'commander';
import { EXIT } from '../../../common/errors';
import type { Edges } from '../../setup/compose';
import { loadContext, type GlobalOptions } from '../../setup/context';
import type { AgentIo } from '../../setup/io';
import { lazyRunner, pathLookup } from '../../platform/shared/commands';
import { createPowercfgProbe } from '../../platform/windows/powercfg-requests';
import { powerRequestsFile } from '../../platform/windows/power-requests-snapshot';
import { runPowerRequestsWatch } from '../../platform/windows/power-requests-writer';

const positiveSeconds = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 3600) throw new InvalidArgumentError('must be 1–3600 seconds');
  return n;
};

interface Options extends GlobalOptions {
  once?: boolean;
  out?: string;
  interval?: number;
}

export function powerRequestsCommand(
  io: AgentIo,
  setExit: (code: number) => void,
  edges?: Partial<Edges>,
): Command {
  return new Command('power-requests')
    .description(
      'Windows, as SYSTEM: write `powercfg /requests` (parsed) every interval for the tray (system\\power-requests.json next to the status file)',
    )
    .option('-c, --config <file>', 'agent configuration (as for every command)')
    .option('--status-file <file>', 'status file (the snapshot goes into system/ next to it)')
    .option('--once', 'write one snapshot and exit')
    .option('--out <file>', 'where to write (default: system/power-requests.json next to the status file)')
    .option('--interval <seconds>', 'seconds between snapshots (default: intervalSeconds)', positiveSeconds)
    .configureOutput({ writeOut: (s) => void io.stdout(s), writeErr: (s) => io.stderr(s) })
    .exitOverride()
    .action(async (_options: Options, command: Command) => {
      const options = command.optsWithGlobals<Options>();
      const ctx = await loadContext(options, io);
      const file = options.out ?? powerRequestsFile(ctx.config.statusFile);
      const intervalSeconds = options.interval ?? ctx.config.intervalSeconds;
      const probe = createPowercfgProbe({
        run: edges?.run ?? lazyRunner({ timeoutMs: 10_000 }),
        findOnPath: edges?.findOnPath ?? pathLookup(io.platform, io.env),
      });
      ctx.logger.info(`writing ${file} every ${intervalSeconds}s`);
      await runPowerRequestsWatch({
        probe,
        file,
        intervalSeconds,
        clock: io.clock,
        logger: ctx.logger,
        signal: io.shutdown,
        maxTicks: options.once ? 1 : undefined,
      });
      setExit(EXIT.ok);
    });
}
