/** The tray's configuration, or a dialog that says why there is none (the tray has no terminal). */
import { dialog } from 'electron';
import { ConfigError, errorMessage, formatProblem } from '../../../common/errors';
import type { Logger } from '../../../common/log';
import { loadAgentConfig, type AgentConfig } from '../../core/config';
import { agentOs } from '../../core/paths';

export interface ConfigSource {
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  /** Replaces reading the file (tests). */
  loadConfig?: () => Promise<AgentConfig>;
}

/** Null when the configuration cannot be used; the problems are logged and shown. */
export async function loadConfigOrExplain(source: ConfigSource, logger: Logger): Promise<AgentConfig | null> {
  try {
    if (source.loadConfig) return await source.loadConfig();
    const file = source.env.PROXMOX_SLEEP_AGENT_CONFIG;
    return (await loadAgentConfig({ file, os: agentOs(source.platform) })).config;
  } catch (e) {
    const text =
      e instanceof ConfigError
        ? e.problems.map(formatProblem).join('\n')
        : `cannot load the configuration: ${errorMessage(e)}`;
    logger.error(text);
    dialog.showErrorBox('Proxmox Sleep Agent cannot start', `${text}\n\nSee docs/tray.md (configuration).`);
    return null;
  }
}
