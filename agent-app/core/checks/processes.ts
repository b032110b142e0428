/**
 * Configured processes: active while one runs. Names match exactly and case-insensitively; on Windows a
 * trailing `.exe` is ignored on both sides (`steam` = `Steam.exe`); on Linux the probe reports the basename
 * of argv[0], because `comm` is cut to 15 characters.
 */
import { ConfigError } from '../../../common/errors';
import { active, idle, type AgentCheck } from '../agent-check';
import { namedReason } from '../text';

export interface ProcessProbe {
  /** Names of the running processes, as the platform reports them. */
  list(signal: AbortSignal): Promise<string[]>;
}

export function normaliseProcessName(name: string, stripExe: boolean): string {
  const lower = name.trim().toLowerCase();
  return stripExe && lower.endsWith('.exe') ? lower.slice(0, -4) : lower;
}

/** The configured names (as configured) that are running, in configuration order. */
export function matchProcesses(
  configured: readonly string[],
  running: readonly string[],
  stripExe: boolean,
): string[] {
  const present = new Set(running.map((n) => normaliseProcessName(n, stripExe)));
  return configured.filter((name) => present.has(normaliseProcessName(name, stripExe)));
}

export function create(
  config: { names: readonly string[] },
  deps: { probe: ProcessProbe; stripExe: boolean },
): AgentCheck {
  const names = config.names.map((n) => n.trim()).filter((n) => n !== '');
  if (names.length === 0) {
    throw new ConfigError([
      {
        severity: 'error',
        file: null,
        line: null,
        key: 'checks.processes.names',
        message: 'no process names to watch',
      },
    ]);
  }
  return {
    name: 'processes',
    reason: 'process:*',
    async run({ signal }) {
      const running = await deps.probe.list(signal);
      const found = matchProcesses(names, running, deps.stripExe);
      const details = { active_processes: found };
      if (found.length === 0) return idle(`none of ${names.length} watched running`, details);
      const reasons = found.map((n) => namedReason('process', n));
      return { ...active(reasons[0], `running: ${found.join(', ')}`, details), reasons };
    },
  };
}
