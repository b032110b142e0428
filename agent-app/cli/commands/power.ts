/** `hibernate` / `shutdown`: the reply line goes out (flushed) before the OS command runs. */
import type { Command } from 'commander';
import type { PowerAction } from '../../core/commands';
import { compose, type Edges } from '../../setup/compose';
import { loadContext, type GlobalOptions } from '../../setup/context';
import type { AgentIo } from '../../setup/io';
import { replyLine } from '../reply-line';
import { runPowerAction } from '../../core/commands';

export function registerPower(
  program: Command,
  io: AgentIo,
  setExit: (code: number) => void,
  edges?: Partial<Edges>,
): void {
  const describe: Record<PowerAction, string> = {
    hibernate: 'hibernate this guest with the OS\'s own command (answers {"success","message"} first)',
    shutdown: 'shut this guest down with the OS\'s own command (answers {"success","message"} first)',
  };
  for (const action of ['hibernate', 'shutdown'] as const) {
    program
      .command(action)
      .description(describe[action])
      .action(async (_options: unknown, command: Command) => {
        const ctx = await loadContext(command.optsWithGlobals<GlobalOptions>(), io, 'info');
        const { powerActions } = compose(ctx.config, ctx.os, {
          clock: io.clock,
          logger: ctx.logger,
          env: io.env,
          ...edges,
        });
        setExit(
          await runPowerAction(action, {
            actions: powerActions,
            reply: (reply) => io.stdout(replyLine(reply)),
            logger: ctx.logger,
          }),
        );
      });
  }
}
