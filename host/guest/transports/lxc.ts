/** TRANSPORT=lxc (default for containers): read the status file inside the container (`pct exec … cat`). */
import { MAX_STATUS_BYTES } from '../../../protocol';
import type { Proxmox } from '../../proxmox/types';
import { DEFAULT_STATUS_PATHS, type StatusTransport } from '../types';

export function createLxcTransport(deps: { proxmox: Pick<Proxmox, 'readContainerFile'> }): StatusTransport {
  return {
    name: 'lxc',
    describe: (guest) => `lxc: ${guest.statusPath || DEFAULT_STATUS_PATHS.linux}`,
    read: (guest, timeoutMs) =>
      deps.proxmox.readContainerFile(
        guest.id,
        guest.statusPath || DEFAULT_STATUS_PATHS.linux,
        MAX_STATUS_BYTES,
        timeoutMs,
      ),
  };
}
