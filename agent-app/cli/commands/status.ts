/**
 * `status`: exactly one protocol-v1 document on stdout (what the host's qga-exec transport calls).
 * When the daemon's status file is fresh (written within two intervals plus 5 s, since this boot, and
 * valid), it is printed, with the block as it stands now. Otherwise the command evaluates once itself,
 * writes the status file when it may, and prints that; its idle_seconds then only continues a streak the
 * previous document recorded within the same window, so it never claims time nobody observed.
 */
import type { Command } from 'commander';
import { EXIT } from '../../../common/errors';
import type { Status } from '../../../protocol/status';
import { MAX_STATUS_BYTES } from '../../../protocol/version';
import { blockState } from '../../core/block';
import { createBlockStore } from '../../core/block-store';
import { withBlock } from '../../core/status-builder';
import { readFileCapped } from '../../../common/atomic-file';
import { bootTimeMs } from '../../core/agent-start';
import { isFresh } from '../../core/status-writer';
import { setUpAgent } from '../../setup/agent-setup';
import { asciiJsonLine } from '../reply-line';
import { loadContext, type GlobalOptions } from '../../setup/context';
import type { Edges } from '../../setup/compose';
import type { AgentIo } from '../../setup/io';

/** The daemon's document when it is fresh enough to stand for "now", else null. */
export async function freshStatus(file: string, now: number, bootTime: number): Promise<Status | null> {
  let bytes: Buffer;
  try {
    bytes = await readFileCapped(file, MAX_STATUS_BYTES);
  } catch {
    return null;
  }
  // Loaded here, not at start-up: the resident daemon never needs the protocol's zod schemas.
  const { safeParseStatus } = await import('../../../protocol/parse');
  const parsed = safeParseStatus(bytes);
  if (!parsed.ok) return null;
  const status = parsed.value;
  const writtenAt = Date.parse(status.written_at);
  if (writtenAt < bootTime || !isFresh(writtenAt, status.interval_seconds, now)) return null;
  return status;
}

export function registerStatus(
  program: Command,
  io: AgentIo,
  setExit: (code: number) => void,
  edges?: Partial<Edges>,
): void {
  program
    .command('status')
    .description(
      "print this guest's status as one protocol-v1 JSON document (the daemon's if fresh, else one evaluation)",
    )
    .action(async (_options: unknown, command: Command) => {
      const ctx = await loadContext(command.optsWithGlobals<GlobalOptions>(), io, 'warn');
      const { config, logger } = ctx;
      const now = io.clock.now();
      const block = blockState(await createBlockStore(config.stateDir, (m) => logger.warn(m)).read(), now);
      const daemon = await freshStatus(config.statusFile, now, bootTimeMs(now));
      let status: Status;
      if (daemon) {
        const same = daemon.block.active === block.active && daemon.block.until === block.until;
        status = same ? daemon : withBlock(daemon, block);
      } else {
        const agent = await setUpAgent(ctx, io, { write: true, edges });
        try {
          status = await agent.evaluate();
        } finally {
          await agent.close();
        }
      }
      // ASCII: guest exec (TRANSPORT=qga-exec) hands the output over as Latin-1 (asciiJsonLine).
      await io.stdout(asciiJsonLine(status));
      setExit(EXIT.ok);
    });
}
