/**
 * GNOME input idle time: `org.gnome.Mutter.IdleMonitor.GetIdletime` (milliseconds) on the session bus of
 * each logged-in user (/run/user/<uid>/bus, or $DBUS_SESSION_BUS_ADDRESS). Buses without Mutter (not
 * GNOME) are skipped; with no Mutter anywhere the source is unavailable.
 */
import { promises as fs } from 'fs';
import { UnavailableError } from '../../../common/errors';
import type { InputIdleReading } from '../../core/checks/input-idle';
import { busExists, DbusCallError, toNumber, type DbusPool } from './dbus';

export const MUTTER_IDLE = {
  destination: 'org.gnome.Mutter.IdleMonitor',
  path: '/org/gnome/Mutter/IdleMonitor/Core',
  interface: 'org.gnome.Mutter.IdleMonitor',
  member: 'GetIdletime',
} as const;

const NOT_THERE = new Set([
  'org.freedesktop.DBus.Error.ServiceUnknown',
  'org.freedesktop.DBus.Error.NameHasNoOwner',
  'org.freedesktop.DBus.Error.UnknownObject',
  'org.freedesktop.DBus.Error.UnknownMethod',
]);

export async function sessionBusAddresses(
  env: NodeJS.ProcessEnv = process.env,
  runUserDir = '/run/user',
): Promise<string[]> {
  const out: string[] = [];
  if (env.DBUS_SESSION_BUS_ADDRESS) out.push(env.DBUS_SESSION_BUS_ADDRESS);
  try {
    for (const uid of await fs.readdir(runUserDir)) {
      const address = `unix:path=${runUserDir}/${uid}/bus`;
      if (/^\d+$/.test(uid) && !out.includes(address) && busExists(address)) out.push(address);
    }
  } catch {
    // no /run/user: no user sessions
  }
  return out;
}

export function createMutterIdleSource(options: { pool: DbusPool; addresses: () => Promise<string[]> }) {
  return {
    name: 'mutter',
    async read(signal: AbortSignal): Promise<InputIdleReading> {
      const readings: number[] = [];
      const failures: string[] = [];
      for (const address of await options.addresses()) {
        try {
          const [ms] = await options.pool.call(address, MUTTER_IDLE, { signal });
          const value = toNumber(ms);
          if (Number.isFinite(value) && value >= 0) readings.push(value);
          else failures.push(`GetIdletime returned ${String(ms)}`);
        } catch (e) {
          if (e instanceof UnavailableError) continue;
          if (e instanceof DbusCallError && e.type !== null && NOT_THERE.has(e.type)) continue;
          failures.push(e instanceof Error ? e.message : String(e));
        }
      }
      if (readings.length > 0) return { idleSeconds: Math.min(...readings) / 1000, source: 'mutter' };
      if (failures.length > 0) throw new Error(failures.join('; '));
      throw new UnavailableError('no GNOME session (Mutter IdleMonitor) on any session bus', 'mutter');
    },
  };
}
