/** TRANSPORT=qga-file (default for VMs): read the agent's status file through the QEMU guest agent. */
import { MAX_STATUS_BYTES } from '../../../protocol';
import type { GuestAgent } from '../../proxmox/types';
import { guestOs, osKey, type OsCache } from '../guest-os';
import { DEFAULT_STATUS_PATHS, type StatusTransport } from '../types';

export function createQgaFileTransport(deps: { agent: GuestAgent; osCache: OsCache }): StatusTransport {
  return {
    name: 'qga-file',
    describe: (guest) =>
      `qga-file via ${deps.agent.access}: ${guest.statusPath || pathFor(deps.osCache, guest.id) || 'default path for the guest OS'}`,
    async read(guest, timeoutMs) {
      const file =
        guest.statusPath ||
        DEFAULT_STATUS_PATHS[await guestOs(deps.agent, deps.osCache, guest.id, timeoutMs)];
      return deps.agent.readFile(guest.id, file, MAX_STATUS_BYTES, timeoutMs);
    },
  };
}

function pathFor(cache: OsCache, vmid: number): string | null {
  const os = cache.get(osKey(vmid));
  return os ? DEFAULT_STATUS_PATHS[os] : null;
}
