/**
 * The argument list that runs `proxmox-sleep-agent <args>` inside a guest through the QEMU guest agent's exec.
 * On Windows the agent comes as a `.cmd` wrapper on PATH (installer/windows/proxmox-sleep-agent.cmd), and
 * guest-exec starts programs without a shell, so it has to go through `cmd.exe /c`. cmd.exe re-reads that command
 * line and would act on its metacharacters, so they are taken out of the arguments (the host only sends its own
 * words: commands, numbers and the pre-sleep message).
 */
import type { GuestOs } from './types';

export const AGENT_PROGRAM = 'proxmox-sleep-agent';

const CMD_METACHARACTERS = /[&|<>^%!"()\r\n]/g;

export function agentArgv(os: GuestOs, args: readonly string[]): string[] {
  if (os !== 'windows') return [AGENT_PROGRAM, ...args];
  return ['cmd.exe', '/d', '/c', AGENT_PROGRAM, ...args.map((a) => a.replace(CMD_METACHARACTERS, ''))];
}
