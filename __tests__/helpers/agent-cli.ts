/** Runs the agent CLI in-process with captured output, and builds fake commands for PATH. */
import { chmodSync, mkdirSync, writeFileSync } from 'fs';
import * as path from 'path';
import { systemClock } from '../../common/clock';
import { runAgentCli } from '../../agent-app/cli/program';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function agentCli(
  args: string[],
  env: NodeJS.ProcessEnv,
  onStdout?: (text: string) => void,
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runAgentCli(['node', 'proxmox-sleep-agent', ...args], {
    env,
    platform: 'linux',
    clock: systemClock,
    stdout: async (text) => {
      onStdout?.(text);
      stdout += text;
    },
    stderr: (text) => void (stderr += text),
    shutdown: new AbortController().signal,
  });
  return { code, stdout, stderr };
}

/**
 * A shell script on a test PATH: records its arguments in <dir>/<name>.calls (and, with readsStdin, its
 * input in <name>.stdin), then runs `body`.
 */
export function fakeCommand(binDir: string, name: string, body = 'exit 0', readsStdin = false): string {
  mkdirSync(binDir, { recursive: true });
  const file = path.join(binDir, name);
  writeFileSync(
    file,
    `#!/bin/sh\nprintf '%s\\n' "$*" >> "${path.join(binDir, `${name}.calls`)}"\n${readsStdin ? `cat >> "${path.join(binDir, `${name}.stdin`)}"\n` : ''}${body}\n`,
  );
  chmodSync(file, 0o755);
  return file;
}
