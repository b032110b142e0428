/**
 * `proxmox-sleep-agent` as shipped with the tray: the daemon's command line (status, check, block,
 * hibernate, shutdown …) with two differences for desktops:
 *   - `notify` hands the pre-sleep warning to the tray (notice file + acknowledgement) and falls back to
 *     terminals only when no tray answered;
 *   - `power-requests` is the Windows SYSTEM task: it writes the parsed `powercfg /requests` next to the
 *     status file for the tray, which runs as the user and may not call powercfg.
 * It runs under Node (Electron with ELECTRON_RUN_AS_NODE, see installer/*), never loads Electron.
 */
import type { Command } from 'commander';
import { EXIT } from '../../../common/errors';
import type { NotifyVariant } from '../../cli/commands/notify';
import { compose, type Edges } from '../../setup/compose';
import type { AgentIo } from '../../setup/io';
import { buildAgentProgram } from '../../cli/program';
import { createTrayNotifier } from '../notice/tray-notifier';
import { powerRequestsCommand } from './power-requests-command';
import { runProgram } from '../../cli/run-program';

/** The tray's notify: through the tray (notice file + acknowledgement), else terminals on Linux. */
function trayNotify(io: AgentIo, edges?: Partial<Edges>): NotifyVariant {
  return {
    description:
      'warn the desktop user that this guest is about to be suspended (through the tray; else terminals)',
    notifierFor: (ctx) => {
      const fallback =
        ctx.os === 'linux'
          ? compose(ctx.config, ctx.os, { clock: io.clock, logger: ctx.logger, env: io.env, ...edges })
              .notifier
          : null;
      return createTrayNotifier({ statusFile: ctx.config.statusFile, clock: io.clock, fallback });
    },
  };
}

export function buildTrayAgentProgram(
  io: AgentIo,
  setExit: (code: number) => void,
  edges?: Partial<Edges>,
): Command {
  const program = buildAgentProgram(io, setExit, edges, trayNotify(io, edges));
  program.addCommand(powerRequestsCommand(io, setExit, edges));
  program.addHelpText('after', 'Tray package: notify goes through the tray; see docs/tray.md');
  return program;
}

/** Runs the CLI and returns the exit code (the daemon's conventions: 64 usage, 78 configuration). */
export async function runTrayAgentCli(argv: string[], io: AgentIo, edges?: Partial<Edges>): Promise<number> {
  let code: number = EXIT.ok;
  const program = buildTrayAgentProgram(io, (c) => (code = c), edges);
  return runProgram(program, argv, io, () => code);
}
