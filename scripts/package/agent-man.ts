/**
 * proxmox-sleep-agent(8), generated from the agent's command definitions (like proxmox-sleep(8)), so the
 * agent package's manual page cannot drift from `proxmox-sleep-agent --help`.
 */
import type { Command } from 'commander';
import { optionsAndCommands, roff } from '../../host/config/render-man';

export function renderAgentManPage(program: Command, version: string): string {
  const out = [
    `.TH PROXMOX-SLEEP-AGENT 8 "" "proxmox-sleep-agent ${version}" "System Administration"`,
    '.SH NAME',
    `proxmox\\-sleep\\-agent \\- ${roff(program.description().replace(/\.$/, ''))}`,
    '.SH SYNOPSIS',
    '.B proxmox\\-sleep\\-agent',
    '.RI [ options ]',
    '.I command',
    '.SH DESCRIPTION',
    'The guest agent of Proxmox Sleep Manager runs inside a guest of a Proxmox VE host. Every few seconds it',
    'decides whether the guest is idle (keyboard and mouse, GPU, CPU, network, logins, sleep inhibitors,',
    'configured processes and custom checks) and writes the answer as a JSON status file, which the host reads',
    'through the QEMU guest agent, virtio\\-fs or SSH. It also carries out the commands the host sends before',
    'it sleeps: hibernate, shutdown and a warning to logged\\-in users.',
    '.SH OPTIONS',
  ];
  out.push(...optionsAndCommands(program));
  out.push(
    '.SH EXIT STATUS',
    '0 success; 1 failure (for',
    '.BR check :',
    'something is active); 64 usage error; 78 invalid configuration or an unsafe status directory.',
    '.SH ENVIRONMENT',
    '.TP',
    '.B PROXMOX_SLEEP_AGENT_CONFIG',
    'The configuration file to read when',
    '.B \\-\\-config',
    'is not given.',
    '.SH FILES',
    '.TP',
    '.I /etc/proxmox\\-sleep/agent.json',
    'The configuration (JSON; every key has a default, so {} works).',
    '.TP',
    '.I /run/proxmox\\-sleep\\-agent/status.json',
    'The status document the host reads.',
    '.TP',
    '.I /var/lib/proxmox\\-sleep\\-agent/',
    'State: the block override.',
    '.TP',
    '.I /usr/share/doc/proxmox\\-sleep\\-agent/agent.md',
    'Every configuration key and check explained.',
    '.SH SEE ALSO',
    '.BR proxmox\\-sleep (8),',
    '.BR systemctl (1)',
    '',
  );
  return out.join('\n');
}
