/**
 * `proxmox-sleep-agent` as shipped with the tray: the daemon's command line (status, check, block,
 * hibernate, shutdown …) with two differences for desktops:
 *   - `notify` hands the pre-sleep warning to the tray (notice file + acknowledgement) and falls back to
 *     terminals only when no tray answered;
 *   - `power-requests` is the Windows SYSTEM task: it writes the parsed `powercfg /requests` next to the
 *     status file for the tray, which runs as the user and may not call powercfg.
 * It runs under Node (Electron with ELECTRON_RUN_AS_NODE, see installer/*), never loads Electron.
 */
import { CommanderError, InvalidArgumentError, type Command } from 'commander';
import { ConfigError, EXIT, errorMessage, formatProblem } from '../../../common/errors';
import { NotifyArgsSchema } from '../../../protocol/commands';
import { runNotify } from '../../core/commands';
import { replyLine } from '../../daemon/agent-setup';
import { compose, type Edges } from '../../daemon/compose';
import { loadContext, type GlobalOptions } from '../../daemon/context';
import type { AgentIo } from '../../daemon/io';
import { buildAgentProgram } from '../../daemon/program';
import { lazyRunner } from '../../platform/shared/commands';
import { createPowercfgProbe } from '../../platform/windows/powercfg-requests';
import { pathLookup } from '../main/compose-tray';
import { createTrayNotifier } from '../notice/tray-notifier';
import { powerRequestsFile } from '../power-requests/snapshot';
import { runPowerRequestsWatch } from '../power-requests/writer';

const positiveSeconds = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 3600) throw new InvalidArgumentError('must be 1–3600 seconds');
  return n;
};

function overrideNotify(
  program: Command,
  io: AgentIo,
  setExit: (code: number) => void,
  edges?: Partial<Edges>,
) {
  const notify = program.commands.find((c) => c.name() === 'notify');
  if (!notify) throw new Error('the agent program has no notify command');
  notify
    .description(
      'warn the desktop user that this guest is about to be suspended (through the tray; else terminals)',
    )
    .action(async (options: { message: string; seconds: string }, command: Command) => {
      const args = NotifyArgsSchema.safeParse({
        message: options.message,
        seconds: /^\d+$/.test(options.seconds) ? Number(options.seconds) : NaN,
      });
      if (!args.success) {
        const field = String(args.error.issues[0]?.path[0] ?? 'arguments');
        await io.stdout(
          replyLine({ success: false, message: `--${field}: ${args.error.issues[0]?.message ?? 'invalid'}` }),
        );
        setExit(EXIT.usage);
        return;
      }
      const ctx = await loadContext(command.optsWithGlobals<GlobalOptions>(), io, 'info');
      const fallback =
        ctx.os === 'linux'
          ? compose(ctx.config, ctx.os, { clock: io.clock, logger: ctx.logger, env: io.env, ...edges })
              .notifier
          : null;
      const notifier = createTrayNotifier({ statusFile: ctx.config.statusFile, clock: io.clock, fallback });
      const reply = await runNotify(args.data.message, args.data.seconds, { notifier, logger: ctx.logger });
      await io.stdout(replyLine(reply));
      setExit(reply.success ? EXIT.ok : EXIT.failure);
    });
}

function registerPowerRequests(
  program: Command,
  io: AgentIo,
  setExit: (code: number) => void,
  edges?: Partial<Edges>,
) {
  program
    .command('power-requests')
    .description(
      'Windows, as SYSTEM: write `powercfg /requests` (parsed) every interval for the tray (system\\power-requests.json next to the status file)',
    )
    .option('--once', 'write one snapshot and exit')
    .option('--out <file>', 'where to write (default: system/power-requests.json next to the status file)')
    .option('--interval <seconds>', 'seconds between snapshots (default: intervalSeconds)', positiveSeconds)
    .action(async (options: { once?: boolean; out?: string; interval?: number }, command: Command) => {
      const ctx = await loadContext(command.optsWithGlobals<GlobalOptions>(), io);
      const file = options.out ?? powerRequestsFile(ctx.config.statusFile);
      const probe = createPowercfgProbe({
        run: edges?.run ?? lazyRunner({ timeoutMs: 10_000 }),
        findOnPath: edges?.findOnPath ?? pathLookup(io.platform, io.env.PATH ?? io.env.Path ?? ''),
      });
      ctx.logger.info(`writing ${file} every ${options.interval ?? ctx.config.intervalSeconds}s`);
      await runPowerRequestsWatch({
        probe,
        file,
        intervalSeconds: options.interval ?? ctx.config.intervalSeconds,
        clock: io.clock,
        logger: ctx.logger,
        signal: io.shutdown,
        maxTicks: options.once ? 1 : undefined,
      });
      setExit(EXIT.ok);
    });
}

export function buildTrayAgentProgram(
  io: AgentIo,
  setExit: (code: number) => void,
  edges?: Partial<Edges>,
): Command {
  const program = buildAgentProgram(io, setExit, edges);
  overrideNotify(program, io, setExit, edges);
  registerPowerRequests(program, io, setExit, edges);
  program.addHelpText('after', 'Tray package: notify goes through the tray; see docs/tray.md');
  return program;
}

/** Runs the CLI and returns the exit code (the daemon's conventions: 64 usage, 78 configuration). */
export async function runTrayAgentCli(argv: string[], io: AgentIo, edges?: Partial<Edges>): Promise<number> {
  let code: number = EXIT.ok;
  const program = buildTrayAgentProgram(io, (c) => (code = c), edges);
  try {
    await program.parseAsync(argv);
    return code;
  } catch (e) {
    if (e instanceof CommanderError)
      return ['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(e.code)
        ? EXIT.ok
        : EXIT.usage;
    if (e instanceof ConfigError) {
      for (const p of e.problems) io.stderr(`${formatProblem(p)}\n`);
      return EXIT.config;
    }
    io.stderr(`proxmox-sleep-agent: ${errorMessage(e)}\n`);
    return EXIT.failure;
  }
}
