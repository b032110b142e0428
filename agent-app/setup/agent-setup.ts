/** Builds an agent from a composition: the same for the daemon's commands and the tray. */
import type { AgentInfo } from '../../protocol/status';
import { createAgent, type Agent } from '../core/agent';
import type { WakePlanner } from '../core/wake/planner';
import { agentStartOptions, type AgentStartOptions } from '../core/agent-start';
import type { AgentCheck } from '../core/agent-check';
import type { PowerActions } from '../core/commands';
import type { AgentConfig } from '../core/config';
import { createStatusWriter, type StatusWriter } from '../core/status-writer';
import { yieldingToTray } from '../core/tray-standby';
import { compose, type Edges } from './compose';
import type { Context } from './context';
import type { AgentIo } from './io';

export interface AgentParts {
  info: AgentInfo;
  checks: AgentCheck[];
  powerActions: PowerActions;
  /** Where the guest's next wake request comes from (wake timers, `wake-at`). */
  wake?: WakePlanner;
}

export interface AssembledAgent {
  agent: Agent;
  /** What the agent started from (timing, block store, carried-over seq and streak). */
  start: AgentStartOptions;
}

/** The agent for these parts, continuing from the status file a previous agent left; `writer` null = no file. */
export async function assembleAgent(
  config: AgentConfig,
  parts: AgentParts,
  edges: Pick<Edges, 'clock' | 'logger'>,
  writer: StatusWriter | null,
): Promise<AssembledAgent> {
  const start = await agentStartOptions(config, edges);
  const agent = createAgent({
    ...start,
    info: parts.info,
    checks: parts.checks,
    writer,
    powerActions: parts.powerActions,
    wake: parts.wake,
  });
  return { agent, start };
}

export interface SetupOptions {
  /** Write the status file (run, and status when it evaluates itself). */
  write: boolean;
  /** Leave the status file to a tray that is writing it (the resident daemon; see core/tray-standby). */
  yieldToTray?: boolean;
  edges?: Partial<Edges>;
}

/** The daemon's agent for a command (run, status, check). */
export async function setUpAgent(ctx: Context, io: AgentIo, options: SetupOptions): Promise<Agent> {
  const { config, logger } = ctx;
  const parts = compose(config, ctx.os, { clock: io.clock, logger, env: io.env, ...options.edges });
  const writer = options.write ? fileWriter(ctx, io, options.yieldToTray === true) : null;
  return (await assembleAgent(config, parts, { clock: io.clock, logger }, writer)).agent;
}

function fileWriter(ctx: Context, io: AgentIo, yieldToTray: boolean): StatusWriter {
  const writer = createStatusWriter(ctx.config.statusFile, io.platform);
  return yieldToTray ? yieldingToTray(writer, { now: () => io.clock.now(), logger: ctx.logger }) : writer;
}
