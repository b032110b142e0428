/**
 * A REAL OpenSSH sshd on 127.0.0.1 with throwaway host and client keys (toolchain-on-this-machine.md §6).
 * `knownHosts` trusts its host key; `emptyKnownHosts` trusts nothing.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'fs';
import * as net from 'net';
import * as path from 'path';
import { $ } from 'zx';

export interface RunningSshd {
  port: number;
  clientKey: string;
  knownHosts: string;
  emptyKnownHosts: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** `extraConfig`: more sshd_config lines (e.g. `SetEnv` for the sessions). */
export async function startSshd(dir: string, extraConfig: string[] = []): Promise<RunningSshd> {
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const q = $({ quiet: true });
  await q`ssh-keygen -q -t ed25519 -N ${''} -f ${path.join(dir, 'host_ed25519')}`;
  await q`ssh-keygen -q -t ed25519 -N ${''} -f ${path.join(dir, 'client_key')}`;
  writeFileSync(path.join(dir, 'authorized_keys'), readFileSync(path.join(dir, 'client_key.pub')), {
    mode: 0o600,
  });
  const port = await freePort();
  const config = path.join(dir, 'sshd_config');
  writeFileSync(
    config,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${path.join(dir, 'host_ed25519')}`,
      `PidFile ${path.join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${path.join(dir, 'authorized_keys')}`,
      'PermitRootLogin prohibit-password',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PubkeyAuthentication yes',
      'UsePAM no',
      'StrictModes no',
      ...extraConfig,
      '',
    ].join('\n'),
  );
  await q`/usr/sbin/sshd -f ${config} -E ${path.join(dir, 'sshd.log')}`;
  const hostKey = readFileSync(path.join(dir, 'host_ed25519.pub'), 'utf8')
    .trim()
    .split(' ')
    .slice(0, 2)
    .join(' ');
  const knownHosts = path.join(dir, 'known_hosts');
  writeFileSync(knownHosts, `[127.0.0.1]:${port} ${hostKey}\n`);
  const emptyKnownHosts = path.join(dir, 'known_hosts.empty');
  writeFileSync(emptyKnownHosts, '');
  // Wait until it listens.
  const deadline = Date.now() + 5000;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => (s.destroy(), resolve(true)));
      s.on('error', () => resolve(false));
    });
    if (ok) break;
    if (Date.now() > deadline) throw new Error('sshd did not start');
    await new Promise((r) => setTimeout(r, 20));
  }
  return {
    port,
    clientKey: path.join(dir, 'client_key'),
    knownHosts,
    emptyKnownHosts,
    async stop() {
      try {
        process.kill(Number(readFileSync(path.join(dir, 'sshd.pid'), 'utf8').trim()), 'SIGTERM');
      } catch {
        // already gone
      }
    },
  };
}
