/**
 * `notify --message … --seconds N`: the pre-sleep warning. Headless: logged and sent to terminals; the tray's
 * program passes its own notifier.
 */
import type { Command } from 'commander';
import { EXIT } from '../../../common/errors';
import { runNotify, type Notifier } from '../../core/commands';
import { replyLine } from '../reply-line';
import { compose, type Edges } from '../../setup/compose';
import { loadContext, type Context, type GlobalOptions } from '../../setup/context';
import type { AgentIo } from '../../setup/io';

/** How a program other than the daemon's (the tray's) warns: its own description and notifier. */
export interface NotifyVariant {
  description: string;
  notifierFor: (ctx: Context) => Notifier;
}

export function registerNotify(
  program: Command,
  io: AgentIo,
  setExit: (code: number) => void,
  edges?: Partial<Edges>,
  variant?: NotifyVariant,
): void {
  const notifierFor =
    variant?.notifierFor ??
    ((ctx: Context) =>
      compose(ctx.config, ctx.os, { clock: io.clock, logger: ctx.logger, env: io.env, ...edges }).notifier);
  program
    .command('notify')
    .description(variant?.description ?? 'warn logged-in users that this guest is about to be suspended')
    .requiredOption('--message <text>', 'what to tell the users (at most 500 characters)')
    .requiredOption('--seconds <n>', 'seconds until the guest is suspended (0–3600)')
    .action(async (options: { message: string; seconds: string }, command: Command) => {
      const args = await notifyArgsOrUsage(options, io, setExit);
      if (!args) return;
      const ctx = await loadContext(command.optsWithGlobals<GlobalOptions>(), io, 'info');
      const reply = await runNotify(args.message, args.seconds, {
        notifier: notifierFor(ctx),
        logger: ctx.logger,
      });
      await io.stdout(replyLine(reply));
      setExit(reply.success ? EXIT.ok : EXIT.failure);
    });
}

/**
 * The notify options checked against the protocol. A bad value is answered with a failed reply naming the
 * option and exit 64; the result is then null.
 */
async function notifyArgsOrUsage(
  options: { message: string; seconds: string },
  io: AgentIo,
  setExit: (code: number) => void,
): Promise<{ message: string; seconds: number } | null> {
  // Loaded on use: the resident daemon never needs the command schemas.
  const { NotifyArgsSchema } = await import('../../../protocol/commands');
  const args = NotifyArgsSchema.safeParse({
    message: options.message,
    seconds: /^\d+$/.test(options.seconds) ? Number(options.seconds) : NaN,
  });
  if (args.success) return args.data;
  const field = String(args.error.issues[0]?.path[0] ?? 'arguments');
  await io.stdout(
    replyLine({ success: false, message: `--${field}: ${args.error.issues[0]?.message ?? 'invalid'}` }),
  );
  setExit(EXIT.usage);
  return null;
}
