/** Runs a commander program and maps what it throws to the agent CLI's exit codes (64 usage, 78 configuration); the
 * daemon's CLI and the tray's share it. */
import { CommanderError, type Command } from 'commander';
import { ConfigError, EXIT, errorMessage, formatProblem } from '../../common/errors';
import type { AgentIo } from '../setup/io';

export async function runProgram(
  program: Command,
  argv: string[],
  io: AgentIo,
  exitCode: () => number,
): Promise<number> {
  try {
    await program.parseAsync(argv);
    return exitCode();
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
