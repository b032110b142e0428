/**
 * `check`: one evaluation explained for people: every check, its state and why, then the checks left out
 * (`n/a`: no such probe here) with the reason, e.g. which input idle sources were tried. Exit 0 idle, 1 not.
 */
import type { Command } from 'commander';
import { EXIT } from '../../../common/errors';
import { describeWake } from '../../core/wake/wake-request';
import { setUpAgent } from '../../setup/agent-setup';
import type { Edges } from '../../setup/compose';
import { loadContext, type GlobalOptions } from '../../setup/context';
import type { AgentIo } from '../../setup/io';

export function registerCheck(
  program: Command,
  io: AgentIo,
  setExit: (code: number) => void,
  edges?: Partial<Edges>,
): void {
  program
    .command('check')
    .description(
      'evaluate once and explain every check (does not write the status file); exit 0 idle, 1 active',
    )
    .action(async (_options: unknown, command: Command) => {
      const ctx = await loadContext(command.optsWithGlobals<GlobalOptions>(), io, 'warn');
      const agent = await setUpAgent(ctx, io, { write: false, edges });
      let status;
      try {
        status = await agent.evaluate();
      } finally {
        await agent.close();
      }
      const rows = [...status.checks, ...agent.unavailable.map((c) => ({ ...c, state: 'n/a' }))];
      const width = Math.max(6, ...rows.map((c) => c.name.length));
      const lines = rows.map((c) => `${c.name.padEnd(width)}  ${c.state.padEnd(7)}  ${c.detail}`);
      if (status.block.active)
        lines.push(
          `${'block'.padEnd(width)}  active   until ${status.block.until ?? 'cleared'} (${status.block.source ?? '?'})`,
        );
      if (agent.wake)
        lines.push(`${'wake'.padEnd(width)}  at       ${describeWake(agent.wake, io.clock.now())}`);
      lines.push(
        '',
        status.idle ? `IDLE (idle for ${status.idle_seconds}s)` : `ACTIVE: ${status.reasons.join(', ')}`,
      );
      await io.stdout(`${lines.join('\n')}\n`);
      setExit(status.idle ? EXIT.ok : EXIT.failure);
    });
}
