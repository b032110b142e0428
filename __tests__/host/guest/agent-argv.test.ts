import { agentArgv } from '../../../host/guest/agent-argv';
import { createQgaExecTransport } from '../../../host/guest/transports/qga-exec';
import { memoryOsCache } from '../../../host/guest';
import { runAgentCommand } from '../../../host/guest/agent-command';
import type { ExecOptions, GuestAgent, Proxmox } from '../../../host/proxmox/types';
import { resolveConfig } from '../../../host/config';
import { bytes, idleStatus } from '../../helpers/status-samples';

describe('agentArgv', () => {
  it('runs the agent directly on Linux and macOS', () => {
    expect(agentArgv('linux', ['status'])).toEqual(['proxmox-sleep-agent', 'status']);
    expect(agentArgv('macos', ['block', '--off'])).toEqual(['proxmox-sleep-agent', 'block', '--off']);
  });

  it('goes through cmd.exe on Windows (the agent is a .cmd wrapper) and drops cmd metacharacters', () => {
    expect(
      agentArgv('windows', [
        'notify',
        '--message',
        'Host pve & co will sleep in 60 s > now',
        '--seconds',
        '60',
      ]),
    ).toEqual([
      'cmd.exe',
      '/d',
      '/c',
      'proxmox-sleep-agent',
      'notify',
      '--message',
      'Host pve  co will sleep in 60 s  now',
      '--seconds',
      '60',
    ]);
  });
});

/** A guest agent standing in for a Windows guest's (no Windows here): answers get-osinfo, records exec calls. */
function windowsAgent(stdout: string) {
  const calls: string[][] = [];
  const agent: GuestAgent = {
    access: 'socket',
    async command(_vmid, name) {
      if (name === 'get-osinfo') return { id: 'mswindows', name: 'Microsoft Windows', 'version-id': '11' };
      return {};
    },
    async readFile() {
      return Buffer.alloc(0);
    },
    async exec(_vmid, argv, _options: ExecOptions) {
      calls.push([...argv]);
      return { exitCode: 0, signal: null, stdout: Buffer.from(stdout), stderr: '', truncated: false };
    },
    async suspendDisk() {
      return 'sent' as const;
    },
  };
  return { agent, calls };
}

const guest = resolveConfig('VM_IDS=100\nVM_100_TRANSPORT=qga-exec', 'x', {}).config.guests[0];

describe('Windows guests through the guest agent', () => {
  it('qga-exec reads the status through cmd.exe /c proxmox-sleep-agent status', async () => {
    const { agent, calls } = windowsAgent(bytes(idleStatus({ seq: 7 })).toString());
    const transport = createQgaExecTransport({ agent, osCache: memoryOsCache() });
    expect(JSON.parse((await transport.read(guest, 1000)).toString()).seq).toBe(7);
    expect(calls).toEqual([['cmd.exe', '/d', '/c', 'proxmox-sleep-agent', 'status']]);
  });

  it('agent commands (hibernate, notify) go through cmd.exe as well', async () => {
    const { agent, calls } = windowsAgent('{"success": true, "message": "Hibernation initiated"}\n');
    const answer = await runAgentCommand(guest, ['hibernate'], 1000, {
      agent,
      proxmox: {} as Proxmox,
      run: async () => {
        throw new Error('not used');
      },
      osCache: memoryOsCache(),
    });
    expect(answer).toEqual({
      kind: 'reply',
      reply: { success: true, message: 'Hibernation initiated' },
      exitCode: 0,
    });
    expect(calls).toEqual([['cmd.exe', '/d', '/c', 'proxmox-sleep-agent', 'hibernate']]);
  });
});
