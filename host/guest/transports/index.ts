/** Picks the transport of each guest from its TRANSPORT setting. */
import type { Runner } from '../../../common/shell';
import type { GuestConfig } from '../../config';
import type { GuestAgent, Proxmox } from '../../proxmox/types';
import type { OsCache } from '../guest-os';
import type { StatusTransport } from '../types';
import { createLxcTransport } from './lxc';
import { createQgaExecTransport } from './qga-exec';
import { createQgaFileTransport } from './qga-file';
import { createSshTransport } from './ssh';
import { createVirtiofsTransport } from './virtiofs';

export interface TransportDeps {
  agent: GuestAgent;
  proxmox: Pick<Proxmox, 'readContainerFile'>;
  run: Runner;
  osCache: OsCache;
  knownHostsFile?: string;
}

export type TransportSet = (guest: GuestConfig) => StatusTransport | null;

/** Builds each transport once; returns the one for a guest, or null for TRANSPORT=none. */
export function createTransports(deps: TransportDeps): TransportSet {
  const byName = {
    'qga-file': createQgaFileTransport({ agent: deps.agent, osCache: deps.osCache }),
    'qga-exec': createQgaExecTransport({ agent: deps.agent, osCache: deps.osCache }),
    ssh: createSshTransport({ run: deps.run, knownHostsFile: deps.knownHostsFile }),
    virtiofs: createVirtiofsTransport(),
    lxc: createLxcTransport({ proxmox: deps.proxmox }),
  } as const;
  return (guest) => (guest.transport === 'none' ? null : byName[guest.transport as keyof typeof byName]);
}
