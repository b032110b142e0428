/** `block --for 1h | --until 23:00 | --indefinitely | --off`: sets or clears the persisted override. */
import type { Command } from 'commander';
import { EXIT } from '../../../common/errors';
import { applyBlock } from '../../core/apply-block';
import type { BlockRequest } from '../../core/block';
import { createBlockStore } from '../../core/block-store';
import { replyLine, settingExitCode } from '../reply-line';
import { loadContext, type GlobalOptions } from '../../setup/context';
import type { AgentIo } from '../../setup/io';

interface BlockOptions {
  for?: string;
  until?: string;
  indefinitely?: boolean;
  off?: boolean;
}

export function registerBlock(program: Command, io: AgentIo, setExit: (code: number) => void): void {
  program
    .command('block')
    .description('keep this guest awake: --for 1h | --until 23:00 | --indefinitely, or --off to clear')
    .option('--for <duration>', 'for a duration: 30m, 1h, 1h30m, 2d')
    .option(
      '--until <time>',
      'until a local time (23:00 = the next 23:00), "YYYY-MM-DD HH:MM" or an ISO time',
    )
    .option('--indefinitely', 'until cleared with --off')
    .option('--off', 'clear the block')
    .option('--source <name>', 'who sets it, shown in the status', 'cli')
    .action(async (options: BlockOptions & { source: string }, command: Command) => {
      const chosen = (['for', 'until', 'indefinitely', 'off'] as const).filter(
        (k) => options[k] !== undefined,
      );
      const { BlockArgsSchema } = await import('../../../protocol/commands');
      const raw = chosen.length === 1 ? { [chosen[0]]: options[chosen[0]] } : null;
      const args = raw === null ? null : BlockArgsSchema.safeParse(raw);
      if (args === null || !args.success) {
        await io.stdout(
          replyLine({
            success: false,
            message: 'give exactly one of --for, --until, --indefinitely or --off',
          }),
        );
        setExit(EXIT.usage);
        return;
      }
      const ctx = await loadContext(command.optsWithGlobals<GlobalOptions>(), io, 'warn');
      const outcome = await applyBlock(
        createBlockStore(ctx.config.stateDir),
        args.data as BlockRequest,
        io.clock.now(),
        options.source.slice(0, 64),
        ctx.logger,
      );
      await io.stdout(replyLine(outcome.reply));
      setExit(settingExitCode(outcome));
    });
}
