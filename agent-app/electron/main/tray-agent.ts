/**
 * The tray's agent: the tray composition (composeTray) assembled as the daemon's is, a status writer that
 * remembers its last failure, and the history the status window draws.
 */
import * as path from 'path';
import type { Clock } from '../../../common/clock';
import { errorMessage } from '../../../common/errors';
import type { Logger } from '../../../common/log';
import type { Reply } from '../../../protocol/commands';
import type { Status } from '../../../protocol/status';
import { maxObservationGapMs, type Agent } from '../../core/agent';
import type { BlockRequest } from '../../core/block';
import type { AgentConfig } from '../../core/config';
import { createStatusWriter, type StatusWriter } from '../../core/status-writer';
import { WAKE_FILE } from '../../core/wake/wake-store';
import { assembleAgent } from '../../setup/agent-setup';
import type { StatusSnapshot } from '../ipc-channels';
import { presetRequest, type BlockPreset } from '../shared/block-presets';
import { trayState } from '../shared/describe';
import { historyBands, recordSample, type HistorySample } from '../shared/history';
import { composeTray, type TrayComposition, type TrayEdges } from './compose-tray';

export interface TrayAgent {
  readonly agent: Agent;
  readonly composition: TrayComposition;
  /** The block store's file (watched: the CLI changes it too). */
  readonly blockFile: string;
  /** The user's wake-at file (watched: the CLI changes it). */
  readonly wakeFile: string;
  snapshot(): StatusSnapshot;
  /** Adds a published status to the history. */
  record(status: Status): void;
  writeError(): string | null;
  setBlock(request: BlockRequest, source: string): Promise<Reply>;
  setPreset(preset: BlockPreset, source: string): Promise<Reply>;
}

/** Wraps the status writer to remember the last failure for the tray and the status window. */
function trackingWriter(inner: StatusWriter): StatusWriter & { lastError(): string | null } {
  let error: string | null = null;
  return {
    file: inner.file,
    lastError: () => error,
    async write(status) {
      try {
        await inner.write(status);
        error = null;
      } catch (e) {
        error = errorMessage(e);
        throw e;
      }
    },
  };
}

export async function startTrayAgent(config: AgentConfig, edges: TrayEdges): Promise<TrayAgent> {
  const { clock, logger } = edges;
  const composition = composeTray(config, edges);
  logger.info(
    `started (${composition.session} session): status ${config.statusFile} every ${config.intervalSeconds}s`,
  );
  const writer = trackingWriter(createStatusWriter(config.statusFile, edges.platform));
  const { agent, start } = await assembleAgent(config, composition, { clock, logger }, writer);
  const maxGapMs = maxObservationGapMs(start.intervalSeconds, start.checkTimeoutMs);
  let samples: HistorySample[] = [];
  const setBlock = (request: BlockRequest, source: string) => changeBlock(agent, logger, request, source);
  return {
    agent,
    composition,
    blockFile: start.blockStore.file,
    wakeFile: path.join(config.stateDir, WAKE_FILE),
    snapshot: () => snapshotOf(agent, samples, clock, maxGapMs, config.statusFile, writer.lastError()),
    record(status) {
      const now = clock.now();
      samples = recordSample(samples, { at: now, state: trayState(status, status.block, now) });
    },
    writeError: () => writer.lastError(),
    setBlock,
    setPreset: (preset, source) => setBlock(presetRequest(preset, clock.now()), source),
  };
}

async function changeBlock(
  agent: Agent,
  logger: Logger,
  request: BlockRequest,
  source: string,
): Promise<Reply> {
  const reply = await agent.setBlock(request, source);
  if (!reply.success) logger.warn(`block from ${source} refused: ${reply.message}`);
  return reply;
}

function snapshotOf(
  agent: Agent,
  samples: readonly HistorySample[],
  clock: Clock,
  maxGapMs: number,
  statusFile: string,
  writeError: string | null,
): StatusSnapshot {
  const now = clock.now();
  return { status: agent.status, history: historyBands(samples, now, maxGapMs), now, statusFile, writeError };
}
