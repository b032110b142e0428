/** Default file locations per guest OS (ARCHITECTURE §3 for the status file: a contract). */
export type AgentOs = 'linux' | 'windows' | 'macos';

export interface AgentPaths {
  statusFile: string;
  configFile: string;
  /** Persistent state (the block override); survives reboots. */
  stateDir: string;
}

export const DEFAULT_PATHS: Record<AgentOs, AgentPaths> = {
  linux: {
    statusFile: '/run/proxmox-sleep-agent/status.json',
    configFile: '/etc/proxmox-sleep/agent.json',
    stateDir: '/var/lib/proxmox-sleep-agent',
  },
  windows: {
    statusFile: 'C:\\ProgramData\\ProxmoxSleep\\status.json',
    configFile: 'C:\\ProgramData\\ProxmoxSleep\\agent.json',
    stateDir: 'C:\\ProgramData\\ProxmoxSleep\\state',
  },
  macos: {
    statusFile: '/Library/Application Support/ProxmoxSleep/status.json',
    configFile: '/Library/Application Support/ProxmoxSleep/agent.json',
    stateDir: '/Library/Application Support/ProxmoxSleep/state',
  },
};

export function agentOs(platform: NodeJS.Platform = process.platform): AgentOs {
  if (platform === 'win32') return 'windows';
  if (platform === 'darwin') return 'macos';
  return 'linux';
}
