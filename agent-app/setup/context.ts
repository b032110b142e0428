/** Loads what every command needs: the configuration (with CLI overrides), the OS and a logger. */
import { formatText, formatJson, createLogger, type Level, type Logger } from '../../common/log';
import { loadAgentConfig, type AgentConfig } from '../core/config';
import { agentOs, type AgentOs } from '../core/paths';
import type { AgentIo } from './io';

export interface GlobalOptions {
  config?: string;
  statusFile?: string;
  stateDir?: string;
}

export interface Context {
  config: AgentConfig;
  configFile: string | null;
  os: AgentOs;
  logger: Logger;
}

const ORDER: Level[] = ['debug', 'info', 'warn', 'error'];

/** `minimum` raises the level for one-shot commands, whose stderr should stay quiet. */
export async function loadContext(
  globals: GlobalOptions,
  io: AgentIo,
  minimum: Level = 'debug',
): Promise<Context> {
  const os = agentOs(io.platform);
  const file = globals.config ?? io.env.PROXMOX_SLEEP_AGENT_CONFIG;
  const loaded = await loadAgentConfig({ file, os });
  const config: AgentConfig = {
    ...loaded.config,
    statusFile: globals.statusFile ?? loaded.config.statusFile,
    stateDir: globals.stateDir ?? loaded.config.stateDir,
  };
  const level = ORDER[Math.max(ORDER.indexOf(config.log.level), ORDER.indexOf(minimum))];
  const format = config.log.format === 'json' ? formatJson : formatText;
  const logger = createLogger('agent', {
    sink: (record) => io.stderr(`${format(record)}\n`),
    levels: { '': level },
    now: () => io.clock.now(),
  });
  return { config, configFile: loaded.file, os, logger };
}
