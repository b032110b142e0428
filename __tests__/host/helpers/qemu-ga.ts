/**
 * Starts a REAL qemu-ga (Debian package qemu-guest-agent) listening on a unix socket, as root, so it reads
 * files of this machine. Risky RPCs are blocked. toolchain-on-this-machine.md §4 has the recipe.
 */
import { existsSync, mkdirSync, readFileSync } from 'fs';
import * as path from 'path';
import { $, type ProcessPromise } from 'zx';
import { LIGHT_QGA_BLOCKED } from '../../../lab/pve/power';

// The lab's list, and hibernation too: here qemu-ga would run this machine's own `systemctl hibernate`.
const BLOCKED = ['guest-suspend-disk', LIGHT_QGA_BLOCKED].join(',');

export interface RunningQga {
  socket: string;
  pid: number;
  /** SIGSTOP: the agent stops answering while its socket still accepts connections. */
  freeze(): void;
  thaw(): void;
  stop(): Promise<void>;
}

export async function startQemuGa(
  dir: string,
  name = 'qga',
  env: Record<string, string> = {},
): Promise<RunningQga> {
  const state = path.join(dir, `${name}-state`);
  mkdirSync(state, { recursive: true });
  const socket = path.join(dir, `${name}.qga`);
  const proc: ProcessPromise = $({
    quiet: true,
    nothrow: true,
    env: { ...process.env, ...env },
  })`qemu-ga -m unix-listen -p ${socket} -t ${state} -l ${path.join(dir, `${name}.log`)} -b ${BLOCKED}`;
  const pid = proc.child?.pid;
  if (!pid) throw new Error('qemu-ga did not start');
  const deadline = Date.now() + 5000;
  while (!existsSync(socket)) {
    if (Date.now() > deadline) {
      await proc.kill('SIGKILL').catch(() => undefined);
      throw new Error(`qemu-ga did not create ${socket}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  let stopped = false;
  return {
    socket,
    pid,
    freeze: () => process.kill(pid, 'SIGSTOP'),
    thaw: () => process.kill(pid, 'SIGCONT'),
    async stop() {
      if (stopped) return;
      stopped = true;
      try {
        process.kill(pid, 'SIGCONT');
      } catch {
        return;
      }
      const killer = setTimeout(() => {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }, 3000);
      await proc.kill('SIGTERM').catch(() => undefined);
      await proc.catch(() => undefined);
      clearTimeout(killer);
    },
  };
}

/** This machine's /etc/os-release ID, which the real qemu-ga reports as `id` in guest-get-osinfo. */
export function osReleaseId(): string {
  const line = readFileSync('/etc/os-release', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('ID='));
  return (line ?? 'ID=linux').slice(3).replace(/^"(.*)"$/, '$1');
}
