/**
 * `run`: the daemon loop. Writes `starting`, then a status every intervalSeconds until SIGTERM; stands by
 * while a tray writes the status file (core/tray-standby).
 */
import { mkdirSync } from 'fs';
import * as path from 'path';
import { InvalidArgumentError, type Command } from 'commander';
import { EXIT, errorMessage } from '../../../common/errors';
import { prepareStatusDir, UnsafeStatusDirError } from '../../core/status-writer';
import { WAKE_FILE } from '../../core/wake/wake-store';
import { watchFile } from '../../platform/shared/watch-file';
import { setUpAgent } from '../../setup/agent-setup';
import { loadContext, type GlobalOptions } from '../../setup/context';
import type { AgentIo } from '../../setup/io';
import type { Edges } from '../../setup/compose';

export function registerRun(
  program: Command,
  io: AgentIo,
  setExit: (code: number) => void,
  edges?: Partial<Edges>,
): void {
  program
    .command('run')
    .description(
      'run the agent: evaluate every intervalSeconds and write the status file (stops cleanly on SIGTERM)',
    )
    .option('--max-ticks <n>', 'stop after this many evaluations (testing, benchmarks)', (v) => {
      const n = Number(v);
      if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
      return n;
    })
    .action(async (options: { maxTicks?: number }, command: Command) => {
      const ctx = await loadContext(command.optsWithGlobals<GlobalOptions>(), io);
      const { config, logger } = ctx;
      try {
        await prepareStatusDir(config.statusFile, io.platform);
      } catch (e) {
        logger.error(`cannot use ${config.statusFile}: ${errorMessage(e)}`);
        setExit(e instanceof UnsafeStatusDirError ? EXIT.config : EXIT.failure);
        return;
      }
      const agent = await setUpAgent(ctx, io, { write: true, yieldToTray: true, edges });
      logger.info(
        `started: ${ctx.configFile ?? 'default configuration'}, status ${config.statusFile} every ${config.intervalSeconds}s`,
      );
      const stopWatches = [
        watchState(config.stateDir, 'block.json', () => void agent.refreshBlock()),
        watchState(config.stateDir, WAKE_FILE, () => void agent.refreshWake()),
      ];
      try {
        const ticks = await agent.run({ maxTicks: options.maxTicks, signal: io.shutdown });
        logger.info(`stopped after ${ticks} evaluation${ticks === 1 ? '' : 's'}`);
      } finally {
        for (const stop of stopWatches) stop();
        await agent.close();
      }
      setExit(EXIT.ok);
    });
}

/** Republishes promptly when `block` or `wake-at` changes a setting; the next evaluation would catch it anyway. */
function watchState(stateDir: string, name: string, onChange: () => void): () => void {
  try {
    mkdirSync(stateDir, { recursive: true, mode: 0o755 });
  } catch {
    return () => undefined;
  }
  return watchFile(path.join(stateDir, name), onChange);
}
