/** `power-requests` on its own (the SYSTEM task's entry point, and the full CLI's subcommand of that name). */
import type { Edges } from '../../setup/compose';
import type { AgentIo } from '../../setup/io';
import { powerRequestsCommand } from './power-requests-command';
import { runProgram } from '../../cli/run-program';

/** argv as Node gives it; a leading `power-requests` (from the shared wrapper) is accepted and skipped. */
export function runPowerRequestsCli(argv: string[], io: AgentIo, edges?: Partial<Edges>): Promise<number> {
  const args = argv[2] === 'power-requests' ? argv.slice(3) : argv.slice(2);
  let code = 0;
  const command = powerRequestsCommand(io, (c) => (code = c), edges);
  return runProgram(command, [argv[0], 'proxmox-sleep-agent power-requests', ...args], io, () => code);
}
