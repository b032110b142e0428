/** The `proxmox-sleep-agent` command line: global options, the commands, exit codes. Dispatch only. */
import { Command } from 'commander';
import { EXIT } from '../../common/errors';
import { version } from '../../package.json';
import { registerBlock } from './commands/block';
import { registerCheck } from './commands/check';
import { registerDoctor } from './commands/doctor';
import { registerNotify, type NotifyVariant } from './commands/notify';
import { registerPower } from './commands/power';
import { registerRun } from './commands/run';
import { registerStatus } from './commands/status';
import { registerWakeAt } from './commands/wake-at';
import type { Edges } from '../setup/compose';
import type { AgentIo } from '../setup/io';
import { runProgram } from './run-program';

export function buildAgentProgram(
  io: AgentIo,
  setExit: (code: number) => void,
  edges?: Partial<Edges>,
  notify?: NotifyVariant,
): Command {
  const program = new Command('proxmox-sleep-agent')
    .description('Proxmox Sleep Manager guest agent: tells the host whether this guest is idle and why.')
    .version(version, '-V, --version', 'print the version')
    .option(
      '-c, --config <file>',
      'agent configuration (default: $PROXMOX_SLEEP_AGENT_CONFIG, else /etc/proxmox-sleep/agent.json)',
    )
    .option('--status-file <file>', 'status file (default: statusFile from the configuration)')
    .option(
      '--state-dir <dir>',
      'state directory for the block override and the wake time (default: stateDir from the configuration)',
    )
    .showHelpAfterError('(run proxmox-sleep-agent --help for usage)')
    .configureOutput({ writeOut: (s) => void io.stdout(s), writeErr: (s) => io.stderr(s) })
    .exitOverride();
  program.addHelpText(
    'after',
    '\nExit codes: 0 success, 1 failure (check: something is active; doctor: warnings), 2 doctor found a problem, 64 usage error, 78 invalid configuration.\nDocumentation: docs/agent.md',
  );
  registerRun(program, io, setExit, edges);
  registerStatus(program, io, setExit, edges);
  registerCheck(program, io, setExit, edges);
  registerPower(program, io, setExit, edges);
  registerDoctor(program, io, setExit, edges);
  registerBlock(program, io, setExit);
  registerWakeAt(program, io, setExit);
  registerNotify(program, io, setExit, edges, notify);
  return program;
}

/** Runs the CLI and returns the exit code. */
export function runAgentCli(argv: string[], io: AgentIo, edges?: Partial<Edges>): Promise<number> {
  let code: number = EXIT.ok;
  const program = buildAgentProgram(io, (c) => (code = c), edges);
  return runProgram(program, argv, io, () => code);
}
