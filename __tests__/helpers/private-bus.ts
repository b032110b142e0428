/** A private, real dbus-daemon on a socket in a temporary folder, for the D-Bus client tests. */
import { existsSync, mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { $ } from 'zx';

export interface PrivateBus {
  /** The folder of the socket; other paths in it name sockets that do not exist. */
  dir: string;
  address: string;
  stop(): Promise<void>;
}

export async function startPrivateBus(prefix: string): Promise<PrivateBus> {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  const socket = path.join(dir, 'bus');
  const address = `unix:path=${socket}`;
  const daemon = $`dbus-daemon --session --nofork --nopidfile --address=${address}`.nothrow().quiet();
  for (let i = 0; i < 100 && !existsSync(socket); i++) await new Promise((r) => setTimeout(r, 30));
  return {
    dir,
    address,
    async stop() {
      await daemon.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
