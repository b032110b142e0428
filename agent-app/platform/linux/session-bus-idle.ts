/**
 * Input idle time from a desktop's service on each logged-in user's session bus (/run/user/<uid>/bus, or
 * $DBUS_SESSION_BUS_ADDRESS). One method call per bus answers milliseconds; the most recent input of any
 * session wins. Buses without the service are skipped; a service that refuses the call names why (`refusals`)
 * and counts as absent; with the service nowhere the source is unavailable.
 */
import { promises as fs } from 'fs';
import { UnavailableError } from '../../../common/errors';
import type { InputIdleReading } from '../../core/checks/input-idle';
import type { InputIdleSource } from './input-idle';
import { busExists, DbusCallError, toNumber, type DbusCall, type DbusPool } from './dbus';

const NOT_THERE = new Set([
  'org.freedesktop.DBus.Error.ServiceUnknown',
  'org.freedesktop.DBus.Error.NameHasNoOwner',
  'org.freedesktop.DBus.Error.UnknownObject',
  'org.freedesktop.DBus.Error.UnknownMethod',
  'org.freedesktop.DBus.Error.UnknownInterface',
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

export interface SessionBusIdleOptions {
  /** The source's name in `checks.input.sources` and `details.user_idle_source`. */
  name: string;
  /** The call that answers idle milliseconds. */
  call: DbusCall;
  pool: DbusPool;
  addresses: () => Promise<string[]>;
  /** Why the source is unavailable when no bus has the service. */
  absent: string;
  /** D-Bus error names that mean "this service will not tell", with what to tell the user instead. */
  refusals?: Readonly<Record<string, string>>;
}

export function createSessionBusIdleSource(options: SessionBusIdleOptions): InputIdleSource {
  const { name, call, pool } = options;
  return {
    name,
    async read(signal: AbortSignal): Promise<InputIdleReading> {
      const readings: number[] = [];
      const failures: string[] = [];
      const refused = new Set<string>();
      for (const address of await options.addresses()) {
        try {
          const [ms] = await pool.call(address, call, { signal });
          const value = toNumber(ms);
          if (Number.isFinite(value) && value >= 0) readings.push(value);
          else failures.push(`${call.member} returned ${String(ms)}`);
        } catch (e) {
          if (e instanceof UnavailableError) continue;
          const type = e instanceof DbusCallError ? e.type : null;
          if (type !== null && NOT_THERE.has(type)) continue;
          const refusal = type === null ? undefined : options.refusals?.[type];
          if (refusal !== undefined) refused.add(refusal);
          else failures.push(e instanceof Error ? e.message : String(e));
        }
      }
      if (readings.length > 0) return { idleSeconds: Math.min(...readings) / 1000, source: name };
      if (failures.length > 0) throw new Error(failures.join('; '));
      throw new UnavailableError(refused.size > 0 ? [...refused].join('; ') : options.absent, name);
    },
  };
}
