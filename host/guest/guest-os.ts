/** Which OS a VM runs, asked once from its guest agent (`guest-get-osinfo`) and cached (also on disk, by the monitor). */
import { guestRef } from '../config/types';
import type { GuestAgent } from '../proxmox/types';
import { ReadFailure } from './read-failure';
import type { GuestOs } from './types';

export interface OsCache {
  get(key: string): GuestOs | undefined;
  set(key: string, os: GuestOs): void;
}

export function memoryOsCache(
  initial: Record<string, GuestOs> = {},
): OsCache & { entries(): Record<string, GuestOs> } {
  const map = new Map(Object.entries(initial));
  return {
    get: (key) => map.get(key),
    set: (key, os) => void map.set(key, os),
    entries: () => Object.fromEntries(map),
  };
}

/** Maps a `guest-get-osinfo` answer to the three agent platforms. */
export function osFromOsInfo(info: unknown): GuestOs {
  const o = (info ?? {}) as Record<string, unknown>;
  const id = typeof o.id === 'string' ? o.id.toLowerCase() : '';
  const name = typeof o.name === 'string' ? o.name.toLowerCase() : '';
  if (id === 'mswindows' || name.includes('windows')) return 'windows';
  if (id === 'macos' || id === 'darwin' || name.includes('macos') || name.includes('mac os')) return 'macos';
  return 'linux';
}

/** The cache key of a VM's OS. */
export const osKey = (vmid: number): string => guestRef('vm', vmid);

export async function guestOs(
  agent: GuestAgent,
  cache: OsCache,
  vmid: number,
  timeoutMs: number,
): Promise<GuestOs> {
  const key = osKey(vmid);
  const known = cache.get(key);
  if (known) return known;
  const info = await agent.command(vmid, 'get-osinfo', timeoutMs);
  if (info === null || typeof info !== 'object')
    throw new ReadFailure('bad_reply', 'guest-get-osinfo did not answer with an object');
  const os = osFromOsInfo(info);
  cache.set(key, os);
  return os;
}
