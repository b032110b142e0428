/** Per-interface byte counters from /proc/net/dev. */
import { promises as fs } from 'fs';
import type { InterfaceCounters, NetworkProbe } from '../../core/checks/network';

export function parseProcNetDev(text: string): Map<string, InterfaceCounters> {
  const out = new Map<string, InterfaceCounters>();
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0 || line.includes('|')) continue;
    const name = line.slice(0, colon).trim();
    const fields = line
      .slice(colon + 1)
      .trim()
      .split(/\s+/)
      .map(Number);
    if (name === '' || fields.length < 16 || fields.some((n) => !Number.isFinite(n))) continue;
    out.set(name, { rxBytes: fields[0], txBytes: fields[8] });
  }
  return out;
}

export function createProcNetDevProbe(file = '/proc/net/dev'): NetworkProbe {
  return { counters: async () => parseProcNetDev(await fs.readFile(file, 'utf8')) };
}
