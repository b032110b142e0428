import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * This host's Proxmox node name: the short hostname when `/etc/pve/nodes/<it>` exists, else the only (or
 * first) node directory, else the short hostname (as the previous release did).
 */
export async function detectNodeName(
  options: { pveNodesDir?: string; hostname?: string } = {},
): Promise<string> {
  const dir = options.pveNodesDir ?? '/etc/pve/nodes';
  const short = (options.hostname ?? os.hostname()).split('.')[0];
  try {
    const stat = await fs.stat(path.join(dir, short));
    if (stat.isDirectory()) return short;
  } catch {
    // not a node directory: look at what exists
  }
  try {
    const entries = (await fs.readdir(dir, { withFileTypes: true }))
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
    if (entries.length > 0) return entries[0];
  } catch {
    // no /etc/pve: not a Proxmox host (or pmxcfs is down)
  }
  return short;
}
