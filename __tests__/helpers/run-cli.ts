import { runCli } from '../../host/cli/program';
import type { Io } from '../../host/cli/io';

/** Runs the host CLI in-process and captures its output. */
export async function runHostCli(args: string[], env: Record<string, string | undefined> = {}) {
  let stdout = '';
  let stderr = '';
  const io: Io = { env, stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), isTTY: false };
  const code = await runCli(['node', 'proxmox-sleep', ...args], io);
  return { code, stdout, stderr };
}
