/**
 * A custom command check: exit 0 = active (reason `custom:<name>`), any other exit = idle, a timeout or a
 * command that cannot run = unknown. The command is an argument list run without a shell.
 */
import type { Runner } from '../../../common/shell';
import { active, idle, unknown, type AgentCheck } from '../agent-check';
import { namedReason, protocolText } from '../text';

export interface CustomCommandConfig {
  name: string;
  command: readonly string[];
  timeoutSeconds: number;
}

const firstLine = (text: string) => protocolText(text.trim().split(/\r?\n/)[0] ?? '', 120);

export function create(config: CustomCommandConfig, deps: { run: Runner }): AgentCheck {
  const reason = namedReason('custom', config.name);
  const timeoutMs = Math.round(config.timeoutSeconds * 1000);
  const [command, ...args] = config.command;
  return {
    name: reason,
    reason,
    // The agent's own deadline sits a little after the command's, so the command's timeout reports first.
    timeoutMs: timeoutMs + 2000,
    async run({ signal }) {
      const result = await deps.run(command, args, { timeoutMs, signal, maxOutputBytes: 64 * 1024 });
      if (result.timedOut) return unknown(`\`${command}\` timed out after ${config.timeoutSeconds}s`);
      if (result.exitCode === 127 && /not found|No such file/i.test(result.stderr))
        return unknown(`\`${command}\` not found`);
      if (result.exitCode === null)
        return unknown(`\`${command}\` was killed (${result.signal ?? 'signal'})`);
      const said = firstLine(result.stdout);
      return result.exitCode === 0
        ? active(reason, `\`${command}\` exited 0${said ? `: ${said}` : ''}`)
        : idle(`\`${command}\` exited ${result.exitCode}${said ? `: ${said}` : ''}`);
    },
  };
}
