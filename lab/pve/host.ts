/**
 * The lab host's systemd side: which units are active, how `systemctl suspend` behaves, and the sleep hook
 * unit it runs around a suspend (the real `installer/host/proxmox-sleep-hook.service`, with its binary path
 * mapped to the command under test).
 */
import { appendFileSync, readFileSync, writeFileSync } from 'fs';
import { paths, readJsonLines } from './state';

export interface HostSettings {
  suspend: {
    /** `async`: systemctl returns at once and the sleep happens after (real systemd); `blocking`: it returns after the wake. */
    mode: 'async' | 'blocking';
    /** How long the host "sleeps". */
    seconds: number;
    /** `systemctl suspend` is refused (exit 1) and nothing sleeps. */
    fails: boolean;
  };
  hook: {
    enabled: boolean;
    /** The unit file whose ExecStart / ExecStop run around the sleep. */
    unitFile: string;
    /** Replaces the unit's `/usr/bin/proxmox-sleep` (e.g. [node, dist/host/cli.js]). */
    command: string[];
    /** Environment of the hook commands (systemd gives units a clean environment; the lab adds the config). */
    env: Record<string, string>;
    timeoutSeconds: number;
  };
  activeUnits: string[];
}

export const DEFAULT_HOST_SETTINGS: HostSettings = {
  suspend: { mode: 'async', seconds: 1, fails: false },
  hook: { enabled: false, unitFile: '', command: [], env: {}, timeoutSeconds: 120 },
  activeUnits: [],
};

export function hostSettings(dir: string): HostSettings {
  try {
    const saved = JSON.parse(readFileSync(paths(dir).host, 'utf8')) as Partial<HostSettings>;
    return {
      suspend: { ...DEFAULT_HOST_SETTINGS.suspend, ...saved.suspend },
      hook: { ...DEFAULT_HOST_SETTINGS.hook, ...saved.hook },
      activeUnits: saved.activeUnits ?? [],
    };
  } catch {
    return DEFAULT_HOST_SETTINGS;
  }
}

export function saveHostSettings(dir: string, settings: HostSettings): void {
  writeFileSync(paths(dir).host, JSON.stringify(settings, null, 1));
}

/** The unit's ExecStart= / ExecStop= command line, with the installed binary replaced by the one under test. */
export function hookCommand(settings: HostSettings, which: 'ExecStart' | 'ExecStop'): string[] | null {
  if (!settings.hook.enabled || !settings.hook.unitFile) return null;
  const line = readFileSync(settings.hook.unitFile, 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${which}=`));
  if (!line) return null;
  const words = line
    .slice(which.length + 1)
    .trim()
    .split(/\s+/);
  if (words[0] === '/usr/bin/proxmox-sleep' && settings.hook.command.length > 0)
    return [...settings.hook.command, ...words.slice(1)];
  return words;
}

export interface SuspendRecord {
  at: number;
  event: string;
  pid?: number;
  exit?: number;
}

export function recordSuspend(dir: string, record: Omit<SuspendRecord, 'at'>): void {
  appendFileSync(paths(dir).suspends, `${JSON.stringify({ at: Date.now(), ...record })}\n`);
}

export function readSuspends(dir: string): SuspendRecord[] {
  return readJsonLines<SuspendRecord>(paths(dir).suspends);
}
